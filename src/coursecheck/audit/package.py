"""``audit --package DIR``: the province's whole submission, one folder per province.

``DIR/<province>/`` holds the Annex 3 workbook (courses and centres in recommendation order), one
Annex 4 document per case, the Annex 5 workbook, the HTML report, and ``未纳入清单.txt`` naming
what was left out of the forms and why (every project, and a statistics file, with an error).

Everything is written into a temporary folder next to DIR, which is then renamed to DIR: a run
that fails half-way leaves no half-written package, and an existing DIR (replaced only with
``--force``) is swapped out in two renames.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from coursecheck.audit.model import AuditResult, Project, ProvinceReport
from coursecheck.findings import Finding, Severity
from coursecheck.text import printable

if TYPE_CHECKING:
    from coursecheck.audit.html_thumbs import ThumbKey

ANNEX3 = "附件3-社区教育品牌项目汇总表.xlsx"
ANNEX5 = "附件5-社区教育机构统计表.xlsx"
REPORT = "核查报告.html"
LEFT_OUT = "未纳入清单.txt"
NO_PROVINCE = "未填省份"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\ud800-\udfff]')
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$", re.IGNORECASE)
MAX_NAME = 80  # characters of a name part; paths stay well inside Windows' 260


def safe_name(text: str, fallback: str = "_") -> str:
    """``text`` as a file or folder name Windows accepts: forbidden characters become ``_``, no
    trailing dot or space, no reserved device name (CON, NUL, COM1, …), at most 80 characters."""
    name = _FORBIDDEN.sub("_", text).strip()[:MAX_NAME].rstrip(". ")
    if not name:
        return fallback
    return "_" + name if _RESERVED.match(name) else name


def write_package(result: AuditResult, target: Path, lang: str,
                  thumbs: Mapping[ThumbKey, str] | None = None) -> None:
    """Write the submission for every province of ``result`` to ``target``, replacing it if it
    exists (the command refuses an existing one unless ``--force``). Raises ``OSError``.

    ``thumbs`` are the HTML reports' thumbnails (made the slow way, serially and uncached, when
    not given; the command passes them from the cache)."""
    parent = target.parent if str(target.parent) else Path(".")
    work = Path(tempfile.mkdtemp(prefix=f".{safe_name(target.name)}.", suffix=".tmp", dir=parent))
    try:
        taken: set[str] = set()
        for report in result.provinces:
            folder = work / _unique(safe_name(report.province, NO_PROVINCE), taken)
            folder.mkdir()
            _province(result, report, folder, lang, thumbs)
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{safe_name(target.name)}.", suffix=".old",
                                        dir=parent))
            old.rmdir()
            target.rename(old)
            work.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate.casefold() in taken:  # Windows names ignore case
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate.casefold())
    return candidate


def _province(result: AuditResult, report: ProvinceReport, folder: Path, lang: str,
              thumbs: Mapping[ThumbKey, str] | None) -> None:
    from coursecheck.audit.annex4 import write_case_docx
    from coursecheck.audit.annex5 import write_annex3, write_annex5
    from coursecheck.audit.html import write_html
    from coursecheck.audit.xlsx import annex3_rows

    province = report.province
    write_annex3(province, annex3_rows(result, province), folder / ANNEX3)
    taken = {ANNEX3.casefold(), ANNEX5.casefold(), REPORT.casefold(), LEFT_OUT.casefold()}
    cases = [c for c in result.cases if c.province == province]
    for case in cases:
        if case.listable and case.view is not None:
            name = _unique(f"附件4-{safe_name(case.view.school or '', '学校')}.docx", taken)
            write_case_docx(case.view, folder / name)
    stats = report.statistics
    stats_errors = [f for f in report.findings if stats is not None and f.file == stats.path
                    and f.severity is Severity.ERROR]
    if stats is not None and not stats_errors:
        write_annex5(stats, folder / ANNEX5)
    mine = replace(result, courses=tuple(c for c in result.courses if c.province == province),
                   cases=tuple(cases), provinces=(report,))
    write_html(mine, folder / REPORT, lang, thumbs)
    projects: list[Project] = [*mine.courses, *mine.cases]
    left_out = [p for p in projects if not p.listable]
    text = _left_out_text(province, left_out, stats.path if stats else None, stats_errors)
    (folder / LEFT_OUT).write_text(printable(text), encoding="utf-8-sig", newline="\r\n")


def _left_out_text(province: str, projects: list[Project], stats_path: str | None,
                   stats_errors: list[Finding]) -> str:
    """未纳入清单: each project (and statistics file) with errors, with the errors."""
    lines = [f"未纳入申报材料的项目：{province or NO_PROVINCE}",
             "（以下项目有错误，未写入附件3、附件4或附件5。"
             "请改正后重新运行 coursecheck audit。）", ""]
    if not projects and not stats_errors:
        lines.append("无：所有项目均已纳入。")
    for project in projects:
        kind = "课程" if project.kind == "course" else "典型案例"
        lines.append(f"{kind}：{project.result.name or '（未命名）'}    {project.result.path}")
        lines += [_reason(f) for f in project.result.findings if f.severity is Severity.ERROR]
        lines.append("")
    if stats_errors and stats_path:
        lines.append(f"统计表：{stats_path}")
        lines += [_reason(f) for f in stats_errors]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _reason(finding: Finding) -> str:
    where = finding.file + (f":{finding.line}" if finding.line else "")
    return f"  - {finding.rule} {where}  {finding.message}"

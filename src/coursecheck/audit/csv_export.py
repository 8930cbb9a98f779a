"""``--csv``: every finding, one per row, UTF-8 with a BOM so Excel shows Chinese correctly.

Every text goes through :func:`coursecheck.text.printable`: a file name that is not UTF-8 or that
holds a control character shows as U+FFFD instead of stopping the export, and a field a
spreadsheet would run as a formula gets a leading ``'`` (:func:`coursecheck.inert.csv_cell`).
"""

from __future__ import annotations

import csv
from pathlib import Path

from coursecheck.audit.model import AuditResult
from coursecheck.findings import Finding
from coursecheck.inert import csv_cell
from coursecheck.messages import ui
from coursecheck.text import printable

HEADER = ["course", "province", "file", "line", "rule", "severity", "message", "expected",
          "actual"]
HEADERS = {"en": HEADER,
           "zh": ["课程", "省份", "文件", "行", "规则", "级别", "说明", "应为", "实际"]}


def _row(course: str, province: str, f: Finding, lang: str) -> list[str]:
    severity = ui(lang, str(f.severity)) if str(f.severity) in ("error", "warning") else str(
        f.severity)
    values = [course, province, f.file, str(f.line or ""), f.rule, severity, f.message,
              f.expected or "", f.actual or ""]
    return [csv_cell(printable(value)) for value in values]


def write_csv(audit: AuditResult, path: Path) -> None:
    """Write the findings of every course, then the province findings; the header and the
    severity words in the audit's language."""
    lang = audit.lang if audit.lang in HEADERS else "en"
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS[lang])
        for course, province, f in audit.findings_in_order():
            writer.writerow(_row(course or "", province, f, lang))

"""The audit's terminal report: one table row per course, then the findings that matter."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coursecheck.audit.model import AuditResult
from coursecheck.findings import Severity, Verdict, summarize
from coursecheck.messages import ui
from coursecheck.reporters.text import write_course
from coursecheck.text import format_duration, printable

_STYLE = {Verdict.PASS: "green", Verdict.WARN: "yellow", Verdict.FAIL: "red"}


def write_audit_text(audit: AuditResult, stream: TextIO, lang: str, details: bool) -> None:
    """The summary table, then failing courses' findings (every course's with ``details``)."""
    console = Console(file=stream, soft_wrap=True, highlight=False)
    if not console.is_terminal:
        console.width = 1000  # piped: never truncate a path, lines end where the text does
    table = Table(box=None, pad_edge=False, show_edge=False)
    for key, justify in (("col_verdict", "left"), ("col_province", "left"),
                         ("col_lessons", "right"), ("col_duration", "right"),
                         ("col_errors", "right"), ("col_warnings", "right"),
                         ("col_path", "left")):
        table.add_column(ui(lang, key), justify=justify)  # type: ignore[arg-type]
    for course in audit.courses:
        result = course.result
        table.add_row(Text(ui(lang, str(result.verdict)), style=_STYLE[result.verdict]),
                      printable(course.province) or ui(lang, "no_province"),
                      str(len(result.lessons)), format_duration(result.total_duration_s),
                      str(result.errors),
                      str(result.warnings), printable(result.path))
    if audit.courses or not audit.cases:  # no empty course table above the cases
        console.print(table)
        console.print()
    if audit.cases:
        _cases_table(console, audit, lang)
    for result in (*audit.results, *audit.case_results):
        if details or result.verdict is Verdict.FAIL:
            write_course(console, result, lang)
    if audit.province_findings:
        console.print(Text(ui(lang, "province_findings"), style="bold"))
        for report in audit.provinces:
            for finding in report.findings:
                style = "red" if finding.severity is Severity.ERROR else "yellow"
                province = printable(report.province) or ui(lang, "no_province")
                line = Text(f"  {province}  ")
                line.append(f"{finding.rule} {ui(lang, str(finding.severity))}", style=style)
                line.append(f"  {printable(finding.message)}")
                if finding.file:
                    line.append(f"  ({printable(finding.file)}" +
                                (f":{finding.line})" if finding.line else ")"), style="dim")
                console.print(line)
        console.print()
    if audit.cases:
        counts = summarize(audit.case_results)
        console.print(Text(ui(lang, "cases_summary", cases=counts["courses"], **{
            k: counts[k] for k in ("passed", "warned", "failed")}), style="bold"))
    console.print(Text(ui(lang, "summary", **audit.summary()), style="bold"))
    if audit.engine:
        console.print(Text(engine_line(audit.engine, lang), style="dim"))
    if audit.interrupted:
        console.print(Text(ui(lang, "interrupted", done=len(audit.courses), found=audit.found),
                           style="bold red"))


def engine_line(engine: dict[str, object], lang: str) -> str:
    """One line naming where the work ran: the local pool, or a Dask scheduler."""
    if engine.get("kind") == "dask":
        return ui(lang, "engine_dask", scheduler=printable(str(engine.get("scheduler"))),
                  workers=engine.get("workers"))
    return ui(lang, "engine_local", jobs=engine.get("jobs"))


def _cases_table(console: Console, audit: AuditResult, lang: str) -> None:
    """One row per learning-centre case: verdict, province, school, findings, path."""
    table = Table(box=None, pad_edge=False, show_edge=False)
    for key, justify in (("col_verdict", "left"), ("col_province", "left"),
                         ("col_school", "left"), ("col_errors", "right"),
                         ("col_warnings", "right"), ("col_path", "left")):
        table.add_column(ui(lang, key), justify=justify)  # type: ignore[arg-type]
    for case in audit.cases:
        result = case.result
        table.add_row(Text(ui(lang, str(result.verdict)), style=_STYLE[result.verdict]),
                      printable(case.province) or ui(lang, "no_province"),
                      printable(result.name or ""), str(result.errors), str(result.warnings),
                      printable(result.path))
    console.print(table)
    console.print()

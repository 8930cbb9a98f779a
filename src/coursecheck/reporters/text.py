"""The default terminal report: grouped by course and file, with a summary line.

Colour only on a terminal (rich decides, and honours ``NO_COLOR``); lines never wrap, so CI logs
keep one finding per line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from coursecheck.findings import CourseResult, Severity, Verdict, summarize
from coursecheck.messages import ui
from coursecheck.streams import mark
from coursecheck.text import format_duration, printable

_IN_ZIP = re.compile(r"\.zip!(/|$)", re.IGNORECASE)
_STYLE = {Verdict.PASS: "bold green", Verdict.WARN: "bold yellow", Verdict.FAIL: "bold red"}
_MARK = {Verdict.PASS: "✓", Verdict.WARN: "!", Verdict.FAIL: "✗"}


class TextReporter:
    """Human-readable report, in Chinese or English."""

    name = "text"

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Print each course, its findings grouped by file, then the totals."""
        console = Console(file=stream, soft_wrap=True, highlight=False)
        for result in results:
            write_course(console, result, lang)
        counts = summarize(results)
        console.print(Text(ui(lang, "summary", **counts), style="bold"))


def write_course(console: Console, result: CourseResult, lang: str) -> None:
    """One course: a heading with the verdict, then its findings grouped by file."""
    verdict = result.verdict
    head = Text(f"{mark(console.file, _MARK[verdict])} ", style=_STYLE[verdict])
    head.append(printable(result.path), style="bold")
    if result.name:
        head.append(f"  {printable(result.name)}")
    head.append(f"  {ui(lang, str(verdict))}", style=_STYLE[verdict])
    duration = format_duration(result.total_duration_s)
    head.append("  (" + ui(lang, "lessons", count=len(result.lessons), duration=duration) + ")",
                style="dim")
    console.print(head)
    if not result.findings:
        console.print(Text("  " + ui(lang, "no_findings"), style="green"))
    for file, group in groupby(result.findings, key=lambda f: f.file):
        console.print(Text(f"  {printable(_heading(result, file))}", style="cyan"))
        for finding in group:
            line = Text("    ")
            line.append(f"{finding.line}:" if finding.line else "", style="dim")
            line.append(" " if finding.line else "")
            style = "red" if finding.severity is Severity.ERROR else "yellow"
            line.append(f"{finding.rule} {ui(lang, str(finding.severity))}", style=style)
            line.append(f"  {printable(finding.message)}")
            console.print(line)
    console.print()


def _heading(result: CourseResult, file: str) -> str:
    """A file's heading: its path in the course, or for a course read from a zip its whole
    location, ``course.zip!/lessons/01.mp4`` (``course.zip!`` for the zip itself)."""
    if not _IN_ZIP.search(result.path):
        return file
    return posixpath.normpath(posixpath.join(result.path, file))

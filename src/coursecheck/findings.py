"""Findings: the frozen records every rule produces and every reporter reads.

A :class:`Finding` is what went wrong, where, and how badly. A :class:`CourseResult` is everything
``coursecheck check`` learnt about one course. ``to_dict()`` is the one place that turns them into
plain data; every machine-readable format is built from it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from coursecheck.deep.facts import DeepFacts


class Severity(enum.StrEnum):
    """How much a finding matters. ``OFF`` only appears in configuration, never on a finding."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


class Verdict(enum.StrEnum):
    """The verdict on one course: no findings, warnings only, or at least one error."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: a rule ID, its severity, a POSIX path relative to the course, and a message.

    ``line`` is set for findings in the manifest; ``expected`` and ``actual`` where they apply.
    ``key`` and ``args`` are the message's catalog key and arguments, so a finding can be told
    apart (fingerprinted) and re-worded in any language; they are not part of ``to_dict()``.
    """

    rule: str
    severity: Severity
    file: str
    message: str
    line: int | None = None
    expected: str | None = None
    actual: str | None = None
    key: str = ""
    args: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data, in the documented key order."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
        }


@dataclass(frozen=True, slots=True)
class LessonSummary:
    """What the report shows about one lesson video, whatever the findings."""

    title: str
    file: str
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    codec: str | None = None
    deep: DeepFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        """The lesson as JSON-ready data; ``deep`` is null unless ``--deep`` ran on it."""
        return {
            "title": self.title,
            "file": self.file,
            "duration_s": self.duration_s,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "codec": self.codec,
            "deep": self.deep.summary() if self.deep else None,
        }


@dataclass(frozen=True, slots=True)
class CourseResult:
    """The outcome of checking one course folder."""

    path: str
    name: str | None
    lessons: tuple[LessonSummary, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> int:
        """How many error findings the course has."""
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many warning findings the course has."""
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    @property
    def total_duration_s(self) -> float:
        """The lessons' total duration in seconds; a lesson of unknown duration counts 0."""
        return sum(lesson.duration_s or 0.0 for lesson in self.lessons)

    @property
    def verdict(self) -> Verdict:
        """``fail`` on any error, ``warn`` on warnings only, else ``pass``."""
        if self.errors:
            return Verdict.FAIL
        return Verdict.WARN if self.warnings else Verdict.PASS

    def to_dict(self) -> dict[str, Any]:
        """The course as JSON-ready data."""
        return {
            "path": self.path,
            "name": self.name,
            "verdict": str(self.verdict),
            "lessons": [lesson.to_dict() for lesson in self.lessons],
            "findings": [f.to_dict() for f in self.findings],
        }


def summarize(results: Iterable[CourseResult]) -> dict[str, int]:
    """Counts over many courses: courses, passed, warned, failed, errors and warnings."""
    results = list(results)
    verdicts = [r.verdict for r in results]
    return {
        "courses": len(results),
        "passed": verdicts.count(Verdict.PASS),
        "warned": verdicts.count(Verdict.WARN),
        "failed": verdicts.count(Verdict.FAIL),
        "errors": sum(r.errors for r in results),
        "warnings": sum(r.warnings for r in results),
    }

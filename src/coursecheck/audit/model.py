"""The result of an audit: every course's result plus what the province rules found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursecheck import __version__
from coursecheck.facts import ManifestFacts
from coursecheck.findings import CourseResult, Finding, Severity, summarize
from coursecheck.settings import Settings

NO_PROVINCE = ""


@dataclass(frozen=True, slots=True)
class AuditCourse:
    """One audited course: its result, the summary-table fields from its manifest, and the
    settings it was checked with (the HTML report draws its duration limits from them)."""

    result: CourseResult
    root: Path
    province: str = NO_PROVINCE
    level: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    manifest: ManifestFacts | None = None
    settings: Settings = field(default_factory=Settings)

    @property
    def listable(self) -> bool:
        """Whether the course goes into the summary table: it passed or only warned."""
        return self.result.errors == 0


@dataclass(frozen=True, slots=True)
class ProvinceReport:
    """One province: its courses (paths) and the province-level findings."""

    province: str
    courses: tuple[str, ...]
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; an unknown province is ``null``."""
        return {"province": self.province or None, "courses": list(self.courses),
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class AuditResult:
    """All courses, sorted by province then path, and the province reports.

    ``lang`` is the report's language: ``--lang``, else ``$COURSECHECK_LANG``, else the
    configured ``lang`` of the first course found (by path), else the locale's.
    """

    courses: tuple[AuditCourse, ...]
    provinces: tuple[ProvinceReport, ...] = ()
    interrupted: bool = False
    found: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    lang: str = "en"

    @property
    def results(self) -> list[CourseResult]:
        """The course results in report order."""
        return [c.result for c in self.courses]

    @property
    def province_findings(self) -> list[Finding]:
        """Every province-level finding."""
        return [f for p in self.provinces for f in p.findings]

    def summary(self) -> dict[str, int]:
        """Core's summary counts, with province findings added to errors and warnings."""
        counts = summarize(self.results)
        extra = self.province_findings
        counts["errors"] += sum(1 for f in extra if f.severity is Severity.ERROR)
        counts["warnings"] += sum(1 for f in extra if f.severity is Severity.WARNING)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """Core's JSON report plus a top-level ``audit`` block."""
        return {
            "tool": {"name": "coursecheck", "version": __version__},
            "courses": [r.to_dict() for r in self.results],
            "summary": self.summary(),
            "audit": {
                "courses_found": self.found,
                "courses_checked": len(self.courses),
                "interrupted": self.interrupted,
                "provinces": [p.to_dict() for p in self.provinces],
            },
        }

"""The result of an audit: every course's result plus what the province rules found."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursecheck.case import CaseFacts, CaseView
from coursecheck.facts import ManifestFacts
from coursecheck.findings import CourseResult, Finding, Severity, summarize
from coursecheck.manifest import ManifestView
from coursecheck.reporters.json_reporter import report_dict
from coursecheck.settings import Settings
from coursecheck.statistics import StatisticsFacts

NO_PROVINCE = ""


@dataclass(frozen=True, slots=True)
class AuditCourse:
    """One audited course: its result, its manifest (the summary-table fields come from it),
    and the settings it was checked with (the HTML report draws its duration limits from them)."""

    result: CourseResult
    root: Path
    manifest: ManifestFacts | None = None
    settings: Settings = field(default_factory=Settings)

    @property
    def _view(self) -> ManifestView | None:
        return self.manifest.view if self.manifest else None

    @property
    def province(self) -> str:
        """The manifest's province, or :data:`NO_PROVINCE`."""
        view = self._view
        return (view.province or NO_PROVINCE) if view else NO_PROVINCE

    @property
    def level(self) -> str | None:
        """The manifest's level (``county``, ``township``, ``village``), if any."""
        view = self._view
        return view.level if view else None

    @property
    def contact_name(self) -> str | None:
        """The manifest's contact name, if any."""
        view = self._view
        return view.contact.name if view and view.contact else None

    @property
    def contact_phone(self) -> str | None:
        """The manifest's contact phone, if any."""
        view = self._view
        return view.contact.phone if view and view.contact else None

    @property
    def recommendation_order(self) -> int | None:
        """The manifest's ``recommendation_order``, if any."""
        view = self._view
        return view.recommendation_order if view else None

    @property
    def listable(self) -> bool:
        """Whether the course goes into the summary table: it passed or only warned."""
        return self.result.errors == 0

    kind = "course"


@dataclass(frozen=True, slots=True)
class AuditCase:
    """One audited learning-centre case (附件4): its result (named after the school), its
    case.yaml facts and its settings."""

    result: CourseResult
    root: Path
    facts: CaseFacts | None = None
    settings: Settings = field(default_factory=Settings)

    @property
    def view(self) -> CaseView | None:
        """What validated in case.yaml, if it could be read."""
        return self.facts.view if self.facts else None

    @property
    def province(self) -> str:
        """The case's province, or :data:`NO_PROVINCE`."""
        return (self.view.province or NO_PROVINCE) if self.view else NO_PROVINCE

    @property
    def level(self) -> str | None:
        """The case's level (``county``, ``township``, ``village``), if any."""
        return self.view.level if self.view else None

    @property
    def contact_name(self) -> str | None:
        """The school's contact, whom the summary table names."""
        contact = self.view.school_contact if self.view else None
        return contact.name if contact else None

    @property
    def contact_phone(self) -> str | None:
        """The school contact's phone."""
        contact = self.view.school_contact if self.view else None
        return contact.phone if contact else None

    @property
    def recommendation_order(self) -> int | None:
        """The case's ``recommendation_order``, if any."""
        return self.view.recommendation_order if self.view else None

    @property
    def listable(self) -> bool:
        """Whether the case goes into the forms: no errors."""
        return self.result.errors == 0

    kind = "case"


Project = AuditCourse | AuditCase


def by_recommendation(projects: Iterable[Project]) -> list[Project]:
    """Projects in the province's recommendation order, those without one after, by path."""
    return sorted(projects, key=lambda p: (p.recommendation_order is None,
                                           p.recommendation_order or 0, p.result.path))


@dataclass(frozen=True, slots=True)
class ProvinceReport:
    """One province: its courses and cases (paths), its statistics file and the province-level
    findings."""

    province: str
    courses: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    cases: tuple[str, ...] = ()
    statistics: StatisticsFacts | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; an unknown province is ``null``."""
        return {"province": self.province or None, "courses": list(self.courses),
                "cases": list(self.cases),
                "statistics": self.statistics.path if self.statistics else None,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass(frozen=True, slots=True)
class AuditResult:
    """All courses, sorted by province then path, and the province reports.

    ``lang`` is the report's language: ``--lang``, else ``$COURSECHECK_LANG``, else the
    configured ``lang`` of the first course found (by path), else the locale's.
    """

    courses: tuple[AuditCourse, ...]
    provinces: tuple[ProvinceReport, ...] = ()
    cases: tuple[AuditCase, ...] = ()
    interrupted: bool = False
    exit_code: int = 0  # when interrupted: 130 after Ctrl-C, 143 after SIGTERM
    found: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    lang: str = "en"
    engine: dict[str, Any] = field(default_factory=dict)

    @property
    def results(self) -> list[CourseResult]:
        """The course results in report order."""
        return [c.result for c in self.courses]

    @property
    def case_results(self) -> list[CourseResult]:
        """The case results in report order."""
        return [c.result for c in self.cases]

    @property
    def province_findings(self) -> list[Finding]:
        """Every province-level finding."""
        return [f for p in self.provinces for f in p.findings]

    def findings_in_order(self) -> Iterator[tuple[str | None, str, Finding]]:
        """Each course's findings, each case's, then the province findings, each with its
        course's (case's) path (``None`` for a province finding) and its province."""
        projects: tuple[Project, ...] = (*self.courses, *self.cases)
        for project in projects:
            for finding in project.result.findings:
                yield project.result.path, project.province, finding
        for report in self.provinces:
            for finding in report.findings:
                yield None, report.province, finding

    def summary(self) -> dict[str, int]:
        """Core's summary counts of the courses, with the findings of cases and provinces
        added to errors and warnings."""
        counts = summarize(self.results)
        extra = [*self.province_findings, *(f for c in self.cases for f in c.result.findings)]
        counts["errors"] += sum(1 for f in extra if f.severity is Severity.ERROR)
        counts["warnings"] += sum(1 for f in extra if f.severity is Severity.WARNING)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """Core's JSON report, its summary counting the province findings, plus a top-level
        ``audit`` block (whose ``engine`` names where the work ran, see
        :mod:`coursecheck.cluster.engine`)."""
        return {
            **report_dict(self.results),
            "summary": self.summary(),
            "audit": {
                "courses_found": self.found,
                "courses_checked": len(self.courses),
                "cases": [c.result.to_dict() for c in self.cases],
                "interrupted": self.interrupted,
                "provinces": [p.to_dict() for p in self.provinces],
                "engine": self.engine,
            },
        }

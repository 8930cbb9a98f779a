"""What the province rules see: a province's projects (brand courses and learning-centre cases)
and its statistics file.

Annex 3 lists both kinds of brand project together, so the province rules read one record shape
for both: its kind, where its manifest is, and the summary-table fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coursecheck.facts import ManifestFacts
from coursecheck.manifest import FieldError
from coursecheck.statistics import StatisticsFacts
from coursecheck.yamlload import YamlDoc

Kind = Literal["course", "case"]


@dataclass(frozen=True, slots=True)
class AuditedProject:
    """One brand project as the province rules see it.

    ``valid`` is false when the manifest could not be read at all (the course or case rules
    report that); ``wrong`` names the fields (``contact.phone``) that are present but invalid,
    which C003/K001 report; ``contact_key`` is how its manifest names the contact (``contact`` for a
    course, ``school_contact`` for a case).
    """

    kind: Kind
    path: str
    file: str
    doc: YamlDoc | None = None
    valid: bool = True
    name: str | None = None
    province: str | None = None
    level: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    order: int | None = None
    wrong: frozenset[str] = frozenset()

    @property
    def contact_key(self) -> str:
        """The manifest key of the contact the summary table shows."""
        return "contact" if self.kind == "course" else "school_contact"

    @property
    def manifest_path(self) -> str:
        """The manifest's path from the working directory, for locations."""
        return f"{self.path}/{self.file}"

    def line_of(self, *path: str | int) -> int | None:
        """The 1-based manifest line of a field path (or its nearest parent), or ``None``."""
        return self.doc.line_of(tuple(path)) if self.doc else None


@dataclass(frozen=True, slots=True)
class ProvinceFacts:
    """One province: its courses and its cases, each sorted by path, and its statistics."""

    province: str
    courses: tuple[AuditedProject, ...] = ()
    cases: tuple[AuditedProject, ...] = ()
    statistics: StatisticsFacts | None = None

    @property
    def projects(self) -> tuple[AuditedProject, ...]:
        """Courses and cases together, by path."""
        return tuple(sorted((*self.courses, *self.cases), key=lambda p: p.path))


def wrong_fields(errors: Sequence[FieldError]) -> frozenset[str]:
    """The dotted names of the fields a manifest has but got wrong."""
    return frozenset(".".join(map(str, e.path)) for e in errors if e.kind != "missing")


def course_project(path: str, manifest: ManifestFacts) -> AuditedProject:
    """The province rules' view of one course, from its manifest facts alone.

    ``check`` and ``audit`` both build it here, so a course checked alone and inside an audit
    gets the same A003/A004 findings.
    """
    view = manifest.view
    contact = view.contact if view else None
    return AuditedProject(
        "course", path, manifest.file or "course.yaml", manifest.doc, view is not None,
        view.name if view else None, view.province if view else None,
        view.level if view else None, contact.name if contact else None,
        contact.phone if contact else None, view.recommendation_order if view else None,
        wrong_fields(manifest.field_errors))

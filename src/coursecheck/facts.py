"""The facts about one course that rules read: manifest, lessons with media facts, cover, files.

Gathering them (:mod:`coursecheck.gather`) touches the file system; rules only read these records.
"""

from __future__ import annotations

from dataclasses import dataclass

from coursecheck.cover import ImageFacts
from coursecheck.deep.facts import DeepFacts
from coursecheck.manifest import FieldError, LessonEntry, ManifestView
from coursecheck.paths import Resolved
from coursecheck.probe import MediaFacts
from coursecheck.slips import Slip
from coursecheck.yamlload import PathKey, YamlDoc, YamlError


@dataclass(frozen=True, slots=True)
class ManifestFacts:
    """The manifest file, how it decoded, and what loading and validating it found.

    ``slips`` are the input-method slips (full-width colons and spaces, tabs) in its text;
    ``near`` is, when there is no manifest, a file that looks like one under another name
    (``course.yaml.txt``, ``Course.yaml``, ``课程.yaml``).
    """

    file: str | None
    encoding: str | None = None
    load_error: YamlError | None = None
    doc: YamlDoc | None = None
    view: ManifestView | None = None
    field_errors: tuple[FieldError, ...] = ()
    slips: tuple[Slip, ...] = ()
    near: str | None = None

    def line_of(self, *path: str | int) -> int | None:
        """The 1-based manifest line of a field path, or ``None``."""
        return self.doc.line_of(tuple(path)) if self.doc else None

    def written(self, *path: str | int) -> str | None:
        """A value as the manifest spells it, when YAML read it as something other than text
        (``02164321765``, ``false``), else ``None``."""
        return self.doc.typed.get(tuple(path)) if self.doc else None


@dataclass(frozen=True, slots=True)
class LessonFacts:
    """One lesson: its manifest entry, where its file resolved, and (if probed) media facts.

    ``duplicate_of`` is the index of the earlier lesson that names the same file. ``deep`` is
    what the decode pass found, when ``--deep`` ran on the lesson.
    """

    entry: LessonEntry
    path: Resolved
    media: MediaFacts | None = None
    duplicate_of: int | None = None
    deep: DeepFacts | None = None

    @property
    def file(self) -> str:
        """The lesson's file as written in the manifest, in POSIX form."""
        return self.path.written


@dataclass(frozen=True, slots=True)
class CoverFacts:
    """The cover path and, when it could be opened, the image facts."""

    path: Resolved
    image: ImageFacts | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """A zip member that was not written: its name, why (``escape``, ``symlink``, ``encrypted``,
    ``ratio``, ``total``, ``members``, ``unreadable``) and a detail; ``"."`` names the zip as
    a whole."""

    member: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ArchiveFacts:
    """A course read from a zip: the zip as reports show it, and the members refused.

    ``strip`` is the folder the course sits in inside the zip (``课程/``), or empty.
    """

    display: str
    refused: tuple[Refused, ...] = ()
    readable: bool = True
    strip: str = ""

    @property
    def refused_whole(self) -> bool:
        """Whether nothing was unpacked: the zip does not open, or it is over the size limit."""
        return any(item.member == "." for item in self.refused)

    def location(self, refused: Refused) -> str:
        """Where a refused member is, relative to the course folder (``.``: the zip itself, or
        a member outside the course's folder, which the message names)."""
        name = refused.member
        if refused.reason in ("escape", "total") or name == "." or not name.startswith(
                self.strip):
            return "."
        return name[len(self.strip):]


@dataclass(frozen=True, slots=True)
class CourseFacts:
    """Everything known about one course folder before any rule runs."""

    manifest: ManifestFacts
    lessons: tuple[LessonFacts, ...] = ()
    cover: CoverFacts | None = None
    files: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (POSIX path, reason) the folder walk could not see
    archive: ArchiveFacts | None = None  # set when the course was read from a zip

    @property
    def manifest_file(self) -> str:
        """The manifest's name for locations, ``course.yaml`` when there is none."""
        return self.manifest.file or "course.yaml"

    def manifest_line(self, *path: str | int) -> int | None:
        """Shorthand for the manifest line of a field path."""
        return self.manifest.line_of(*path)


__all__ = ["ArchiveFacts", "CourseFacts", "CoverFacts", "LessonFacts", "ManifestFacts", "PathKey",
           "Refused"]

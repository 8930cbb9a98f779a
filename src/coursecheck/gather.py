"""Folder → facts: read the manifest, resolve every path, probe each lesson once, read the cover.

This is the only stage that touches the course folder, and it only reads: files are opened for
reading, and only regular files that resolve inside the folder. It runs in two steps so a batch
can probe many courses' files together: :func:`plan_course` (manifest, paths, cover, file list)
then :func:`complete` (media facts from a prober).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from coursecheck.cover import read_image
from coursecheck.facts import CourseFacts, CoverFacts, LessonFacts, ManifestFacts
from coursecheck.manifest import validate
from coursecheck.paths import PathStatus, Skipped, resolve_inside, walk_files
from coursecheck.probe import MediaFacts, probe
from coursecheck.spec import MANIFEST_NAMES
from coursecheck.yamlload import MAX_BYTES, YamlDoc, YamlError, decode, load_yaml

Prober = Callable[[Path], MediaFacts]  # called with each lesson file's real (resolved) path
NOT_A_FILE = MediaFacts(file_size=0, error="not_file")


def find_manifest(root: Path) -> Path | None:
    """``course.yaml`` or else ``course.yml`` in ``root`` (even a broken link), or ``None``."""
    for name in MANIFEST_NAMES:
        candidate = root / name
        if os.path.lexists(candidate):
            return candidate
    return None


def read_manifest(path: Path | None) -> ManifestFacts:
    """Load and validate a manifest; every problem is recorded, none is raised.

    The manifest's folder is the course folder: a manifest that resolves outside it (a symlink)
    is not opened, however the path is spelled.
    """
    if path is None:
        return ManifestFacts(file=None)
    read = read_document(path)
    if isinstance(read.result, YamlError):
        return ManifestFacts(path.name, read.encoding, load_error=read.result)
    view, errors = validate(read.result.data)
    return ManifestFacts(path.name, read.encoding, doc=read.result, view=view,
                         field_errors=tuple(errors))


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A YAML file read inside its folder: the encoding it decoded with, and the document or
    why it could not be read."""

    encoding: str | None
    result: YamlDoc | YamlError


def read_document(path: Path) -> ReadDocument:
    """Read and parse the YAML file ``path`` within the size, depth and alias limits.

    A file that resolves outside its own folder (a symlink) is not opened.
    """
    where = resolve_inside(path.parent, path.name)
    if where.status is PathStatus.OUTSIDE:
        return ReadDocument(None, YamlError("outside", where.reason))
    if where.status is not PathStatus.OK:
        return ReadDocument(None, YamlError("unreadable", where.reason or "not a regular file"))
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return ReadDocument(None, YamlError("unreadable", exc.strerror or str(exc)))
    decoded = decode(raw)
    if isinstance(decoded, YamlError):
        return ReadDocument(None, decoded)
    return ReadDocument(decoded.encoding, load_yaml(decoded.text))


@dataclass(frozen=True, slots=True)
class CoursePlan:
    """Everything about a course except media facts, and which files still need probing."""

    facts: CourseFacts

    @property
    def to_probe(self) -> list[Path]:
        """Distinct regular files inside the course that the lessons name, in lesson order."""
        seen: dict[Path, None] = {}
        for lesson in self.facts.lessons:
            if lesson.path.status is PathStatus.OK and lesson.path.real is not None:
                seen.setdefault(lesson.path.real)
        return list(seen)


def plan_course(root: Path, manifest: Path | None) -> CoursePlan:
    """Read the manifest and cover and resolve every lesson path; probe nothing yet."""
    facts = read_manifest(manifest)
    view = facts.view
    lessons: list[LessonFacts] = []
    first_use: dict[Path, int] = {}
    for entry in view.lessons if view else ():
        resolved = resolve_inside(root, entry.lesson.file)
        duplicate_of = None
        if resolved.real is not None and resolved.status is not PathStatus.OUTSIDE:
            first = first_use.setdefault(resolved.real, entry.index)
            duplicate_of = None if first == entry.index else first
        media = NOT_A_FILE if resolved.status is PathStatus.NOT_FILE else None  # never opened
        lessons.append(LessonFacts(entry, resolved, media, duplicate_of))
    cover = None
    if view and view.cover:
        where = resolve_inside(root, view.cover)
        image = read_image(where.real) if where.status is PathStatus.OK and where.real else None
        cover = CoverFacts(where, image)
    skipped: list[Skipped] = []
    files = tuple(walk_files(root, skipped))
    unseen = tuple((_relative(s.path, root), s.reason) for s in skipped)
    return CoursePlan(CourseFacts(facts, tuple(lessons), cover, files, unseen))


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else "."


def complete(plan: CoursePlan, prober: Prober) -> CourseFacts:
    """The plan's facts with media facts filled in; ``prober`` runs once per distinct file."""
    probed = {path: prober(path) for path in plan.to_probe}
    lessons = tuple(
        replace(lesson, media=probed[lesson.path.real])
        if lesson.path.real in probed and lesson.path.status is PathStatus.OK else lesson
        for lesson in plan.facts.lessons)
    return replace(plan.facts, lessons=lessons)


def gather(root: Path, manifest: Path | None, prober: Prober = probe) -> CourseFacts:
    """All facts about the course in ``root``; ``prober`` runs once per distinct lesson file."""
    return complete(plan_course(root, manifest), prober)

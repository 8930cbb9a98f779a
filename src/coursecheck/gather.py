"""Folder → facts: read the manifest, resolve every path, probe each lesson once, read the cover.

This is the only stage that touches the course folder, and it only reads: files are opened for
reading, and only regular files that resolve inside the folder. It runs in two steps so a batch
can probe many courses' files together: :func:`plan_course` (manifest, paths, cover, file list)
then :func:`complete` (media facts from a prober).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from coursecheck.cover import ImageFacts, read_image
from coursecheck.facts import CourseFacts, CoverFacts, LessonFacts, ManifestFacts
from coursecheck.initmanifest import natural_key
from coursecheck.manifest import Lesson, LessonEntry, validate
from coursecheck.paths import (
    Listings,
    PathStatus,
    Skipped,
    resolve_inside,
    resolve_listed,
    walk_files,
)
from coursecheck.probe import MediaFacts, probe
from coursecheck.slips import Slip, load_forgiving
from coursecheck.spec import AUDIO_EXTENSIONS, CASE_NAMES, MANIFEST_NAMES, VIDEO_EXTENSIONS
from coursecheck.yamlload import MAX_BYTES, YamlDoc, YamlError, decode

Prober = Callable[[Path], MediaFacts]  # called with each lesson file's real (resolved) path
NOT_A_FILE = MediaFacts(file_size=0, error="not_file")
MEDIA_EXTENSIONS = VIDEO_EXTENSIONS | AUDIO_EXTENSIONS


def find_manifest(root: Path) -> Path | None:
    """``course.yaml`` or else ``course.yml`` in ``root`` (even a broken link), or ``None``.

    The names are compared with the folder's listing, so ``Course.yaml`` is not taken for
    ``course.yaml`` on a case-insensitive disk either: the platforms' servers would not.
    """
    try:
        names = set(os.listdir(root))
    except OSError:
        return None
    for name in MANIFEST_NAMES:
        if name in names:
            return root / name
    return None


def near_manifest(root: Path) -> str | None:
    """A file in ``root`` that looks like a misnamed manifest, or ``None``.

    In order: ``Course.yaml`` or ``course.yaml `` (case, spaces), then ``course.yaml.txt``
    (Windows hides the extension), then any other ``*.yaml``/``*.yml`` (``课程.yaml``).
    """
    try:
        names = sorted(n for n in os.listdir(root) if not n.startswith(".")
                       and (root / n).is_file())
    except OSError:
        return None
    tests = (lambda n: n.strip().lower() in MANIFEST_NAMES,
             lambda n: n.strip().lower().removesuffix(".txt") in MANIFEST_NAMES,
             lambda n: n.strip().lower().endswith((".yaml", ".yml", ".yaml.txt", ".yml.txt")))
    for test in tests:
        found = [n for n in names if test(n)]
        if found:
            return found[0]
    return None


def read_manifest(path: Path | None, raw: bytes | None = None) -> ManifestFacts:
    """Load and validate a manifest; every problem is recorded, none is raised.

    The manifest's folder is the course folder: a manifest that resolves outside it (a symlink)
    is not opened, however the path is spelled. ``raw``: its bytes, when the caller read them
    already (with :func:`document_bytes`).
    """
    if path is None:
        return ManifestFacts(file=None)
    read = read_document(path, raw)
    if isinstance(read.result, YamlError):
        return ManifestFacts(path.name, read.encoding, load_error=read.result, slips=read.slips)
    view, errors = validate(read.result.data)
    return ManifestFacts(path.name, read.encoding, doc=read.result, view=view,
                         field_errors=tuple(errors), slips=read.slips)


@dataclass(frozen=True, slots=True)
class ReadDocument:
    """A YAML file read inside its folder: the encoding it decoded with, the document or why
    it could not be read, and the input-method slips in its text (see :mod:`coursecheck.slips`).
    """

    encoding: str | None
    result: YamlDoc | YamlError
    slips: tuple[Slip, ...] = ()


def read_document(path: Path, raw: bytes | None = None) -> ReadDocument:
    """Read and parse the YAML file ``path`` within the size, depth and alias limits (``raw``:
    its bytes, when :func:`document_bytes` read them already).

    A file that resolves outside its own folder (a symlink) is not opened.
    """
    got = document_bytes(path) if raw is None else raw
    if isinstance(got, ReadDocument):
        return got
    decoded = decode(got)
    if isinstance(decoded, YamlError):
        return ReadDocument(None, decoded)
    return ReadDocument(decoded.encoding, *load_forgiving(decoded.text))


def document_bytes(path: Path) -> bytes | ReadDocument:
    """The bytes of the YAML file ``path`` (at most one more than the size limit), or why they
    could not be read; a file that resolves outside its own folder (a symlink) is not opened."""
    where = resolve_inside(path.parent, path.name)
    if where.status is PathStatus.OUTSIDE:
        return ReadDocument(None, YamlError("outside", where.reason))
    if where.status is not PathStatus.OK:
        return ReadDocument(None, YamlError("unreadable", where.reason or "not a regular file"))
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return ReadDocument(None, YamlError("unreadable", exc.strerror or str(exc)))


@dataclass(frozen=True, slots=True)
class Listing:
    """What a walk of a course folder found (:func:`walk_files`): its files, and what it could
    not look at as ``(path, reason)``."""

    files: tuple[str, ...]
    unseen: tuple[tuple[str, str], ...]


def list_course(root: Path) -> Listing:
    """Walk the course folder ``root`` once."""
    skipped: list[Skipped] = []
    files = tuple(walk_files(root, skipped))
    return Listing(files, tuple((_relative(s.path, root), s.reason) for s in skipped))


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


def media_files(files: Sequence[str]) -> list[str]:
    """The video and audio files among ``files`` (a folder's :func:`walk_files`), in natural
    name order (``2.mp4`` before ``10.mp4``); hidden ones (``._01.mp4``) are left out."""
    found = [f for f in files if PurePosixPath(f).suffix.lower() in MEDIA_EXTENSIONS
             and not PurePosixPath(f).name.startswith(".")]
    return sorted(found, key=natural_key)


def outside_nested_projects(files: Sequence[str]) -> list[str]:
    """``files`` less those inside a sub-folder that is a course or case of its own (it holds
    ``course.yaml`` or ``case.yaml``): those are checked as that course, not as this folder's."""
    nested = {PurePosixPath(f).parent for f in files
              if PurePosixPath(f).name in (*MANIFEST_NAMES, *CASE_NAMES)
              and PurePosixPath(f).parent != PurePosixPath(".")}
    return [f for f in files if not nested.intersection(PurePosixPath(f).parents)]


def _unlisted_lessons(root: Path, files: Sequence[str]) -> tuple[LessonFacts, ...]:
    """Without a manifest, every media file in the folder is checked as a lesson, so an author
    sees every technical problem before writing ``course.yaml``. Files of a course or case in a
    sub-folder belong to it, not to this folder."""
    files = outside_nested_projects(files)
    return tuple(
        LessonFacts(LessonEntry(index, Lesson.model_construct(
            title=PurePosixPath(name).stem, file=name, knowledge_point=None)),
                    resolve_inside(root, name))
        for index, name in enumerate(media_files(files)))


def plan_course(root: Path, manifest: Path | None,
                read_cover: Callable[[Path], ImageFacts] = read_image,
                raw: bytes | None = None, listing: Listing | None = None) -> CoursePlan:
    """Read the manifest and cover (with ``read_cover``: an audit's reads through the cache)
    and resolve every lesson path; probe nothing yet. ``raw`` and ``listing``: the manifest's
    bytes and the folder's walk, when the caller has them already.

    A folder without a manifest gets every video and audio file in it as its lessons.
    """
    facts = read_manifest(manifest, raw)
    listing = listing or list_course(root)
    files, unseen = listing.files, listing.unseen
    if manifest is None:
        facts = replace(facts, near=near_manifest(root))
        return CoursePlan(CourseFacts(facts, _unlisted_lessons(root, files), None, files, unseen))
    view = facts.view
    lessons: list[LessonFacts] = []
    first_use: dict[Path, int] = {}
    listings: Listings = {}  # each folder listed once, to compare names with case
    for entry in view.lessons if view else ():
        resolved = resolve_listed(root, entry.lesson.file, listings)
        duplicate_of = None
        if resolved.real is not None and resolved.status is not PathStatus.OUTSIDE:
            first = first_use.setdefault(resolved.real, entry.index)
            duplicate_of = None if first == entry.index else first
        media = NOT_A_FILE if resolved.status is PathStatus.NOT_FILE else None  # never opened
        lessons.append(LessonFacts(entry, resolved, media, duplicate_of))
    cover = None
    if view and view.cover:
        where = resolve_listed(root, view.cover, listings)
        image = read_cover(where.real) if where.status is PathStatus.OK and where.real else None
        cover = CoverFacts(where, image)
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


def gather(root: Path, manifest: Path | None, prober: Prober = probe,
           read_cover: Callable[[Path], ImageFacts] = read_image) -> CourseFacts:
    """All facts about the course in ``root``; ``prober`` runs once per distinct lesson file,
    ``read_cover`` on the cover."""
    return complete(plan_course(root, manifest, read_cover), prober)

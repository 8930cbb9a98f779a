"""The course cache: an audited course kept whole, so an unchanged course costs one read.

A warm re-run used to rebuild every course from its parts: parse the manifest, resolve each lesson,
read one probe entry per lesson, run the rules. At 2,000 lessons that was most of the run. Now
``audit`` keeps, per course folder, its manifest facts and its result (``course/`` in the cache
folder), and answers an unchanged course from that one entry.

"Unchanged" is checked, never assumed: :mod:`coursecheck.audit.snapshotkey` says what the key
holds and what a hit checks again; :mod:`coursecheck.audit.snapshotjson` turns the course into
JSON and back.

A course is kept only when its result can be given back exactly: it has a manifest, ``--deep``
is off, no check crashed, every answer came from the files themselves (no passing read error),
and no file changed while it was checked. Entries are read as hostile input like every other
cache entry (:mod:`coursecheck.cachestore`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from coursecheck.audit.model import AuditCourse
from coursecheck.audit.snapshotjson import (
    Unkept,
    manifest_from_json,
    manifest_to_json,
    result_from_json,
    result_to_json,
)
from coursecheck.audit.snapshotkey import CourseKey, build_id, course_key, kept_path, still_holds
from coursecheck.cache import CACHEABLE_ERRORS, open_store
from coursecheck.cachestore import Store
from coursecheck.cover import ImageFacts
from coursecheck.covercache import worth_keeping
from coursecheck.facts import CourseFacts
from coursecheck.fileid import FileId, identify, unchanged
from coursecheck.gather import CoursePlan, Listing, ReadDocument, document_bytes, list_course
from coursecheck.options import RunOptions
from coursecheck.paths import PathStatus
from coursecheck.settings import Settings

MAX_BYTES = 1024 * 1024  # a 10-lesson course takes about 9 KB


@dataclass(frozen=True, slots=True)
class Draft:
    """A course the cache missed: its key, and the bytes and walk its facts are made from."""

    key: CourseKey
    raw: bytes
    listing: Listing
    ids: dict[Path, FileId | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Look:
    """What the cache said of a course: ``kept`` on a hit; else a ``draft`` to keep it under
    (``None`` when it may not be kept)."""

    kept: AuditCourse | None = None
    draft: Draft | None = None


class Snapshots:
    """Kept courses in ``store`` (``None``: the cache is off, and every look misses)."""

    def __init__(self, store: Store | None) -> None:
        self.store = store

    @cached_property
    def _versions(self) -> tuple[tuple[str, str], ...] | None:
        from coursecheck.probe import library_version

        library = library_version()
        return None if library is None else (("build", build_id()), ("mediainfo", library))

    def look(self, root: Path, display: str, settings: Settings, manifest: Path | None) -> Look:
        """The kept course at ``root``, if nothing it was made from has changed."""
        store = self.store
        versions = self._versions if store is not None else None
        if store is None or versions is None or manifest is None or settings.deep != "off":
            return Look()
        raw = document_bytes(manifest)
        if isinstance(raw, ReadDocument):
            return Look()
        listing = list_course(root)
        key = course_key(root, display, settings, versions, manifest.name, raw, listing)
        value = store.get(key, _entry)
        draft = Draft(key, raw, listing)
        if value is None:
            return Look(draft=draft)
        try:
            if not still_holds(root, key.root, listing, [*value["lessons"], value["cover"]]):
                return Look(draft=draft)
            result = result_from_json(value["result"], display)
            facts = manifest_from_json(value["manifest"])
        except Exception:  # any garbage at all is damage; it must never end the run
            store.damaged += 1
            return Look(draft=draft)
        return Look(AuditCourse(result, root, facts, settings))

    def keep(self, draft: Draft, facts: CourseFacts, course: AuditCourse) -> None:
        """Keep ``course`` (checked from ``facts``) under ``draft``'s key, if it may be."""
        if self.store is None or any(f.rule == "X001" for f in course.result.findings):
            return
        try:
            value = {"lessons": [kept_path(lesson.path, draft.ids) for lesson in facts.lessons],
                     "cover": None if facts.cover is None else kept_path(facts.cover.path,
                                                                         draft.ids),
                     "manifest": manifest_to_json(facts.manifest),
                     "result": result_to_json(course.result)}
        except Unkept:
            return
        if _settled(facts, draft.ids):
            self.store.put(draft.key, value)


def identify_lessons(draft: Draft, plan: CoursePlan) -> None:
    """Note in ``draft`` the identity of every lesson file, taken before they are probed; a
    file read already (the cover may be a lesson too) keeps the identity it had before that
    read, so a change since then fails :func:`_settled` instead of being kept with the new one."""
    for path in plan.to_probe:
        if path not in draft.ids:
            draft.ids[path] = identify(path)


def recording(read: Callable[[Path], ImageFacts], ids: dict[Path, FileId | None]
              ) -> Callable[[Path], ImageFacts]:
    """``read`` (the cover reader), noting in ``ids`` who each file was before it was read."""
    def reader(path: Path) -> ImageFacts:
        ids[path] = identify(path)
        return read(path)
    return reader


@contextmanager
def course_snapshots(options: RunOptions, notes: list[str], roots: Sequence[Path] | None = None
                     ) -> Iterator[Snapshots]:
    """The course cache for one audit (it misses everything when the cache is off)."""
    with open_store("course", options, notes, roots, MAX_BYTES) as store:
        yield Snapshots(store)


def _settled(facts: CourseFacts, ids: dict[Path, FileId | None]) -> bool:
    """Whether every answer came from the files alone and no file changed since it was read."""
    for lesson in facts.lessons:
        if lesson.path.status is PathStatus.OK and (
                lesson.media is None or lesson.media.error not in CACHEABLE_ERRORS):
            return False
    image = facts.cover.image if facts.cover else None
    if facts.cover is not None and facts.cover.path.status is PathStatus.OK and (
            image is None or not worth_keeping(image.error)):
        return False
    return all(found is not None and unchanged(found) for found in ids.values())


def _entry(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or value.keys() != {"lessons", "cover", "manifest", "result"}:
        raise ValueError("not a kept course")
    if not isinstance(value["lessons"], list):
        raise ValueError("not a kept course")
    return value

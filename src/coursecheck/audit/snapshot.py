"""The course cache: an audited course kept whole, so an unchanged course costs one read.

A warm re-run used to rebuild every course from its parts: parse the manifest, resolve each lesson,
read one probe entry per lesson, run the rules. At 2,000 lessons that was most of the run. Now
``audit`` keeps, per course folder, its manifest facts and its result (``course/`` in the cache
folder), and answers an unchanged course from that one entry.

"Unchanged" is checked, never assumed. The entry's key holds the course folder's real path, how
it is shown, the manifest's name and a hash of its bytes, a hash of the folder's listing (every
file a walk finds, and what it could not look at), a hash of the course's settings, and the
versions of everything that made the result: a fingerprint of coursecheck's own files (so an
edited rule is never answered by an old result), Python, pydantic, PyYAML, Pillow and
libmediainfo. The entry then holds how every lesson path and the cover resolved and the
identity of each file (:class:`~coursecheck.fileid.FileId`: size, times, inode, content
fingerprint); a hit resolves each path again (or, on POSIX, sees it in the listing as a plain
file under the folder) and identifies each file again, and any difference is a miss.

A course is kept only when its result can be given back exactly: it has a manifest, ``--deep``
is off, no check crashed, every answer came from the files themselves (no passing read error),
and no file changed while it was checked. Entries are read as hostile input like every other
cache entry (:mod:`coursecheck.cachestore`).
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import coursecheck
from coursecheck.audit.model import AuditCourse
from coursecheck.audit.snapshotjson import (
    Unkept,
    manifest_from_json,
    manifest_to_json,
    result_from_json,
    result_to_json,
)
from coursecheck.cache import CACHEABLE_ERRORS, open_store
from coursecheck.cachestore import Store
from coursecheck.cover import ImageFacts
from coursecheck.covercache import worth_keeping
from coursecheck.facts import CourseFacts
from coursecheck.fileid import FileId, identify, unchanged
from coursecheck.gather import CoursePlan, Listing, ReadDocument, document_bytes, list_course
from coursecheck.options import RunOptions
from coursecheck.paths import Listings, PathStatus, Resolved, real_root, resolve_listed
from coursecheck.settings import Settings

LAYOUT = "course-1"
MAX_BYTES = 1024 * 1024  # a 10-lesson course takes about 9 KB


@dataclass(frozen=True, slots=True)
class CourseKey:
    """What a course's entry is for; its slot is named after the folder alone."""

    root: str
    fields: tuple[tuple[str, str], ...]

    def slot(self) -> str:
        """The entry's file name: one per course folder."""
        name = f"{self.root}\0course".encode("utf-8", "surrogatepass")
        return hashlib.sha256(name).hexdigest()[:40] + ".json"

    def as_json(self) -> dict[str, Any]:
        """The key as it is stored in, and compared with, the entry."""
        return {"root": self.root, **dict(self.fields)}


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
        versions = self._versions if self.store is not None else None
        if versions is None or manifest is None or settings.deep != "off":
            return Look()
        raw = document_bytes(manifest)
        if isinstance(raw, ReadDocument):
            return Look()
        listing = list_course(root)
        key = CourseKey(real_root(os.fspath(root)), (
            ("layout", LAYOUT), *versions, ("display", display),
            ("settings", _digest(repr(settings))),
            ("manifest", f"{manifest.name}:{hashlib.sha256(raw).hexdigest()}"),
            ("listing", _digest(repr((listing.files, listing.unseen))))))
        assert self.store is not None
        value = self.store.get(key, _entry)
        draft = Draft(key, raw, listing)
        if value is None:
            return Look(draft=draft)
        try:
            if not _still_holds(root, key.root, listing, value):
                return Look(draft=draft)
            result = result_from_json(value["result"], display)
            facts = manifest_from_json(value["manifest"])
        except Exception:  # any garbage at all is damage; it must never end the run
            self.store.damaged += 1
            return Look(draft=draft)
        return Look(AuditCourse(result, root, facts, settings))

    def keep(self, draft: Draft, facts: CourseFacts, course: AuditCourse) -> None:
        """Keep ``course`` (checked from ``facts``) under ``draft``'s key, if it may be."""
        if self.store is None or any(f.rule == "X001" for f in course.result.findings):
            return
        try:
            value = {"lessons": [_where(lesson.path, draft.ids) for lesson in facts.lessons],
                     "cover": None if facts.cover is None else _where(facts.cover.path,
                                                                      draft.ids),
                     "manifest": manifest_to_json(facts.manifest),
                     "result": result_to_json(course.result)}
        except Unkept:
            return
        if _settled(facts, draft.ids):
            self.store.put(draft.key, value)


def with_ids(draft: Draft, plan: CoursePlan) -> Draft:
    """``draft`` with the identity of every lesson file, taken before they are probed; a file
    read already (the cover may be a lesson too) keeps the identity it had before that read,
    so a change since then fails :func:`_settled` instead of being kept with the new one."""
    for path in plan.to_probe:
        if path not in draft.ids:
            draft.ids[path] = identify(path)
    return draft


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


@cache
def build_id() -> str:
    """A fingerprint of this coursecheck: the name, size and time of each of its files (rules,
    catalogs, ...) and the versions of Python and of the libraries whose answers a kept course
    holds (pydantic's error texts are in C002's findings)."""
    import pydantic
    import yaml
    from PIL import __version__ as pillow

    return _digest("\n".join([coursecheck.__version__, sys.version, pydantic.VERSION,
                              yaml.__version__, pillow,
                              *file_marks(Path(coursecheck.__file__).parent)]))


def file_marks(package: Path) -> list[str]:
    """``name:size:mtime`` of every file under ``package`` (``__pycache__`` aside), each as its
    ``lstat`` sees it: a name that vanishes meanwhile, or an editor's dangling lock link
    (``.#base.py``), is marked so rather than ending every course's check in a traceback."""
    marks = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                marks.append(f"{os.path.relpath(path, package)}:gone")
                continue
            marks.append(f"{os.path.relpath(path, package)}:{st.st_size}:{st.st_mtime_ns}")
    return marks


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _where(path: Resolved, ids: dict[Path, FileId | None]) -> list[Any]:
    """How a lesson or cover path resolved, with the identity of its file if it is one."""
    file = None
    if path.status is PathStatus.OK:
        found = ids.get(path.real) if path.real is not None else None
        if found is None:
            raise Unkept("a file without an identity")
        file = found.as_key()
    return [path.written, str(path.status), None if path.real is None else os.fspath(path.real),
            path.reason, path.on_disk, file]


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


def _still_holds(root: Path, top: str, listing: Listing, value: dict[str, Any]) -> bool:
    """Whether every lesson and the cover still resolve as they did, to the same files."""
    files = set(listing.files)
    listings: Listings = {}
    wheres = [*value["lessons"], *([value["cover"]] if value["cover"] is not None else [])]
    for where in wheres:
        if not isinstance(where, list) or len(where) != 6:
            raise ValueError("not a kept path")
        written, status, real, reason, on_disk, file = where
        if (status == "ok") != (file is not None):  # a file is always kept with its identity
            raise ValueError("a kept path without its file's identity")
        if not (os.name == "posix" and status == "ok" and on_disk is None and written in files
                and real == os.path.join(top, written)):
            now = resolve_listed(root, written, listings)
            if [str(now.status), None if now.real is None else os.fspath(now.real), now.reason,
                    now.on_disk] != [status, real, reason, on_disk]:
                return False
        if file is not None:
            found = identify(Path(real))
            if found is None or found.as_key() != file:
                return False
    return True

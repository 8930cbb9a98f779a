"""What makes a kept course the same course: its key, and what a hit checks again.

The key (:func:`course_key`) holds the course folder's real path, how it is shown, the
manifest's name and a hash of its bytes, a hash of the folder's listing (every file a walk
finds, and what it could not look at), a hash of the course's settings, and the versions of
everything that made the result (:func:`build_id`, libmediainfo). The entry then holds how each
lesson path and the cover resolved, with the identity of each file (:func:`kept_path`);
:func:`still_holds` resolves each path again (or, on POSIX, sees it in the listing as a plain
file under the folder) and identifies each file again. A stored path is only ever opened after
it matched the path resolved again inside the folder, so a planted entry cannot make
coursecheck read anything else.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import coursecheck
from coursecheck.audit.snapshotjson import Unkept
from coursecheck.fileid import FileId, identify
from coursecheck.gather import Listing
from coursecheck.paths import Listings, PathStatus, Resolved, real_root, resolve_listed
from coursecheck.settings import Settings

LAYOUT = "course-1"


@dataclass(frozen=True, slots=True)
class CourseKey:
    """What a course's entry is for; its slot is named after the folder alone."""

    root: str
    fields: tuple[tuple[str, str], ...]

    def slot(self) -> str:
        """The entry's file name: one per course folder, as shown, with its settings; so runs
        that alternate (``--lang zh`` and ``--lang en``, a province folder and one course in
        it) each find their own entry, and a changed file overwrites the old one."""
        fields = dict(self.fields)
        name = "\0".join([self.root, fields.get("display", ""), fields.get("settings", ""),
                          "course"]).encode("utf-8", "surrogatepass")
        return hashlib.sha256(name).hexdigest()[:40] + ".json"

    def as_json(self) -> dict[str, Any]:
        """The key as it is stored in, and compared with, the entry."""
        return {"root": self.root, **dict(self.fields)}


def course_key(root: Path, display: str, settings: Settings,
               versions: tuple[tuple[str, str], ...], manifest: str, raw: bytes,
               listing: Listing) -> CourseKey:
    """The key of the course at ``root`` whose manifest ``manifest`` holds ``raw``."""
    return CourseKey(real_root(os.fspath(root)), (
        ("layout", LAYOUT), *versions, ("display", display),
        ("settings", digest(repr(settings))),
        ("manifest", f"{manifest}:{hashlib.sha256(raw).hexdigest()}"),
        ("listing", digest(repr((listing.files, listing.unseen))))))


@cache
def build_id() -> str:
    """A fingerprint of this coursecheck: the name, size and time of each of its files (rules,
    catalogs, ...) and the versions of Python and of the libraries whose answers a kept course
    holds (pydantic's error texts are in C002's findings)."""
    import pydantic
    import yaml
    from PIL import __version__ as pillow

    return digest("\n".join([coursecheck.__version__, sys.version, pydantic.VERSION,
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


def digest(text: str) -> str:
    """A hash of ``text`` (names may hold lone surrogates)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def kept_path(path: Resolved, ids: dict[Path, FileId | None]) -> list[Any]:
    """How a lesson or cover path resolved, with the identity of its file if it is one."""
    file = None
    if path.status is PathStatus.OK:
        found = ids.get(path.real) if path.real is not None else None
        if found is None:
            raise Unkept("a file without an identity")
        file = found.as_key()
    return [path.written, str(path.status), None if path.real is None else os.fspath(path.real),
            path.reason, path.on_disk, file]


def still_holds(root: Path, top: str, listing: Listing, wheres: list[Any]) -> bool:
    """Whether every lesson and the cover (``wheres``, as :func:`kept_path` gave them; ``None``
    for no cover) still resolve as they did under ``root`` (whose real path is ``top``), to the
    same files. Raises ``ValueError`` (or another error) for a value of the wrong shape."""
    files = set(listing.files)
    listings: Listings = {}
    for where in wheres:
        if where is None:  # no cover
            continue
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

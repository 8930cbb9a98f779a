"""One kind of cache entry in one folder: a small JSON file per slot, read as hostile input.

A :class:`CacheKey` names what an entry is for: a file as it is now (:class:`FileId`), a ``part``
(what was made from it: a frame time and size, a zip member, ...) and the versions of whatever
made it. The entry's file name is a hash of the file's path and the part, so a changed file
overwrites its old entry; the whole key is stored in the entry and must match exactly.

Reading trusts nothing: an entry is opened only if it is a regular file (``O_NOFOLLOW`` and
``O_NONBLOCK``, then ``fstat`` on the handle), so a FIFO or a symlink planted there can neither
block the run nor point elsewhere; it must be at most :data:`MAX_ENTRY_BYTES`; the JSON may hold
no NaN or Infinity; and the caller's ``read`` checks every value's type and range. Anything odd
is a miss, counted for one note at the end of the run. Writing goes through a temporary file and
``os.replace``, so readers see a whole old entry or a whole new one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from coursecheck.fileid import OPEN_FLAGS, FileId
from coursecheck.notes import Note, os_words
from coursecheck.text import printable

MAX_ENTRY_BYTES = 64 * 1024
# each has a name in the catalogs' notes
CACHE_KINDS = ("probe", "thumb", "deep", "cover", "course")
T = TypeVar("T")
# What opening an entry gives when something other than a regular file sits there: a symlink
# (ELOOP with O_NOFOLLOW; EMLINK on FreeBSD, EFTYPE on macOS) or a FIFO without a writer (ENXIO).
_ODD_ERRNOS = frozenset(getattr(errno, name) for name in ("ELOOP", "EMLINK", "EFTYPE", "ENXIO")
                        if hasattr(errno, name))


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What an entry is for: ``file`` as it is now, the ``part`` made of it, by ``versions``."""

    file: FileId
    part: str = ""
    versions: Mapping[str, str] = field(default_factory=dict)

    def slot(self) -> str:
        """The entry's file name: the same for every state of the same file and part."""
        # any lone surrogate: POSIX's escapes of bytes that are not UTF-8, and the unpaired
        # UTF-16 halves Windows keeps in a name (which surrogateescape cannot encode)
        name = f"{self.file.path}\0{self.part}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(name).hexdigest()[:40] + ".json"

    def as_json(self) -> dict[str, Any]:
        """The key as it is stored in, and compared with, the entry."""
        return {**self.file.as_key(), "part": self.part, **self.versions}


class EntryKey(Protocol):
    """What :class:`Store` needs of a key: :class:`CacheKey`, or one for something other than
    a single file (a whole course, :mod:`coursecheck.audit.snapshot`)."""

    def slot(self) -> str:
        """The entry's file name."""
        ...

    def as_json(self) -> dict[str, Any]:
        """The key as it is stored in, and compared with, the entry."""
        ...


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a cache entry may hold")


class Store:
    """The entries in ``folder``; ``label`` names them in the note (e.g. ``probe cache``)."""

    def __init__(self, folder: Path, label: str, max_bytes: int = MAX_ENTRY_BYTES) -> None:
        self.folder = folder
        self.label = label
        self.max_bytes = max_bytes
        self.damaged = 0
        self.read_error: str | None = None
        self.write_error: str | None = None

    def get(self, key: EntryKey, read: Callable[[Any], T]) -> T | None:
        """The value kept for ``key``, checked by ``read`` (which raises ``ValueError`` on a bad
        value), or ``None`` on a miss."""
        raw = self._raw(self.folder / key.slot())
        if raw is None:
            return None
        try:
            data = json.loads(raw, parse_constant=_no_constant)
            if not isinstance(data, dict) or data.keys() != {"key", "value"}:
                raise ValueError("not an entry")
            if data["key"] != key.as_json():
                return None  # another state of the file, or another version: not damage
            return read(data["value"])
        except Exception:  # any garbage at all is damage; it must never end the run
            self.damaged += 1
            return None

    def _raw(self, entry: Path) -> bytes | None:
        try:
            fd = os.open(entry, OPEN_FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if getattr(exc, "errno", None) in _ODD_ERRNOS:
                self.damaged += 1  # a symlink (ELOOP) or something odd in its place
            else:
                self.read_error = self.read_error or (exc.strerror or str(exc))
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > self.max_bytes:
                self.damaged += 1
                return None
            raw = os.read(fd, self.max_bytes + 1)
        except OSError as exc:
            self.read_error = self.read_error or (exc.strerror or str(exc))
            return None
        finally:
            os.close(fd)
        if len(raw) > self.max_bytes:
            self.damaged += 1
            return None
        return raw

    def put(self, key: EntryKey, value: Any) -> None:
        """Keep ``value`` (plain JSON values, finite numbers) for ``key``; never raises."""
        if self.write_error is not None:
            return
        tmp: str | None = None
        try:
            data = json.dumps({"key": key.as_json(), "value": value}, separators=(",", ":"),
                              allow_nan=False).encode()
            if len(data) > self.max_bytes:
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, self.folder / key.slot())
        except Exception as exc:  # a cache that cannot be written is only a slower run
            self.write_error = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)

    def note(self) -> Note | None:
        """One line on what went wrong with these entries in this run, or ``None``."""
        parts = []
        if self.damaged:
            key = "cache_damaged_one" if self.damaged == 1 else "cache_damaged"
            parts.append(Note(key, count=self.damaged))
        if self.read_error:
            parts.append(Note("cache_unreadable", error=os_words(self.read_error)))
        if self.write_error:
            parts.append(Note("cache_unwritable", error=os_words(self.write_error)))
        if not parts:
            return None
        return Note("cache_trouble", cache=cache_name(self.label),
                    folder=printable(str(self.folder)), problems=tuple(parts))


def cache_name(label: str) -> str:
    """``probe cache`` and the like as a :class:`Note`, so it is translated too; another label
    as it is."""
    kind = label.removesuffix(" cache")
    return Note(f"cache.{kind}") if kind in CACHE_KINDS else label


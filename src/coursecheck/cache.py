"""The probe cache: MediaFacts kept on disk, so an unchanged file is not probed again.

Where: ``--cache-dir``, else ``$COURSECHECK_CACHE_DIR``, else the user cache dir
(``platformdirs.user_cache_dir("coursecheck")``, e.g. ``~/.cache/coursecheck``). Entries live in
its ``probe/`` folder, one small JSON file per media file, named by a hash of the file's resolved
path. An entry is used only when its key matches: the resolved path, size and mtime_ns, the
coursecheck and libmediainfo versions, and the layout of :class:`MediaFacts`.

Each entry is written to a temporary file in the same folder and moved into place with
``os.replace``, so a reader sees a whole old entry or a whole new one, and two processes writing
at once cannot corrupt it (the last writer wins; both wrote the same facts). A damaged entry, an
unreadable or unwritable folder, or a file that changes while it is probed never fails the run
and never changes a result: the file is probed as if there were no cache, and the run ends with
one note. The cache is never used when it would lie inside a course folder being checked.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cached_property
from pathlib import Path
from typing import Any

import coursecheck
from coursecheck import probe as probing
from coursecheck.factsjson import LAYOUT, from_json, to_json
from coursecheck.gather import Prober
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

ENV_VAR = "COURSECHECK_CACHE_DIR"
MAX_ENTRY_BYTES = 64 * 1024
# Errors that depend only on the file's bytes are worth keeping; a failed MediaInfo call or a
# permission problem may not happen next time.
CACHEABLE_ERRORS = (None, "not_media", "truncated")


def cache_dir(options: RunOptions) -> Path:
    """The cache folder: ``--cache-dir``, else ``$COURSECHECK_CACHE_DIR``, else the user's."""
    if options.cache_dir is not None:
        return options.cache_dir
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    import platformdirs

    return Path(platformdirs.user_cache_dir("coursecheck", appauthor=False))


@contextmanager
def open_prober(options: RunOptions, notes: list[str] | None = None,
                roots: Sequence[Path] | None = None) -> Iterator[Prober]:
    """A prober for this run; ``notes`` collects one-line remarks (e.g. a damaged cache).

    ``roots`` are the course folders the run checks, when the caller has already found them.
    """
    if options.no_cache:
        yield probing.probe
        return
    folder = _absolute(cache_dir(options)) / "probe"
    course = _course_holding(folder, options, roots)
    if course is not None:
        if notes is not None:
            notes.append(f"probe cache {folder} is inside course folder {course}; cache not "
                         "used (coursecheck never writes into a course)")
        yield probing.probe
        return
    cache = ProbeCache(folder)
    try:
        yield cache.probe
    finally:
        note = cache.note()
        if note and notes is not None:
            notes.append(note)


def _absolute(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.expanduser().absolute()


def _course_holding(folder: Path, options: RunOptions,
                    roots: Sequence[Path] | None) -> Path | None:
    if roots is None:
        from coursecheck.targets import targets_for

        roots = [target.root for target in targets_for(options.paths)[0]]
    for root in roots:
        real = root.resolve()
        if folder.is_relative_to(real):
            return real
    return None


class ProbeCache:
    """Probes through the cache in ``folder``; remembers what went wrong for one note."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.damaged = 0
        self.read_error: str | None = None
        self.write_error: str | None = None

    @cached_property
    def _versions(self) -> dict[str, str] | None:
        """The version part of every key; ``None`` when MediaInfo cannot be loaded."""
        library = probing.library_version()
        if library is None:
            return None
        return {"coursecheck": coursecheck.__version__, "mediainfo": library, "layout": LAYOUT}

    def probe(self, path: Path) -> MediaFacts:
        """The facts for ``path``: from the cache when its key matches, else probed and kept."""
        real = path  # a lesson's real path: gather resolved it already
        try:
            before = os.stat(real)
        except OSError:
            return probing.probe(path)
        if not stat.S_ISREG(before.st_mode) or not os.access(real, os.R_OK):
            return probing.probe(real)
        versions = self._versions
        if versions is None or before.st_size == 0:
            return probing.probe(real)
        name = str(real)
        key = {"path": name, "size": before.st_size, "mtime_ns": before.st_mtime_ns, **versions}
        digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()
        entry = self.folder / f"{digest[:40]}.json"
        cached = self._read(entry, key)
        if cached is not None:
            return cached
        facts = probing.probe(real)
        if facts.error in CACHEABLE_ERRORS and _unchanged(real, before):
            self._write(entry, {"key": key, "facts": to_json(facts)})
        return facts

    def _read(self, entry: Path, key: dict[str, Any]) -> MediaFacts | None:
        try:
            with entry.open("rb") as handle:
                raw = handle.read(MAX_ENTRY_BYTES + 1)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.read_error = self.read_error or (exc.strerror or str(exc))
            return None
        try:
            if len(raw) > MAX_ENTRY_BYTES:
                raise ValueError("entry too large")
            data = json.loads(raw)
            if data["key"] != key:
                return None  # another version of the file, or of coursecheck: not damage
            return from_json(data["facts"])
        except Exception:  # any garbage at all is damage; it must never end the run
            self.damaged += 1
            return None

    def _write(self, entry: Path, data: dict[str, Any]) -> None:
        if self.write_error is not None:
            return
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(json.dumps(data, separators=(",", ":")).encode())
            os.replace(tmp, entry)
        except Exception as exc:  # a cache that cannot be written is only a slower run
            self.write_error = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            if tmp is not None:
                with suppress(OSError):
                    os.unlink(tmp)

    def note(self) -> str | None:
        """One line on what went wrong with the cache in this run, or ``None``."""
        parts = []
        if self.damaged:
            entries = "entry" if self.damaged == 1 else "entries"
            parts.append(f"{self.damaged} damaged {entries} ignored and the files probed again")
        if self.read_error:
            parts.append(f"entries not readable ({self.read_error}), so the files were probed")
        if self.write_error:
            parts.append(f"not writable ({self.write_error}), so no result was saved")
        return f"probe cache {self.folder}: {'; '.join(parts)}" if parts else None


def _unchanged(path: Path, before: os.stat_result) -> bool:
    """Whether ``path`` still has the size and mtime it had before it was probed."""
    try:
        after = os.stat(path)
    except OSError:
        return False
    return (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

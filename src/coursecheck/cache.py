"""The probe cache: MediaFacts kept on disk, so an unchanged file is not probed again.

Where: ``--cache-dir``, else ``$COURSECHECK_CACHE_DIR``, else the user cache dir
(``platformdirs.user_cache_dir("coursecheck")``, e.g. ``~/.cache/coursecheck``). Each kind of
entry has a folder of its own in it (``probe/``, ``thumb/``, ...), one small JSON file per media
file (see :mod:`coursecheck.cachestore`). An entry is used only when its whole key matches: the
file's identity (resolved path, size, mtime_ns, ctime_ns, device, inode and a fingerprint of its
content, see :mod:`coursecheck.fileid`), the coursecheck and libmediainfo versions, and the layout
of :class:`MediaFacts`.

Other kinds of result use the same pieces: :func:`open_store` gives a :class:`Store` for a kind,
and ``Store.get(CacheKey(identify(path), part, versions), read)`` / ``Store.put(key, value)``
keep and find a JSON value for a file.

Two processes writing at once cannot corrupt an entry (the last writer wins; both wrote the same
facts). A damaged or planted entry, an unreadable or unwritable folder, or a file that changes
while it is probed never fails the run and never changes a result: the file is probed as if
there were no cache, and the run ends with one note. The cache is never used when it would lie
inside a course folder being checked.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import coursecheck
from coursecheck import probe as probing
from coursecheck.cachestore import MAX_ENTRY_BYTES, CacheKey, Store, cache_name
from coursecheck.factsjson import LAYOUT, from_json, to_json
from coursecheck.fileid import FileId, identify, unchanged
from coursecheck.gather import Prober
from coursecheck.notes import Note
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts
from coursecheck.text import printable

__all__ = [
    "CacheKey",
    "FileId",
    "ProbeCache",
    "Store",
    "cache_dir",
    "identify",
    "open_probe_cache",
    "open_prober",
    "open_store",
    "unchanged",
]

ENV_VAR = "COURSECHECK_CACHE_DIR"
# Errors that depend only on the file's bytes are worth keeping; a failed MediaInfo call, a
# permission problem or a worker's CPU or memory limit (too_slow, too_big) may not happen next
# time. A still picture, a reference movie and a damaged or hollow index are the file's own.
CACHEABLE_ERRORS = (None, "not_media", "truncated", "still", "external", "no_media", "hollow",
                    "damaged_index", "no_samples")


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
                roots: Sequence[Path] | None = None, raw: Prober | None = None
                ) -> Iterator[Prober]:
    """A prober for this run; ``notes`` collects one-line remarks (e.g. a damaged cache).

    ``roots`` are the course folders the run checks, when the caller has already found them.
    ``raw`` probes a file the cache cannot answer (default: :func:`probe.probe`, in this
    process; :class:`coursecheck.workers.ProbePool` gives the bounded one).
    """
    with open_probe_cache(options, notes, roots, raw) as cache:
        yield (raw or probing.probe) if cache is None else cache.probe


@contextmanager
def open_probe_cache(options: RunOptions, notes: list[str] | None = None,
                     roots: Sequence[Path] | None = None, raw: Prober | None = None
                     ) -> Iterator[ProbeCache | None]:
    """The probe cache of this run itself (``None`` when it is off), for callers that probe
    more than plain files (a member of a zip: :meth:`ProbeCache.probe_part`); ``raw`` as for
    :func:`open_prober`."""
    with open_store("probe", options, notes, roots) as store:
        yield None if store is None else ProbeCache(store, raw)


@contextmanager
def open_store(kind: str, options: RunOptions, notes: list[str] | None = None,
               roots: Sequence[Path] | None = None,
               max_bytes: int = MAX_ENTRY_BYTES) -> Iterator[Store | None]:
    """The entries of ``kind`` (a folder name) for this run, or ``None`` when the cache is off
    or would lie inside a course; one note on what went wrong goes to ``notes`` at the end."""
    if options.no_cache:
        yield None
        return
    folder = _absolute(cache_dir(options)) / kind
    label = f"{kind} cache"
    course = _course_holding(folder, options, roots)
    if course is not None:
        if notes is not None:
            notes.append(Note("cache_inside", cache=cache_name(label),
                              folder=printable(str(folder)), course=printable(str(course))))
        yield None
        return
    store = Store(folder, label, max_bytes)
    try:
        yield store
    finally:
        note = store.note()
        if note and notes is not None:
            notes.append(note)


def answer_hits(paths: Sequence[Path], options: RunOptions, results: dict[Path, MediaFacts],
                tick: Callable[[int], None], roots: Sequence[Path] | None = None,
                known: Mapping[Path, FileId | None] | None = None) -> list[Path]:
    """Put the kept facts of every file in ``paths`` the cache knows into ``results`` (with
    ``tick(1)`` each), here in this process; return the files it does not know. ``roots`` as
    for :func:`open_prober`; ``known``: identities already taken this run (the course cache
    takes one of every lesson it may keep), so those files are not read again for their key.

    A hit costs a fraction of a millisecond, less than handing the file to a worker process, so
    a warm run does all of them first and hands only the misses on. Damaged entries are not
    counted here: the prober that reads them next says so in its one note.
    """
    misses = []
    with open_probe_cache(options, roots=roots) as cache:
        for path in paths:
            facts = (cache.cached(path, known.get(path) if known else None)
                     if cache is not None else None)
            if facts is None:
                misses.append(path)
            else:
                results[path] = facts
                tick(1)
    return misses


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
    """Probes through ``store``: a file whose key matches is not probed again."""

    def __init__(self, store: Store, raw: Prober | None = None) -> None:
        self.store = store
        self.raw = raw or probing.probe

    @cached_property
    def _versions(self) -> dict[str, str] | None:
        """The version part of every key; ``None`` when MediaInfo cannot be loaded."""
        library = probing.library_version()
        if library is None:
            return None
        return {"coursecheck": coursecheck.__version__, "mediainfo": library, "layout": LAYOUT}

    def _key(self, path: Path, known: FileId | None = None) -> CacheKey | None:
        versions = self._versions
        before = (known or identify(path)) if versions is not None else None
        if versions is None or before is None or before.size == 0:
            return None
        return CacheKey(before, versions=versions)

    def _hit(self, key: CacheKey) -> MediaFacts | None:
        cached = self.store.get(key, _cached_facts)
        return cached if cached is not None and cached.file_size == key.file.size else None

    def cached(self, path: Path, known: FileId | None = None) -> MediaFacts | None:
        """The kept facts for ``path`` when its key matches, else ``None``; never probes.
        ``known``: its identity, when the caller took it already this run.

        So a caller can answer every hit first and hand only the misses to worker processes.
        """
        key = self._key(path, known)
        return self._hit(key) if key is not None else None

    def probe(self, path: Path) -> MediaFacts:
        """The facts for ``path`` (a lesson's real path: gather resolved it already), from the
        cache when its key matches, else probed and kept."""
        key = self._key(path)
        if key is None:
            return self.raw(path)
        cached = self._hit(key)
        if cached is not None:
            return cached
        facts = self.raw(path)
        if facts.error in CACHEABLE_ERRORS and unchanged(key.file):
            self.store.put(key, to_json(facts))
        return facts

    def lookup(self, path: Path) -> tuple[MediaFacts | None, CacheKey | None]:
        """For a probe run elsewhere (a Dask worker): the kept facts for ``path`` when its key
        matches, else ``None`` and the key to :meth:`keep` fresh facts under (``None`` when they
        may not be kept)."""
        key = self._key(path)
        if key is None:
            return None, None
        cached = self._hit(key)
        return (cached, None) if cached is not None else (None, key)

    def keep(self, key: CacheKey, facts: MediaFacts) -> None:
        """Keep ``facts`` probed elsewhere under ``key`` (from :meth:`lookup`) if they are worth
        keeping and the file has not changed since."""
        if facts.error in CACHEABLE_ERRORS and unchanged(key.file):
            self.store.put(key, to_json(facts))

    def probe_part(self, container: Path, part: str, make: Callable[[], MediaFacts]
                   ) -> MediaFacts:
        """The facts for ``part`` of ``container`` (a member of a zip), from the cache when the
        container is unchanged and ``part`` (the member's name, CRC and size) matches; else
        ``make()`` (which unpacks and probes it) and kept."""
        versions = self._versions
        before = identify(container) if versions is not None else None
        if versions is None or before is None:
            return make()
        key = CacheKey(before, part, versions)
        cached = self.store.get(key, _cached_facts)
        if cached is not None:
            return cached
        facts = make()
        if facts.error in CACHEABLE_ERRORS and unchanged(before):
            self.store.put(key, to_json(facts))
        return facts


def _cached_facts(value: object) -> MediaFacts:
    """Facts read back from an entry; only results worth keeping are ever written."""
    facts = from_json(value)
    if facts.error not in CACHEABLE_ERRORS:
        raise ValueError(f"an entry may not hold the error {facts.error!r}")
    return facts

"""Deep results kept in the cache (its ``deep/`` folder), so an unchanged lesson is never
decoded twice.

An entry is the lesson's file identity (the same as the probe cache's: path, size, times,
inode and a content fingerprint, see :mod:`coursecheck.fileid`) plus the level, the coursecheck
version, :data:`ANALYSIS_VERSION` and the detector settings. Storage, damage and the "never
inside a course" rule are :mod:`coursecheck.cache`'s; this module only says what the key is.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import coursecheck
from coursecheck.cachestore import CacheKey, Store
from coursecheck.deep.facts import ANALYSIS_VERSION, DeepFacts, Level, from_json
from coursecheck.deep.runner import DeepParams
from coursecheck.fileid import FileId, identify, unchanged
from coursecheck.options import RunOptions


class DeepStore:
    """Finds and keeps deep results in ``store`` (``None``: no cache)."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._seen: dict[str, FileId] = {}

    @staticmethod
    def _key(file: FileId, level: Level, params: DeepParams) -> CacheKey:
        return CacheKey(file, f"deep-{level}", {"coursecheck": coursecheck.__version__,
                                                "analysis": ANALYSIS_VERSION,
                                                "params": params.key()})

    def get(self, path: str, level: Level, params: DeepParams) -> DeepFacts | None:
        """The kept result for this file, level and settings, or ``None``."""
        if self.store is None:
            return None
        file = identify(Path(path))
        if file is None:
            return None
        self._seen[path] = file  # what the file was before it is analysed
        return self.store.get(self._key(file, level, params), _read)

    def put(self, path: str, level: Level, params: DeepParams, facts: DeepFacts) -> None:
        """Keep ``facts``, unless the pass was stopped by a limit (that may not recur) or the
        file changed while it was analysed."""
        file = self._seen.get(path)
        if self.store is None or file is None or facts.failure or not unchanged(file):
            return
        self.store.put(self._key(file, level, params), facts.to_json())


def _read(value: object) -> DeepFacts:
    if not isinstance(value, dict):
        raise ValueError("not deep facts")
    return from_json(value)


@contextmanager
def deep_store(options: RunOptions, roots: Sequence[Path],
               notes: list[str] | None = None) -> Iterator[DeepStore]:
    """The deep entries of this run's cache (none with ``--no-cache`` or inside a course)."""
    from coursecheck.cache import open_store

    with open_store("deep", options, notes, roots) as store:
        yield DeepStore(store)

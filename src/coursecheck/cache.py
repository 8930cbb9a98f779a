"""The probe cache: MediaFacts stored on disk so an unchanged file is never probed twice.

STUB — the real cache (user cache dir or ``--cache-dir``, keyed by resolved path, size, mtime_ns
and the coursecheck and libmediainfo versions) is built in the CI issue. Until then every file is
probed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from coursecheck.gather import Prober
from coursecheck.options import RunOptions
from coursecheck.probe import probe


@contextmanager
def open_prober(options: RunOptions, notes: list[str] | None = None) -> Iterator[Prober]:
    """A prober for this run; ``notes`` collects one-line remarks (e.g. a damaged cache)."""
    yield probe

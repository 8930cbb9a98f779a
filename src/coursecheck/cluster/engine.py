"""The engine seam: the audit asks an :class:`Engine` to probe headers and decode lessons.

:class:`LocalEngine` is the process pool on this machine (the default; it needs no Dask).
``--scheduler`` (or ``$COURSECHECK_SCHEDULER``) gives a
:class:`~coursecheck.cluster.dask_engine.DaskEngine` instead. Both fill the same result
dictionaries with the same frozen facts, so the report is the same apart from its engine line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from coursecheck.deep.batch import Job
from coursecheck.deep.facts import DeepFacts
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

if TYPE_CHECKING:
    from coursecheck.workers import ProbePool

SCHEDULER_VAR = "COURSECHECK_SCHEDULER"
INSTALL_HINT = 'pip install "coursecheck[dask]"'

Tick = Callable[[int], None]
Done = Callable[[Job, DeepFacts], None]
DeepRunner = Callable[[list[Job], Done], None]


class ClusterError(Exception):
    """The cluster cannot be used (or went away): one line for the user, exit 2."""


class Engine(Protocol):
    """Where the per-file work of an audit runs."""

    def describe(self) -> dict[str, Any]:
        """The report's ``engine`` block."""
        ...

    def check_paths(self, roots: Sequence[Path], samples: Sequence[Path]) -> None:
        """Raise :class:`ClusterError` unless every worker sees ``roots`` and ``samples``."""
        ...

    def probe_all(self, paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
                  notes: list[str], results: dict[Path, MediaFacts]) -> None:
        """Probe every header in ``paths`` into ``results`` (cache first)."""
        ...

    @property
    def deep_runner(self) -> DeepRunner | None:
        """Runs deep jobs the cache missed (``None``: the local pool in
        :mod:`coursecheck.deep.batch`)."""
        ...

    def close(self) -> None:
        """Let go of whatever the engine holds."""
        ...


class LocalEngine:
    """The process pool on this machine: one :class:`~coursecheck.workers.ProbePool` of
    ``jobs`` bounded workers, started when first needed, that probes the files and then
    decodes the lessons of ``--deep``."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProbePool | None = None

    def _workers(self, options: RunOptions | None = None) -> ProbePool:
        if self._pool is None:
            from coursecheck.workers import ProbePool

            self._pool = ProbePool(options or RunOptions(), self.jobs)
        return self._pool

    def describe(self) -> dict[str, Any]:
        """``{"kind": "local", "jobs": N}``."""
        return {"kind": "local", "jobs": self.jobs}

    def check_paths(self, roots: Sequence[Path], samples: Sequence[Path]) -> None:
        """Nothing to check: this machine found the files itself."""

    def probe_all(self, paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
                  notes: list[str], results: dict[Path, MediaFacts]) -> None:
        """The local pool's probe (see :mod:`coursecheck.audit.pool`)."""
        from coursecheck.audit.pool import probe_all

        probe_all(paths, options, jobs, tick, notes, results, self._workers(options))

    @property
    def deep_runner(self) -> DeepRunner | None:
        """The same workers, decoding (see :func:`coursecheck.deep.batch.in_workers`)."""
        from coursecheck.deep.batch import in_workers

        return in_workers(self._workers())

    def close(self) -> None:
        """Stop the workers, if any were started."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None


def scheduler_address(option: str | None) -> str | None:
    """``--scheduler``, else ``$COURSECHECK_SCHEDULER``, else ``None`` (run locally)."""
    chosen = option if option is not None else os.environ.get(SCHEDULER_VAR, "")
    return chosen.strip() or None


def dask_missing() -> str:
    """The usage error for ``--scheduler`` without the extra ('' when Dask is there)."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return f"--scheduler needs Dask, which is not installed; install it with: {INSTALL_HINT}"
    return ""


def open_engine(scheduler: str | None, jobs: int, max_readers: int | None) -> Engine:
    """The local pool, or a connection to the Dask scheduler at ``scheduler``; raises
    :class:`ClusterError` when it cannot be reached."""
    if scheduler is None:
        return LocalEngine(jobs)
    from coursecheck.cluster.dask_engine import DaskEngine

    return DaskEngine(scheduler, max_readers)

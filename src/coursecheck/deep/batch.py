"""Run :func:`analyse` over many lessons: cache first, then in the bounded worker processes that
probe files (:class:`coursecheck.workers.ProbePool`, ``--jobs`` of them), with progress.

Ctrl-C stops every worker (SIGTERM: each kills its ffmpeg's process group on the way out; then
SIGKILL) and propagates :class:`KeyboardInterrupt`; the results finished so far are kept in
``results``.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coursecheck.deep.facts import DeepFacts, Level
from coursecheck.deep.runner import DeepParams, analyse
from coursecheck.deep.store import DeepStore

if TYPE_CHECKING:
    from coursecheck.workers import ProbePool


@dataclass(frozen=True, slots=True)
class Job:
    """One lesson file to analyse, with what its header said."""

    path: str
    level: Level
    params: DeepParams
    has_video: bool
    has_audio: bool
    duration_s: float | None

    def run(self) -> DeepFacts:
        """Analyse the file (in whichever process this runs)."""
        return analyse(self.path, self.level, self.params, has_video=self.has_video,
                       has_audio=self.has_audio, duration_s=self.duration_s)


Tick = Callable[[float], None]  # seconds of media done
Runner = Callable[[list[Job], Callable[[Job, DeepFacts], None]], None]


def run_jobs(jobs: list[Job], store: DeepStore, workers: int, tick: Tick,
             results: dict[Job, DeepFacts], runner: Runner | None = None) -> None:
    """Fill ``results`` for every job: from ``store`` when kept, else by analysing (with
    ``runner``, e.g. on a Dask cluster, when given; else here or in the worker pool)."""
    todo: list[Job] = []
    for job in jobs:
        kept = store.get(job.path, job.level, job.params)
        if kept is None:
            todo.append(job)
        else:
            results[job] = kept
            tick(job.duration_s or 0.0)
    if runner is not None:
        runner(todo, lambda job, facts: _done(job, facts, store, tick, results))
        return
    if workers <= 1 or len(todo) <= 1:
        for job in todo:
            _done(job, job.run(), store, tick, results)
        return
    _in_pool(todo, store, workers, tick, results)


def _done(job: Job, facts: DeepFacts, store: DeepStore, tick: Tick,
          results: dict[Job, DeepFacts]) -> None:
    results[job] = facts
    store.put(job.path, job.level, job.params, facts)
    tick(job.duration_s or 0.0)


def _in_pool(todo: list[Job], store: DeepStore, workers: int, tick: Tick,
             results: dict[Job, DeepFacts]) -> None:
    from coursecheck.options import RunOptions
    from coursecheck.workers import ProbePool

    with ProbePool(RunOptions(), min(workers, len(todo))) as pool:
        in_workers(pool)(todo, lambda job, facts: _done(job, facts, store, tick, results))


def in_workers(pool: ProbePool) -> Runner:
    """A runner that analyses in ``pool``'s workers: the pool a run already probes with, so
    ``--jobs N`` means N worker processes for both."""
    def run(todo: list[Job], finished: Callable[[Job, DeepFacts], None]) -> None:
        # the longest lessons first, so one long lesson does not finish alone at the end
        queue = sorted(todo, key=lambda j: -(j.duration_s or 0.0))
        for job, facts, _notes in pool.tasks("deep", queue, _stopped):
            finished(job, facts)
    return run


def _stopped(job: Job, code: int | None) -> DeepFacts:
    """The facts of a lesson whose worker died under it twice: not lost, reported as such."""
    how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
    return DeepFacts(job.level, failure="crashed", failure_detail=f"the worker stopped ({how})")


def run_in_worker(job: Job) -> DeepFacts:
    """:meth:`Job.run` in a worker process, where SIGTERM (the parent stopping the run) unwinds
    the analysis, which kills its ffmpeg's whole process group on the way out."""
    previous = signal.signal(signal.SIGTERM, _exit)
    try:
        return job.run()
    except Exception as exc:  # a bug, never a bad file: the lesson is D002 "crashed", quietly
        return DeepFacts(job.level, failure="crashed",
                         failure_detail=f"the analysis failed ({type(exc).__name__}: {exc})")
    finally:
        signal.signal(signal.SIGTERM, previous)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)

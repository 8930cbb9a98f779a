"""Run :func:`analyse` over many lessons: cache first, then one process per job, with progress.

Ctrl-C kills every worker (and with it, by its death signal, every ffmpeg) and propagates
:class:`KeyboardInterrupt`; the results finished so far are kept in ``results``.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coursecheck.deep.facts import DeepFacts, Level
from coursecheck.deep.runner import DeepParams, analyse
from coursecheck.deep.store import DeepStore


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
STOP_GRACE_S = 3.0


def _quiet_worker() -> None:
    """The parent decides when workers stop: Ctrl-C is ignored, and SIGTERM unwinds the running
    analysis, which kills its ffmpeg's whole process group on the way out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


Runner = Callable[[list[Job], Callable[[Job, DeepFacts], None]], None]


def run_jobs(jobs: list[Job], store: DeepStore, workers: int, tick: Tick,
             results: dict[Job, DeepFacts], runner: Runner | None = None) -> None:
    """Fill ``results`` for every job: from ``store`` when kept, else by analysing (with
    ``runner``, e.g. on a Dask cluster, when given; else here or in a local pool)."""
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
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    from coursecheck.workers import start_context

    context = start_context()
    # the longest lessons first, so one long lesson does not finish alone at the end
    queue = sorted(todo, key=lambda j: -(j.duration_s or 0.0))
    pool = ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context,
                               initializer=_quiet_worker)
    try:
        running: dict[Future[DeepFacts], Job] = {}
        while queue or running:
            while queue and len(running) < workers:
                job = queue.pop(0)
                running[pool.submit(job.run)] = job
            # with a timeout, so Ctrl-C is seen even when the signal lands on another thread
            finished, _ = wait(running, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in finished:
                job = running.pop(future)
                try:
                    facts = future.result()
                except Exception as exc:  # a worker that died: the lesson is not lost
                    facts = DeepFacts(job.level, failure="crashed",
                                      failure_detail=f"the worker stopped ({type(exc).__name__})")
                _done(job, facts, store, tick, results)
    except BaseException:
        _stop(list(getattr(pool, "_processes", {}).values()))
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _stop(processes: list[Any]) -> None:
    """SIGTERM each worker (it kills its ffmpeg), then SIGKILL any still there after a moment."""
    for process in processes:
        process.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for process in processes:
        process.join(max(deadline - time.monotonic(), 0.0))
        if process.is_alive():
            process.kill()
            process.join(1.0)

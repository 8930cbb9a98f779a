"""Run an audit's per-file work on a Dask cluster (``--scheduler``).

The machine running ``audit`` reads its caches first and submits only what they miss; results
come back as the same frozen facts the local pool makes and are written to that machine's cache
as they arrive, so a run that stops keeps what was finished. Workers run the functions in
:mod:`coursecheck.cluster.work` and write nothing.

Faults: Dask reschedules the tasks of a worker that dies; a task that kills
``distributed.scheduler.allowed-failures`` + 1 workers (4 by default) ends with ``KilledWorker``:
a header probe that does so is X001 on that lesson (``worker_died``, as in the local pool), a
deep analysis D002 (crashed, as in the local pool), and an analysis that raises a finding too. A
lost scheduler is a :class:`ClusterError`. Ctrl-C cancels every future and kills the ffmpeg of
every running task before :class:`KeyboardInterrupt` propagates.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from coursecheck.cache import ProbeCache, open_store
from coursecheck.cluster.engine import ClusterError, DeepRunner, Done, Tick
from coursecheck.cluster.work import can_see, deep_task, probe_task, stop_children
from coursecheck.deep.batch import Job
from coursecheck.deep.facts import DeepFacts
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

CONNECT_S = 5.0  # to reach the scheduler
WORKERS_S = 10.0  # for a first worker to join
LOST_S = 10.0  # a scheduler unreachable this long is gone
RETRIES = 1  # an analysis that raised is tried once more (a network file system hiccup)
POLL_S = 0.25
RESUBMITS = 3  # a result lost with its worker (status "lost", a closed comm) is computed again

T = TypeVar("T")
R = TypeVar("R")


class DaskEngine:
    """A client of the Dask scheduler at ``address``."""

    def __init__(self, address: str, max_readers: int | None) -> None:
        from distributed import Client

        _quiet_logs()
        self.address = address
        self.max_readers = max_readers
        try:
            self.client = Client(address, timeout=CONNECT_S, set_as_default=False)
        except Exception as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({_why(exc)}); "
                               "start it with: dask scheduler") from None
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_S)
        except Exception:
            self.close()
            raise ClusterError(f"no Dask worker joined the scheduler at {address} within "
                               f"{WORKERS_S:.0f} s; start some with: dask worker {address} "
                               "--nthreads 1 --nworkers N") from None
        self.workers = len(self.client.nthreads())

    def describe(self) -> dict[str, Any]:
        """``{"kind": "dask", "scheduler": address, "workers": N}``."""
        return {"kind": "dask", "scheduler": self.address, "workers": self.workers}

    def check_paths(self, roots: Sequence[Path], samples: Sequence[Path]) -> None:
        """Every worker must see each ROOT and one lesson per course at this machine's size."""
        sized = []
        for sample in samples:
            try:
                sized.append((str(sample), os.stat(sample).st_size))
            except OSError:
                continue
        try:
            seen = self.client.run(can_see, [str(r) for r in roots], sized)
        except Exception as exc:
            raise ClusterError(f"cannot ask the Dask workers what they see ({_why(exc)})"
                               ) from None
        for worker, problem in sorted(seen.items()):
            if problem:
                raise ClusterError(f"Dask worker {worker} cannot see {problem}; every worker "
                                   "needs the course folders at the same path as this "
                                   "machine (a shared file system)")

    def probe_all(self, paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
                  notes: list[str], results: dict[Path, MediaFacts]) -> None:
        """The probe cache here first; the misses are probed on the workers and kept here."""
        with open_store("probe", options, notes) as store:
            cache = ProbeCache(store) if store is not None else None
            keys: dict[str, Any] = {}
            misses: list[str] = []
            for path in paths:
                facts, key = cache.lookup(path) if cache is not None else (None, None)
                if facts is not None:
                    results[path] = facts
                    tick(1)
                else:
                    keys[str(path)] = key
                    misses.append(str(path))

            def done(name: str, facts: MediaFacts | None, exc: BaseException | None) -> None:
                if facts is None and type(exc).__name__ == "KilledWorker":
                    # it killed every worker it was given: X001 on that lesson, as in the pool
                    facts = MediaFacts(_size(name), error="worker_died",
                                       error_detail="KilledWorker")
                elif facts is None:
                    facts = MediaFacts(_size(name), error="mediainfo_failed",
                                       error_detail=f"the worker stopped ({type(exc).__name__})")
                elif cache is not None and keys[name] is not None:
                    cache.keep(keys[name], facts)
                results[Path(name)] = facts
                tick(1)

            self._map(probe_task, misses, done)

    @property
    def deep_runner(self) -> DeepRunner:
        """Runs each missed deep job on a worker, the longest lessons first."""
        return self._deep

    def _deep(self, jobs: list[Job], finished: Done) -> None:
        def done(job: Job, facts: DeepFacts | None, exc: BaseException | None) -> None:
            if facts is None:  # as in the local pool
                facts = DeepFacts(job.level, failure="crashed",
                                  failure_detail=f"the worker stopped ({type(exc).__name__})")
            finished(job, facts)

        self._map(deep_task, sorted(jobs, key=lambda j: -(j.duration_s or 0.0)), done)

    def _map(self, fn: Callable[[T], R], items: list[T],
             done: Callable[[T, R | None, BaseException | None], None]) -> None:
        """``fn`` over ``items`` on the workers, at most ``max_readers`` at once, earlier items
        first; ``done(item, result, None)`` or ``done(item, None, exception)`` for each."""
        from distributed import wait

        if not items:
            return
        limit = self.max_readers or len(items)
        queue = list(reversed(items))
        running: dict[Any, T] = {}
        resubmitted: dict[int, int] = {}
        lost_since: float | None = None
        try:
            while queue or running:
                while queue and len(running) < limit:
                    item = queue.pop()
                    running[self.client.submit(fn, item, pure=False, retries=RETRIES,
                                               priority=len(queue))] = item
                try:
                    with self.client.as_current():
                        finished = wait(list(running), timeout=POLL_S,
                                        return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    finished = set()
                lost_since = self._still_there(lost_since)
                for future in finished:
                    item = running.pop(future)
                    if future.status == "finished":
                        try:
                            value = future.result()
                        except (OSError, asyncio.CancelledError,
                                concurrent.futures.CancelledError):
                            if not self._again(item, resubmitted, queue):
                                raise
                            continue
                        done(item, value, None)
                    elif future.status == "error":
                        done(item, None, future.exception())
                    elif not self._again(item, resubmitted, queue):
                        raise self._lost()  # cancelled, which only a lost scheduler does
        except (asyncio.CancelledError, concurrent.futures.CancelledError, OSError):
            # what Dask raises when the scheduler is gone (futures cancelled, a closed comm)
            raise self._lost() from None
        except BaseException:
            self._cancel(list(running))
            raise

    def _again(self, item: T, resubmitted: dict[int, int], queue: list[T]) -> bool:
        """Queue ``item`` once more when its result was lost with a worker (the worker that
        held it died, as a lesson that kills workers makes happen) while the scheduler is still
        there; false when it is not, or after :data:`RESUBMITS` tries."""
        if self.client.status != "running" or resubmitted.get(id(item), 0) >= RESUBMITS:
            return False
        resubmitted[id(item)] = resubmitted.get(id(item), 0) + 1
        queue.append(item)
        return True

    def _still_there(self, since: float | None) -> float | None:
        """When the scheduler was first found unreachable (``None``: it is there)."""
        if self.client.status == "running":
            return None
        now = time.monotonic()
        if self.client.status in ("closed", "closing", "failed") or (
                since is not None and now - since > LOST_S):
            raise self._lost()
        return since if since is not None else now

    def _lost(self) -> ClusterError:
        return ClusterError(f"lost the Dask scheduler at {self.address}; the lessons finished "
                            "so far are in the cache, so running the audit again resumes there")

    def _cancel(self, futures: list[Any]) -> None:
        """Cancel ``futures`` and stop whatever the workers still run for them."""
        if self.client.status != "running":
            return
        with contextlib.suppress(Exception):
            self.client.cancel(futures, force=True)
            self.client.run(stop_children)

    def close(self) -> None:
        """Disconnect (the cluster keeps running)."""
        with contextlib.suppress(Exception):
            self.client.close(timeout=CONNECT_S)


def _quiet_logs() -> None:
    """Dask's own log lines (a lost connection, with a traceback) are not for the user: what
    matters reaches them as one line from coursecheck."""
    import distributed  # noqa: F401  (creates its loggers)

    for name in list(logging.root.manager.loggerDict):
        if name == "distributed" or name.startswith("distributed."):
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _why(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _size(name: str) -> int:
    try:
        return os.stat(name).st_size
    except OSError:
        return 0

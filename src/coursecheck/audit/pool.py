"""Probe many files, in bounded worker processes, with progress and a clean Ctrl-C.

The parent process never runs MediaInfo itself: it answers what it can from the probe cache and
hands every other file to :class:`~coursecheck.workers.ProbePool` (see there for the limits,
what happens when a worker dies, and signals).
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coursecheck.cache import open_probe_cache
from coursecheck.gather import Prober
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

if TYPE_CHECKING:
    from coursecheck.workers import ProbePool

Tick = Callable[[int], None]

# What starting and stopping more workers costs, in seconds (15-25 ms for two on the benchmark
# machine, with a margin for a busy one). The parent keeps one worker busy at a time, and hands
# the files left to ``jobs`` workers only when that saves more than this; it judges by the median
# time of the last RECENT files.
POOL_COST_S = 0.05
RECENT = 5


def probe_all(paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
              notes: list[str], results: dict[Path, MediaFacts], pool: ProbePool) -> None:
    """Probe ``paths`` with up to ``jobs`` of ``pool``'s workers into ``results``; ``tick(n)``
    reports progress.

    ``paths`` are the files the cache could not answer: the caller answers every hit first
    (:func:`coursecheck.cache.answer_hits`), so a warm run never starts a worker however slow
    the machine is. The misses go to one bounded worker at a time; once the files left look
    slow enough for ``jobs`` workers to be worth their start-up cost, the rest go to all of
    them. On Ctrl-C (or SIGTERM, see :mod:`coursecheck.interrupts`) the workers are stopped
    and the exception propagates; ``results`` then holds what was probed so far.
    """
    if not paths:
        return
    with open_probe_cache(options, notes, raw=pool.probe) as cache:
        prober = pool.probe if cache is None else cache.probe
        rest = _probe_here(paths, prober, jobs, tick, results)
    for path, facts, fresh in pool.run(rest):
        results[path] = facts
        for note in fresh:
            if note not in notes:
                notes.append(note)
        tick(1)


def _probe_here(paths: list[Path], prober: Prober, jobs: int, tick: Tick,
                results: dict[Path, MediaFacts]) -> list[Path]:
    """Probe one file at a time until ``jobs`` workers would finish sooner; return the rest.

    The time per file is the median of the last few, so one odd file does not decide alone; the
    first file is left out, as it pays one-time costs (starting the worker, loading MediaInfo).
    """
    recent: deque[float] = deque(maxlen=RECENT)
    for done, path in enumerate(paths, 1):
        begun = time.perf_counter()
        results[path] = prober(path)
        tick(1)
        if done > 1:
            recent.append(time.perf_counter() - begun)
        left = len(paths) - done
        if jobs > 1 and left > 1 and recent and _pool_pays(statistics.median(recent), left, jobs):
            return paths[done:]
    return []


def _pool_pays(per_file: float, left: int, jobs: int) -> bool:
    """Whether ``jobs`` processes would probe ``left`` files faster, start-up included."""
    return per_file * left * (1 - 1 / jobs) > POOL_COST_S

"""Probe many files, in a process pool when that pays, with progress and a clean Ctrl-C."""

from __future__ import annotations

import gc
import os
import signal
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from coursecheck import probe as probing
from coursecheck.cache import ProbeCache, open_probe_cache, open_prober
from coursecheck.gather import Prober
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

_WORKER: dict[str, Any] = {}


def _init_worker(options: RunOptions) -> None:
    """In each worker: ignore Ctrl-C (the parent stops us) and open the cache once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stack = ExitStack()
    notes: list[str] = []
    _WORKER.update(prober=stack.enter_context(open_prober(options, notes)), notes=notes,
                   stack=stack)


def _probe_in_worker(path: Path) -> tuple[Path, MediaFacts, list[str]]:
    notes: list[str] = _WORKER["notes"]
    facts = _WORKER["prober"](path)
    fresh = list(notes)
    notes.clear()
    return path, facts, fresh


Tick = Callable[[int], None]

# What starting and stopping a pool of forked workers costs, in seconds (15-25 ms for two on the
# benchmark machine, with a margin for a busy one). The parent hands the files left to a pool
# only when that saves more than this; it judges by the median time of the last RECENT files.
POOL_COST_S = 0.05
START_METHOD_VAR = "COURSECHECK_START_METHOD"
RECENT = 5


def probe_all(paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
              notes: list[str], results: dict[Path, MediaFacts]) -> None:
    """Probe ``paths`` with up to ``jobs`` processes into ``results``; ``tick(n)`` reports progress.

    The parent answers every file the cache holds first, so a warm run never starts a pool
    however slow the machine is. It then probes the misses; once the files left look slow enough
    for ``jobs`` processes to be worth their start-up cost, the rest go to a pool. On Ctrl-C the
    workers are terminated and :class:`KeyboardInterrupt` propagates; ``results`` then holds
    what was probed so far.
    """
    if not paths:
        return
    with open_probe_cache(options, notes) as cache:
        misses = paths if cache is None else _answer_hits(paths, cache, tick, results)
        prober = probing.probe if cache is None else cache.probe
        rest = _probe_here(misses, prober, jobs, tick, results)
    if rest:
        _probe_in_pool(rest, options, jobs, tick, notes, results)


def _answer_hits(paths: list[Path], cache: ProbeCache, tick: Tick,
                 results: dict[Path, MediaFacts]) -> list[Path]:
    """Put the facts the cache holds into ``results``; return the files it could not answer."""
    misses = []
    for path in paths:
        facts = cache.cached(path)
        if facts is None:
            misses.append(path)
        else:
            results[path] = facts
            tick(1)
    return misses


def _probe_here(paths: list[Path], prober: Prober, jobs: int, tick: Tick,
                results: dict[Path, MediaFacts]) -> list[Path]:
    """Probe in this process until a pool would finish sooner; return the files not probed.

    The time per file is the median of the last few, so one odd file does not decide alone; the
    first file is left out, as it pays one-time costs (loading MediaInfo).
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


def start_method() -> str:
    """How workers start: ``$COURSECHECK_START_METHOD`` (``spawn`` lets tests run what Windows
    and macOS do), else ``fork`` where there is one, else ``spawn``."""
    chosen = os.environ.get(START_METHOD_VAR, "").strip()
    if chosen:
        return chosen
    return "fork" if sys.platform != "win32" else "spawn"


def _probe_in_pool(paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
                   notes: list[str], results: dict[Path, MediaFacts]) -> None:
    """Probe ``paths`` in a pool of ``jobs`` processes."""
    import multiprocessing  # only a run with files to probe needs it

    context = multiprocessing.get_context(start_method())
    # Forked workers share the parent's memory until they write to it; a garbage collection in
    # a worker writes to every object it visits. Freezing first keeps those pages shared.
    gc.freeze()
    try:
        pool = context.Pool(processes=jobs, initializer=_init_worker, initargs=(options,))
    finally:
        gc.unfreeze()
    try:
        for path, facts, fresh in pool.imap_unordered(_probe_in_worker, paths, chunksize=1):
            results[path] = facts
            for note in fresh:
                if note not in notes:
                    notes.append(note)
            tick(1)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


@contextmanager
def progress(total: int) -> Iterator[Tick]:
    """A rich bar on a terminal; otherwise a plain line on stderr every few seconds."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("files · {task.fields[rate]}"), TimeRemainingColumn())
        begun = time.monotonic()
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("probing", total=total, rate="")

            def advance(n: int) -> None:
                done = bar.tasks[0].completed + n
                rate = done / max(time.monotonic() - begun, 1e-6)
                bar.update(task, advance=n, rate=f"{rate:.0f}/s")

            yield advance
        return
    done = 0
    started = last = time.monotonic()
    spoke = False

    def tick(n: int) -> None:
        nonlocal done, last, spoke
        done += n
        now = time.monotonic()
        if now - last >= 3 or (done == total and (spoke or now - started >= 1)):
            spoke = True
            rate = done / max(now - started, 1e-6)
            print(f"coursecheck: probing {done}/{total} files ({rate:.0f}/s)", file=sys.stderr,
                  flush=True)
            last = now

    yield tick

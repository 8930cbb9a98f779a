"""Probe many files in a process pool, with progress on stderr and a clean stop on Ctrl-C."""

from __future__ import annotations

import multiprocessing
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from coursecheck.cache import open_prober
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


def probe_all(paths: list[Path], options: RunOptions, jobs: int, tick: Tick,
              notes: list[str], results: dict[Path, MediaFacts]) -> None:
    """Probe ``paths`` with ``jobs`` processes into ``results``; ``tick(n)`` reports progress.

    On Ctrl-C the workers are terminated and :class:`KeyboardInterrupt` propagates; ``results``
    then holds what was probed so far.
    """
    if not paths:
        return
    if jobs <= 1 or len(paths) == 1:
        with open_prober(options, notes) as prober:
            for path in paths:
                results[path] = prober(path)
                tick(1)
        return
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pool = context.Pool(processes=jobs, initializer=_init_worker, initargs=(options,))
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
def progress(total: int, label: str = "probing") -> Iterator[Tick]:
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
            task = bar.add_task(label, total=total, rate="")

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
            print(f"coursecheck: {label} {done}/{total} files ({rate:.0f}/s)", file=sys.stderr,
                  flush=True)
            last = now

    yield tick

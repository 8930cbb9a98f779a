"""Progress of a long phase (probing, thumbnails): a rich bar on a terminal, else plain lines."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Tick = Callable[[int], None]


@contextmanager
def progress(total: int, label: str = "probing", unit: str = "files") -> Iterator[Tick]:
    """A rich bar on a terminal; otherwise a line on stderr every few seconds, e.g.
    ``coursecheck: thumbnails 120/480 lessons (40/s)``, in the command line's language.
    Yields ``tick(n)``: ``n`` more done."""
    from coursecheck.uilang import word

    label, unit = word(label), word(unit)
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
                   TextColumn(unit + " · {task.fields[rate]}"), TimeRemainingColumn())
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
            print(f"coursecheck: {label} {done}/{total} {unit} ({rate:.0f}/s)", file=sys.stderr,
                  flush=True)
            last = now

    yield tick

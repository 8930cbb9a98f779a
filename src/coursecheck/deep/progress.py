"""Progress of deep work on stderr: minutes of video analysed, speed as a multiple of real time,
and the time left. A rich bar on a terminal; a plain line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PLAIN_EVERY_S = 5.0


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


@contextmanager
def deep_progress(total_s: float, shown: bool = True) -> Iterator[Callable[[float], None]]:
    """A ``tick(seconds)`` that advances the display by that much media."""
    begun = time.monotonic()
    done = 0.0

    def speed() -> float:
        return done / max(time.monotonic() - begun, 1e-6)

    if not shown:
        def add(seconds: float) -> None:
            nonlocal done
            done += seconds
        yield add
        return
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        columns = (TextColumn("decoding"), BarColumn(),
                   TextColumn("{task.fields[minutes]} min · {task.fields[rate]}"),
                   TimeRemainingColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("deep", total=max(total_s, 1e-6),
                                minutes=f"0/{_minutes(total_s)}", rate="")

            def advance(seconds: float) -> None:
                nonlocal done
                done += seconds
                bar.update(task, advance=seconds,
                           minutes=f"{_minutes(done)}/{_minutes(total_s)}",
                           rate=f"{speed():.1f}× real time")

            yield advance
        return
    last = begun

    def tick(seconds: float) -> None:
        nonlocal done, last
        done += seconds
        now = time.monotonic()
        if now - last >= PLAIN_EVERY_S or (done >= total_s and now - begun >= PLAIN_EVERY_S):
            rate = speed()
            left = (total_s - done) / rate if rate > 0 else 0.0
            print(f"coursecheck: decoded {_minutes(done)}/{_minutes(total_s)} min of video "
                  f"({rate:.1f}× real time, about {left:.0f} s left)", file=sys.stderr,
                  flush=True)
            last = now

    yield tick

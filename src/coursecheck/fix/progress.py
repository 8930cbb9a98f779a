"""Progress: reading ffmpeg's ``-progress`` records, and showing them.

:func:`read_progress` only parses (it is tested on recorded output). On a terminal,
:class:`BarDisplay` shows an overall bar plus a bar per running file; elsewhere
:class:`LineDisplay` writes one line when a file starts and one when it ends, so logs stay short.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable, Iterator
from typing import Protocol, TextIO

from coursecheck.uilang import word


def read_progress(lines: Iterable[str]) -> Iterator[tuple[float, bool]]:
    """``(seconds written so far, finished)`` at the end of each ``-progress`` record."""
    seconds = 0.0
    for line in lines:
        key, _, value = line.strip().partition("=")
        if key == "out_time_us":
            try:
                seconds = max(seconds, int(value) / 1_000_000)
            except ValueError:  # "N/A" before the first frame
                continue
        elif key == "progress":
            yield seconds, value == "end"


class Display(Protocol):
    """Where the executor reports progress. Called from worker threads."""

    def start(self, name: str, total_s: float | None) -> None:
        """A file started encoding; ``total_s`` is its duration when known."""

    def advance(self, name: str, done_s: float) -> None:
        """``done_s`` seconds of the file are written."""

    def finish(self, name: str, ok: bool) -> None:
        """The file is done (or failed)."""

    def close(self) -> None:
        """No more files."""


class LineDisplay:
    """One line per file start and end, on ``stream`` (stderr by default)."""

    def __init__(self, count: int, stream: TextIO | None = None) -> None:
        self.count, self.stream, self.done = count, stream or sys.stderr, 0
        self.lock = threading.Lock()

    def start(self, name: str, total_s: float | None) -> None:
        """Say that ``name`` started."""
        with self.lock:
            print(f"[{self.done}/{self.count}] {word('encoding')} {name} …", file=self.stream,
                  flush=True)

    def advance(self, name: str, done_s: float) -> None:
        """Nothing: lines are for starts and ends only."""

    def finish(self, name: str, ok: bool) -> None:
        """Say that ``name`` is done or failed."""
        with self.lock:
            self.done += 1
            said = word("done") if ok else word("failed").upper()
            print(f"[{self.done}/{self.count}] {said} {name}", file=self.stream, flush=True)

    def close(self) -> None:
        """Nothing to tidy."""


class BarDisplay:
    """An overall bar (files, with fractions of the running ones) and one bar per running file."""

    def __init__(self, count: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                 TaskProgressColumn(), console=Console(stderr=True),
                                 transient=True)
        self.overall = self.progress.add_task("all lessons", total=max(count, 1))
        self.tasks: dict[str, tuple[TaskID, float | None]] = {}
        self.fractions: dict[str, float] = {}
        self.finished = 0
        self.lock = threading.Lock()
        self.progress.start()

    def start(self, name: str, total_s: float | None) -> None:
        """Add a bar for ``name``."""
        with self.lock:
            task = self.progress.add_task(f"  {name}", total=total_s)
            self.tasks[name] = (task, total_s)

    def advance(self, name: str, done_s: float) -> None:
        """Move ``name``'s bar and the overall bar."""
        with self.lock:
            task, total = self.tasks[name]
            self.progress.update(task, completed=min(done_s, total) if total else done_s)
            self.fractions[name] = min(done_s / total, 1.0) if total else 0.0
            self._overall()

    def finish(self, name: str, ok: bool) -> None:
        """Remove ``name``'s bar; count it as done."""
        with self.lock:
            if name in self.tasks:
                self.progress.remove_task(self.tasks.pop(name)[0])
            self.fractions.pop(name, None)
            self.finished += 1
            self._overall()

    def _overall(self) -> None:
        self.progress.update(self.overall,
                             completed=self.finished + sum(self.fractions.values()))

    def close(self) -> None:
        """Stop drawing."""
        self.progress.stop()


def display_for(count: int) -> Display:
    """Bars on a terminal, lines elsewhere."""
    return BarDisplay(count) if sys.stderr.isatty() else LineDisplay(count)

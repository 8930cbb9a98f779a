"""Timing and memory of one command: wall time, and the peak memory of its process tree.

The tree's memory is sampled from ``/proc`` every few milliseconds while the command runs: the
sum of the resident set sizes of the process and all its descendants (shared pages counted in
every process that maps them, so an upper bound) and the sum of their proportional set sizes
(shared pages split between the processes, the tree's real footprint). ``ru_maxrss`` from
``wait4`` gives the largest single process (the command or any child it waited for).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
PROC = Path("/proc")
SAMPLE_S = 0.005


@dataclass(frozen=True, slots=True)
class Run:
    """One run of a command."""

    wall_s: float
    cpu_s: float  # user + system time of the command and every child it waited for
    returncode: int
    max_single_rss: int  # bytes, the largest single process (ru_maxrss)
    tree_rss: int = 0  # bytes, the sampled peak of the tree's summed RSS (0: not sampled)
    tree_pss: int = 0  # bytes, the sampled peak of the tree's summed PSS (0: not sampled)


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return float(statistics.median(values))


def run(args: Sequence[str], *, env: Mapping[str, str] | None = None, stdout: Path | None = None,
        sample: bool = False, cwd: Path | None = None) -> Run:
    """Run ``args`` to the end; output goes to ``stdout`` (or nowhere), stderr nowhere."""
    sampler = _TreeSampler() if sample else None
    out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
    try:
        begun = time.perf_counter()
        proc = subprocess.Popen(list(args), stdout=out, stderr=subprocess.DEVNULL, env=env,
                                cwd=cwd)
        if sampler is not None:
            sampler.start(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - begun
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout is not None and not isinstance(out, int):
            out.close()
    rss, pss = sampler.stop() if sampler is not None else (0, 0)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, proc.returncode, usage.ru_maxrss * 1024, rss, pss)


class _TreeSampler:
    """Polls the memory of a process and its descendants on a background thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.rss = 0
        self.pss = 0

    def start(self, pid: int) -> None:
        self._thread = threading.Thread(target=self._loop, args=(pid,), daemon=True)
        self._thread.start()

    def stop(self) -> tuple[int, int]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.rss, self.pss

    def _loop(self, root: int) -> None:
        while not self._stop.is_set():
            pids = _tree(root)
            self.rss = max(self.rss, sum(_rss(pid) for pid in pids))
            self.pss = max(self.pss, sum(_pss(pid) for pid in pids))
            self._stop.wait(SAMPLE_S)


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it, from the parent ids in ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss(pid: int) -> int:
    try:
        return int((PROC / str(pid) / "statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _pss(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0

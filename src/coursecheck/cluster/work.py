"""What a Dask worker runs. Plain functions of plain values; nothing here imports Dask.

A worker writes no cache and nothing into any course folder: it returns facts, and the machine
running ``audit`` keeps them.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from pathlib import Path

from coursecheck.deep.batch import Job
from coursecheck.deep.facts import DeepFacts
from coursecheck.probe import MediaFacts


def deep_task(job: Job) -> DeepFacts:
    """One lesson's deep analysis (the same pure function the local pool runs)."""
    return job.run()


def probe_task(path: str) -> MediaFacts:
    """One file's header probe."""
    from coursecheck.probe import probe

    return probe(Path(path))


def can_see(roots: Sequence[str], samples: Sequence[tuple[str, int]]) -> str:
    """The first path this worker cannot see as the caller does ('' when all are fine):
    a ROOT that is not a folder here, or a sample lesson missing or of another size."""
    for root in roots:
        if not os.path.isdir(root):
            return f"{root} (not a folder on this worker)"
    for path, size in samples:
        try:
            seen = os.stat(path).st_size
        except OSError as exc:
            return f"{path} ({exc.strerror or 'cannot be read'} on this worker)"
        if seen != size:
            return f"{path} ({seen} bytes on this worker, {size} here)"
    return ""


def stop_children() -> int:
    """Kill every process this worker started (each ffmpeg runs in its own process group), so a
    cancelled lesson's analysis ends at once; returns how many were signalled."""
    import psutil  # a dependency of distributed, so present on every worker

    count = 0
    for child in psutil.Process().children(recursive=True):
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            try:
                child.kill()
            except psutil.Error:
                continue
        count += 1
    return count

"""How long, and with how much memory, one ffmpeg child of ``fix`` may run.

The time limit comes from the lesson's *real* duration (what :mod:`coursecheck.fix.scan` found in
its packets, never the header's claim) and the preset: generous enough for a slow machine under
load, small enough that a child that can never finish is stopped and reported instead of
running all night. The memory cap (``RLIMIT_AS``, or a Job Object on Windows; see
:mod:`coursecheck.proc`) leaves room for x264's threads on a machine with many cores.
"""

from __future__ import annotations

import os

from coursecheck.proc import MiB

BASE_S = 120.0
# CPU-bound seconds per second of lesson that a slow, loaded machine may need, per preset.
PER_SECOND = {"ultrafast": 3.0, "superfast": 3.0, "veryfast": 4.0, "faster": 5.0, "fast": 6.0,
              "medium": 8.0, "slow": 15.0, "slower": 30.0, "veryslow": 60.0, "placebo": 120.0}


def time_limit_s(duration_s: float | None, preset: str) -> float:
    """Wall-clock seconds one encode of ``duration_s`` seconds may take."""
    return BASE_S + max(duration_s or 0.0, 0.0) * PER_SECOND.get(preset, 60.0)


def memory_cap(cpus: int | None = None) -> int:
    """Bytes of address space one ffmpeg may map: 2 GiB plus 256 MiB a core, at least 3 GiB."""
    cores = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(3 * 1024 * MiB, 2 * 1024 * MiB + 256 * MiB * cores)

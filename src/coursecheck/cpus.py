"""Which CPU a decoding ffmpeg runs on, so that ``--jobs N`` uses about N cores.

ffmpeg 7 and later run the demuxer, each decoder, the filters and each muxer in threads of their
own even with ``-threads 1``, so one ffmpeg left free uses about 1.4 cores, and N of them fight
over N cores. Tying each one to a single CPU makes a job cost one core, and about 7% less CPU
time (no hand-over between cores).

Each thread that starts deep decodes (the parent at ``--jobs 1``, each pool worker, each thread of
a Dask worker) first *claims* a CPU of its own: it binds a Linux abstract Unix socket named after
that CPU, which no other process can bind while it is held and which the kernel frees when its
holder ends, however it ends. Claims therefore never collide, not between the workers of one run
nor between two coursecheck runs on one machine, whoever runs them (within one network
namespace: a container with its own cannot see the others' claims), and leave no file behind.
When every CPU is claimed, ffmpeg runs free.

Only Linux can do this; elsewhere :func:`claimed_cpu` is ``None`` and ffmpeg runs free.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # socket is imported when a claim is first made, not at start-up
    from socket import socket

CAN_PIN = sys.platform.startswith("linux") and hasattr(os, "sched_setaffinity")
# the set of claims that share out this machine's CPUs; runs with another name ignore each other
# (tests give each test its own, so parallel test processes do not take each other's CPUs)
CLAIMS_VAR = "COURSECHECK_CPU_CLAIMS"
_held = threading.local()  # .claim: (cpu, the bound socket) while this thread holds one


def allowed() -> list[int]:
    """The CPUs this process may run on, in order; empty where that cannot be known."""
    if not CAN_PIN:
        return []
    try:
        return sorted(os.sched_getaffinity(0))
    except OSError:
        return []


def claimed_cpu() -> int | None:
    """The CPU this thread holds, claiming the first free one on the first call. ``None`` when
    pinning is not possible or every CPU is held elsewhere (then it is tried again next call)."""
    held: tuple[int, socket] | None = getattr(_held, "claim", None)
    if held is not None:
        return held[0]
    for cpu in allowed():
        claim = _bind(cpu)
        if claim is not None:
            _held.claim = (cpu, claim)
            return cpu
    return None


def _bind(cpu: int) -> socket | None:
    import socket

    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError:  # a sandbox that allows no sockets: run free
        return None
    try:
        # no user ID in the name: runs of different users share the machine's CPUs too
        sock.bind(f"\0{os.environ.get(CLAIMS_VAR) or 'coursecheck-cpu'}-{cpu}")
    except OSError:  # held by another thread or process
        sock.close()
        return None
    return sock


def release() -> None:
    """Give up this thread's CPU. A thread's claim otherwise lasts as long as it does; a forked
    child (a pool worker) gives up the copy of its parent's at once, and the parent's stands."""
    held: tuple[int, socket] | None = getattr(_held, "claim", None)
    if held is not None:
        held[1].close()
        del _held.claim


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=release)


def pin(cpu: int | None) -> None:
    """Tie the calling process to ``cpu``; ignore failure. Meant for a child between fork and
    exec: one system call, no locks."""
    if cpu is not None and CAN_PIN:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {cpu})

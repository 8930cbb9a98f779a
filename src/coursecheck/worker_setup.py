"""Inside a worker process: tie it to its parent and bound what each file may cost.

Kept apart from :mod:`coursecheck.workers` because it runs in the child only, and each piece
is a no-op where the platform lacks it (no ``resource`` module or ``prctl`` on Windows).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coursecheck.workers import Limits

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_MIB = 1 << 20


def prepare() -> int:
    """Ignore Ctrl-C (the parent stops workers), die at once and quietly on SIGTERM, die with
    the parent on Linux, write no core file; return the parent's process ID."""
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a fork keeps the parent's handler
    if hasattr(signal, "pthread_sigmask"):  # the parent held them back while starting us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    if sys.platform.startswith("linux"):
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the request took hold
            os._exit(0)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a SIGXCPU death writes no core
    except (ImportError, ValueError, OSError):
        pass
    return parent


def _die_with_parent() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def arm(limits: Limits) -> None:
    """Allow the next file ``limits.cpu_seconds`` more CPU seconds and ``limits.memory_mb`` more
    address space than this process uses now. Where rlimits do not exist, do nothing."""
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + limits.cpu_seconds
    _raise_soft(resource.RLIMIT_CPU, cpu)
    size = _address_space()
    if size is not None:
        _raise_soft(resource.RLIMIT_AS, size + limits.memory_mb * _MIB)


def _raise_soft(which: int, soft: int) -> None:
    """Set the soft limit to ``soft`` (capped by the hard limit, never changed)."""
    import resource

    _soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(which, (soft, hard))


def _address_space() -> int | None:
    """This process's virtual memory size in bytes (Linux), or ``None`` where unknown.

    Only Linux enforces ``RLIMIT_AS`` the way it is meant here; elsewhere memory is not capped.
    """
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")

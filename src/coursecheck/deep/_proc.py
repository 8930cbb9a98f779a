"""A stand-in for :mod:`coursecheck.proc` (being written by another change) with the same shape.

``popen_bounded`` starts a child in its own process group that dies with its parent (Linux) and
is limited in address space; ``kill_group`` ends it and everything it started with SIGKILL.
Replace with ``from coursecheck.proc import popen_bounded`` when that module lands.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from typing import Any


def _limits(mem_bytes: int | None) -> Callable[[], None] | None:
    if sys.platform == "win32":
        return None

    def child() -> None:
        if sys.platform.startswith("linux"):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if mem_bytes:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
    return child


def popen_bounded(argv: Sequence[str], *, mem_bytes: int | None = None,
                  **kwargs: Any) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a new process group, limited to ``mem_bytes`` of address space."""
    if sys.platform == "win32":
        kwargs.setdefault("creationflags", subprocess.CREATE_NEW_PROCESS_GROUP)
    else:
        kwargs["start_new_session"] = True
    return subprocess.Popen(list(argv), preexec_fn=_limits(mem_bytes), **kwargs)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's process group (or the child, on Windows); never raises."""
    try:
        if sys.platform == "win32":
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass

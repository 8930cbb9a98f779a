"""SIGTERM is handled like Ctrl-C: it raises :class:`Terminated`, a :class:`KeyboardInterrupt`.

So every place that stops cleanly on Ctrl-C (``audit`` prints the courses finished so far, worker
processes are killed, temporary files removed) does the same when a CI job times out or a
service manager stops coursecheck. The exit code tells them apart: 130 after Ctrl-C, 143 after
SIGTERM (128 + the signal's number, as a shell reports it).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

SIGINT_EXIT = 130


class Terminated(KeyboardInterrupt):
    """The run was stopped by SIGTERM."""


def exit_code(interrupt: BaseException) -> int:
    """143 for :class:`Terminated`, else 130 (Ctrl-C)."""
    if isinstance(interrupt, Terminated):
        return 128 + int(signal.SIGTERM)
    return SIGINT_EXIT


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    # Further SIGTERMs are ignored: the clean-up that this one starts must be allowed to finish.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated()


def raise_on_sigterm() -> None:
    """From now on, SIGTERM raises :class:`Terminated` in the main thread (once)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)

"""Standard streams that never fail on a character their encoding lacks, and command lines
quoted for the shell the user has.

Chinese Windows writes redirected and piped output in the ANSI code page (cp936, i.e. GBK), which
has no ✓ or ✗; a name from a user's file may hold anything. A report must still be written, so
the console streams replace what they cannot encode, and the marks have encodable stand-ins.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Sequence
from contextlib import suppress
from typing import IO

# mark → the stand-in for a stream that cannot encode it (both are in GBK and Big5)
FALLBACK_MARKS = {"✓": "√", "✗": "×"}


def forgiving_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` replace characters their encoding lacks, instead
    of raising :class:`UnicodeEncodeError` (only where they are strict text files)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            with suppress(ValueError, OSError):  # a closed or detached stream: nothing to protect
                reconfigure(errors="replace")


def can_encode(stream: IO[str], text: str) -> bool:
    """Whether ``stream``'s encoding can write ``text`` (true when it names no encoding)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return True
    try:
        codecs.lookup(encoding)
        text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def mark(stream: IO[str], symbol: str) -> str:
    """``symbol``, or its stand-in from :data:`FALLBACK_MARKS` when ``stream`` cannot encode it."""
    if symbol in FALLBACK_MARKS and not can_encode(stream, symbol):
        return FALLBACK_MARKS[symbol]
    return symbol


def command_line(argv: Sequence[str], platform: str | None = None) -> str:
    """``argv`` as one line a user can paste into the shell of ``platform`` (default: this one):
    ``cmd.exe``/PowerShell quoting on Windows (:func:`subprocess.list2cmdline`), POSIX
    quoting elsewhere (:func:`shlex.join`)."""
    if (platform or sys.platform) == "win32":
        import subprocess

        return subprocess.list2cmdline(argv)
    import shlex

    return shlex.join(argv)

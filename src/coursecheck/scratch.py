"""Private temporary folders whose leftovers a later run removes.

A run that is killed outright (SIGKILL, Task Manager's "End task", a battery that dies) cannot
remove its temporary folders, and a zip's folder holds its unpacked lessons: gigabytes in
``%TEMP%``. So each folder made here has a lock file beside it (``<folder>.lock``; beside, not in
it, where a zip's own files go), locked for as long as its run lives. The operating system drops
the lock however the process ends, so :func:`sweep` can tell a folder whose run has ended (its lock
can be taken) from one still in use (it cannot), on POSIX and on Windows alike.

Only folders of this user, with the given prefix, that are real folders (never a symlink) and
were last changed a minute ago or more are touched; one without a lock file (an older
coursecheck's) only when a day old.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from contextlib import suppress
from pathlib import Path

LOCK_SUFFIX = ".lock"
MIN_AGE_S = 60.0  # a folder is locked within microseconds of being made; this covers the gap
UNLOCKED_AGE_S = 24 * 3600.0
_FLAGS = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_held: dict[Path, int] = {}  # each folder this process made, and its locked lock file


def make(prefix: str) -> Path:
    """A new private folder in the temp folder, locked as in use until :func:`release`."""
    folder = Path(os.path.realpath(tempfile.mkdtemp(prefix=prefix)))
    try:
        fd = os.open(_lock_of(folder), _FLAGS | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return folder  # unlocked: swept only when a day old
    if _try_lock(fd):
        _held[folder] = fd
    else:
        os.close(fd)
    return folder


def release(folder: Path) -> None:
    """Remove ``folder`` (made by :func:`make`) and its lock."""
    shutil.rmtree(folder, ignore_errors=True)
    fd = _held.pop(folder, None)
    if fd is not None:
        os.close(fd)
        with suppress(OSError):
            os.unlink(_lock_of(folder))


def sweep(prefix: str) -> int:
    """Remove the folders named ``prefix…`` that ended runs left in the temp folder, with their
    locks; how many. Never raises."""
    try:
        top = tempfile.gettempdir()
        names = os.listdir(top)
    except OSError:
        return 0
    now = time.time()
    swept = 0
    for name in names:
        if name.startswith(prefix) and not name.endswith(LOCK_SUFFIX):
            swept += _sweep_one(Path(top, name), now)
    return swept


def _sweep_one(folder: Path, now: float) -> int:
    try:
        st = os.lstat(folder)
    except OSError:
        return 0
    if not stat.S_ISDIR(st.st_mode) or now - st.st_mtime < MIN_AGE_S:
        return 0
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return 0
    lock = _lock_of(folder)
    try:
        fd = os.open(lock, _FLAGS)
    except FileNotFoundError:
        if now - st.st_mtime < UNLOCKED_AGE_S:
            return 0
        shutil.rmtree(folder, ignore_errors=True)
        return 1
    except OSError:  # a symlink planted as the lock (ELOOP), or no permission: leave it
        return 0
    try:
        if not _try_lock(fd):
            return 0  # its run is still going
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(fd)
    with suppress(OSError):
        os.unlink(lock)
    return 1


def _lock_of(folder: Path) -> Path:
    return folder.with_name(folder.name + LOCK_SUFFIX)


def _try_lock(fd: int) -> bool:
    """Take the lock on ``fd`` without waiting; whether it was taken."""
    try:
        if os.name == "nt":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True

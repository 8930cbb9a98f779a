"""Resolving paths written in a manifest without ever leaving the course folder.

Nothing here opens a file: it only asks the file system what a path is (``lstat``/``realpath``).
"""

from __future__ import annotations

import enum
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath


class PathStatus(enum.StrEnum):
    """What a manifest path turned out to be."""

    OK = "ok"
    MISSING = "missing"
    UNREACHABLE = "unreachable"
    INVALID = "invalid"
    OUTSIDE = "outside"
    NOT_FILE = "not_file"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A manifest path: as written (POSIX), where it really is, and whether it may be opened."""

    written: str
    status: PathStatus
    real: Path | None = None
    reason: str = ""


def to_posix(written: str) -> str:
    """The path with Windows separators turned into ``/``, as every report shows it."""
    return written.replace("\\", "/")


def resolve_inside(root: Path, written: str) -> Resolved:
    """Resolve ``written`` against the course folder ``root`` without opening anything.

    A path is ``OUTSIDE`` when it is absolute, has a ``..`` part, or is (or passes through) a
    symlink that points outside ``root``. Only an ``OK`` path is a regular file that may be read.
    """
    posix = to_posix(written)
    if "\x00" in written:
        return Resolved(posix, PathStatus.INVALID, reason="NUL character")
    if PurePosixPath(posix).is_absolute() or PureWindowsPath(written).drive:
        return Resolved(posix, PathStatus.OUTSIDE, reason="absolute path")
    if ".." in PurePosixPath(posix).parts:
        return Resolved(posix, PathStatus.OUTSIDE, reason="'..' in the path")
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(root / posix))
    if not real.is_relative_to(real_root):
        return Resolved(posix, PathStatus.OUTSIDE, reason="symlink to a place outside the folder")
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return Resolved(posix, PathStatus.MISSING, real)
    except OSError as exc:  # a symlink loop, a folder we may not enter, a name too long
        return Resolved(posix, PathStatus.UNREACHABLE, real, reason=exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        return Resolved(posix, PathStatus.NOT_FILE, real, reason="not a regular file")
    return Resolved(posix, PathStatus.OK, real)


def walk_files(root: Path) -> list[str]:
    """Every regular file under ``root`` as a sorted POSIX path relative to it.

    Hidden folders (``.git``) and symlinked folders are skipped; nothing is opened. A name
    that is not UTF-8 keeps its surrogate escapes; each reporter decides how to show it.
    """
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(folder)
        for name in files:
            path = base / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)

"""Resolving paths written in a manifest without ever leaving the course folder.

Nothing here opens a file: it only asks the file system what a path is (``lstat``/``realpath``).
"""

from __future__ import annotations

import enum
import functools
import ntpath
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path


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
    """A manifest path: as written (POSIX), where it really is, and whether it may be opened.

    ``on_disk`` is the file's real spelling when it matches the written path only if upper and
    lower case are not told apart (``Lessons/01.MP4`` for ``lessons/01.mp4``).
    """

    written: str
    status: PathStatus
    real: Path | None = None
    reason: str = ""
    on_disk: str | None = None


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
    if posix.endswith("/"):  # the OS would ignore it, but it names a folder, not a file
        return Resolved(posix, PathStatus.INVALID, reason="ends with '/'")
    # plain string work: at 2,000 lessons pathlib's parsing was a tenth of a warm audit
    if posix.startswith("/") or ntpath.splitdrive(written)[0]:
        return Resolved(posix, PathStatus.OUTSIDE, reason="absolute path")
    if ".." in posix.split("/"):
        return Resolved(posix, PathStatus.OUTSIDE, reason="'..' in the path")
    below = _below_root(root, posix)
    if below is not None:  # no symlink on the way: the lstat of the last name is the file's
        found, st = below
        if stat.S_ISREG(st.st_mode):
            return Resolved(posix, PathStatus.OK, Path(found))
    top = os.path.normcase(real_root(os.fspath(root)))
    found = os.path.realpath(os.path.join(root, posix))
    inside = top if top.endswith(os.sep) else top + os.sep
    if os.path.normcase(found) != top and not os.path.normcase(found).startswith(inside):
        return Resolved(posix, PathStatus.OUTSIDE, reason="symlink to a place outside the folder")
    real = Path(found)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return Resolved(posix, PathStatus.MISSING, real)
    except OSError as exc:  # a symlink loop, a folder we may not enter, a name too long
        return Resolved(posix, PathStatus.UNREACHABLE, real, reason=exc.strerror or str(exc))
    if not stat.S_ISREG(st.st_mode):
        return Resolved(posix, PathStatus.NOT_FILE, real, reason="not a regular file")
    return Resolved(posix, PathStatus.OK, real)


def real_root(root: str) -> str:
    """A course folder's real path, worked out once per folder (as long as the same folder is
    at that path) rather than once per lesson."""
    try:
        st = os.stat(root)
    except (OSError, ValueError):
        return os.path.realpath(root)
    real = _real_path(root, st.st_dev, st.st_ino)
    try:  # still the folder's path? (a folder moved since, or a relative root after a chdir)
        again = os.stat(real)
        if (again.st_dev, again.st_ino) == (st.st_dev, st.st_ino):
            return real
    except (OSError, ValueError):
        pass
    _real_path.cache_clear()
    return _real_path(root, st.st_dev, st.st_ino)


@functools.lru_cache(maxsize=256)
def _real_path(root: str, device: int, inode: int) -> str:
    return os.path.realpath(root)


def _below_root(root: Path, posix: str) -> tuple[str, os.stat_result] | None:
    """The real path of ``posix`` under ``root`` and the ``lstat`` of its last name, when no name
    on the way is a symlink (the usual case: one ``lstat`` per name below the course folder
    instead of :func:`os.path.realpath` over the whole path); ``None`` otherwise, and the
    caller resolves the slow way (symlinks, missing names, odd errors)."""
    current = real_root(os.fspath(root))
    st: os.stat_result | None = None
    for name in posix.split("/"):
        if name in ("", "."):
            continue
        current = os.path.join(current, name)
        try:
            st = os.lstat(current)
        except (OSError, ValueError):
            return None
        # Windows' lstat calls a junction (a reparse point) a directory, not a link: any
        # reparse point is left to realpath, which follows it
        if stat.S_ISLNK(st.st_mode) or getattr(st, "st_reparse_tag", False):
            return None
    return None if st is None else (current, st)


Listings = dict[Path, list[str]]


def resolve_listed(root: Path, written: str, listings: Listings | None = None) -> Resolved:
    """:func:`resolve_inside`, with each name compared to its folder's listing.

    A path that names a file only when case is ignored resolves to that file, with ``on_disk``
    set: the same on every OS, whether its disks tell case apart or not (Windows and macOS do
    not; the platforms' servers do). ``listings`` caches folder listings across calls.
    """
    found = resolve_inside(root, written)
    if found.status not in (PathStatus.OK, PathStatus.MISSING):
        return found
    parts = [p for p in found.written.split("/") if p not in ("", ".")]
    spelt = disk_spelling(root, parts, {} if listings is None else listings)
    if spelt is None or spelt == "/".join(parts):
        return found
    again = resolve_inside(root, spelt)
    return replace(again, written=found.written, on_disk=spelt)


def disk_spelling(root: Path, parts: list[str], listings: Listings) -> str | None:
    """How the path ``parts`` under ``root`` is spelt on disk: each name as listed, else the
    first listed name equal to it apart from case; ``None`` when a name matches nothing."""
    folder, spelt = root, []
    for part in parts:
        names = listings.get(folder)
        if names is None:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                return None
            listings[folder] = names
        if part not in names:
            folded = [n for n in names if n.casefold() == part.casefold()]
            if not folded:
                return None
            part = folded[0]
        spelt.append(part)
        folder = folder / part
    return "/".join(spelt)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file or folder a walk could not look at (``path`` as given), and why."""

    path: Path
    reason: str


def why(exc: OSError) -> str:
    """An OS error as a short reason: ``Permission denied``, ``File name too long``, …"""
    return exc.strerror or type(exc).__name__


def walk(root: Path, skipped: list[Skipped]) -> Iterator[tuple[Path, list[str], list[str]]]:
    """``os.walk(root)`` top-down, without following symlinks, but with an explicit stack (a tree
    a thousand folders deep does not exhaust Python's recursion limit) and without raising:
    a folder that cannot be listed, or an entry whose type cannot be read, goes to ``skipped``.

    Yields ``(folder, sub-folder names, regular-file names)``; remove names from the sub-folder
    list to prune. Symlinks are neither files nor folders here.
    """
    stack = [root]
    while stack:
        folder = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            dirs.append(entry.name)
                        elif entry.is_file(follow_symlinks=False):
                            files.append(entry.name)
                    except OSError as exc:
                        skipped.append(Skipped(folder / entry.name, why(exc)))
        except OSError as exc:
            skipped.append(Skipped(folder, why(exc)))
            continue
        yield folder, dirs, files
        stack.extend(folder / name for name in sorted(dirs, reverse=True))


def walk_files(root: Path, skipped: list[Skipped] | None = None) -> list[str]:
    """Every regular file under ``root`` as a sorted POSIX path relative to it.

    Hidden folders (``.git``) and symlinked folders are skipped; nothing is opened. A name
    that is not UTF-8 keeps its surrogate escapes; each reporter decides how to show it. What
    could not be looked at goes to ``skipped`` (see :func:`walk`).
    """
    found: list[str] = []
    for folder, dirs, files in walk(root, [] if skipped is None else skipped):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend((folder / name).relative_to(root).as_posix() for name in files)
    return sorted(found)

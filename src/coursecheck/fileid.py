"""Who a file is, for the caches: enough to tell a changed file from an unchanged one cheaply.

A :class:`FileId` holds the real path, size, ``mtime_ns``, ``ctime_ns``, device and inode, and a
fingerprint of the content: a CRC-32 of the first and the last 16 KiB and, in an MP4 whose
``moov`` box (the sample tables) lies outside both, of the first 16 KiB of that box too. Tools
that restore an mtime (``tar -x``, ``rsync -a``, ``cp -p``) cannot restore the ctime, which the
kernel sets on every change and user space cannot set back; the fingerprint also catches a swap
on file systems whose ctime or inode numbers mean little (FAT and exFAT memory sticks; on Windows
``st_ctime_ns`` is the creation time). It reads at most 48 KiB: the CRC of 64 KiB windows was
a third of a cache hit, and any edit or re-encode changes the file's header or its sample
tables, which the windows hold.

The file is opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked with ``fstat`` on the open
handle, so a FIFO, a device or a symlink swapped in at the last moment is never read or waited on.
"""

from __future__ import annotations

import os
import stat
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WINDOW = 16 * 1024
MAX_BOXES = 16  # top-level MP4 boxes looked at to find moov; real files have 3 to 6
OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
              | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))


@dataclass(frozen=True, slots=True)
class FileId:
    """A regular file as it is now: where, how big, when changed, and a content fingerprint."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    device: int
    inode: int
    fingerprint: str

    def as_key(self) -> dict[str, Any]:
        """The identity as JSON values, to be part of a cache key (written out: ``asdict``
        copies recursively and cost a tenth of a cache hit)."""
        return {"path": self.path, "size": self.size, "mtime_ns": self.mtime_ns,
                "ctime_ns": self.ctime_ns, "device": self.device, "inode": self.inode,
                "fingerprint": self.fingerprint}


def identify(path: Path) -> FileId | None:
    """The identity of ``path``, or ``None`` when it is not a regular file we may read."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None
        fingerprint = _fingerprint(fd, st.st_size)
    except OSError:
        return None
    finally:
        os.close(fd)
    return FileId(os.fsdecode(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev,
                  st.st_ino, fingerprint)


def unchanged(before: FileId) -> bool:
    """Whether the file at ``before.path`` still has the same stat fields (not re-read)."""
    try:
        st = os.stat(before.path, follow_symlinks=False)
    except (OSError, ValueError):
        return False
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_dev, st.st_ino) == (
        before.size, before.mtime_ns, before.ctime_ns, before.device, before.inode)


def _read_at(fd: int, offset: int, size: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows has no pread
    return os.read(fd, size)


def _fingerprint(fd: int, size: int) -> str:
    head = _read_at(fd, 0, WINDOW)
    crc = zlib.crc32(head)
    tail_start = max(size - WINDOW, len(head))
    if tail_start < size:
        crc = zlib.crc32(_read_at(fd, tail_start, size - tail_start), crc)
    moov = _moov_offset(fd, head, size)
    if moov is not None and len(head) <= moov < tail_start:
        crc = zlib.crc32(_read_at(fd, moov, min(WINDOW, tail_start - moov)), crc)
    return f"{crc:08x}"


def _moov_offset(fd: int, head: bytes, size: int) -> int | None:
    """Where the top-level ``moov`` box starts, if the file is laid out as MP4 boxes."""
    offset = 0
    for _ in range(MAX_BOXES):
        if offset + 8 > size:
            return None
        header = (head[offset:offset + 16] if offset + 16 <= len(head)
                  else _read_at(fd, offset, 16))
        if len(header) < 8:
            return None
        length, kind = struct.unpack(">I4s", header[:8])
        if kind == b"moov":
            return offset
        if length == 1 and len(header) >= 16:
            length = struct.unpack(">Q", header[8:16])[0]
        if length < 8:  # 0 means "to the end of the file"; below 8 is not a box
            return None
        offset += length
    return None

"""Whether an MXF file keeps all its media inside itself.

MediaInfo opens the files an MXF file points to: an OP-Atom file (one track per file, as Avid and
P2 cameras write them) describes a clip made of several files, and a ``NetworkLocator`` in the
header metadata names another file by URL. Either way MediaInfo would read outside the course
folder, so such a file is refused like an MP4 with an external data reference. A self-contained
OP1a file (what ffmpeg, broadcast cameras and most editors write) is read normally.
"""

from __future__ import annotations

from typing import BinaryIO

MXF_PARTITION = b"\x06\x0e\x2b\x34\x02\x05\x01\x01\x0d\x01\x02\x01\x01\x02"  # header partition
UL = b"\x06\x0e\x2b\x34"  # every SMPTE universal label starts so
NETWORK_LOCATOR = b"\x06\x0e\x2b\x34\x02\x53\x01\x01\x0d\x01\x01\x01\x01\x01\x32\x00"
LOCATOR_TAIL = NETWORK_LOCATOR[8:]
OP_ATOM = 0x10  # byte 12 of the operational pattern label
_OP_OFFSET = 64  # of the operational pattern, from the start of the partition pack's value
_MAX_HEADER = 8 << 20  # header metadata read at most


def mxf_refers_elsewhere(handle: BinaryIO) -> bool:
    """Whether the MXF file in ``handle`` is OP-Atom or names another file; an unreadable
    header is left to MediaInfo (it reads only this file then)."""
    handle.seek(16)
    length, size_bytes = _ber(handle.read(9))
    if length is None or length < _OP_OFFSET + 16:
        return False
    value_start = 16 + size_bytes
    handle.seek(value_start)
    pack = handle.read(_OP_OFFSET + 16)
    if len(pack) < _OP_OFFSET + 16:
        return False
    pattern = pack[_OP_OFFSET:_OP_OFFSET + 16]
    if pattern[:4] == UL and pattern[8:12] == b"\x0d\x01\x02\x01" and pattern[12] == OP_ATOM:
        return True
    header_bytes = int.from_bytes(pack[32:40], "big")
    handle.seek(value_start + length)
    return _names_a_locator(handle.read(min(header_bytes or _MAX_HEADER, _MAX_HEADER)))


def _names_a_locator(metadata: bytes) -> bool:
    """Whether a NetworkLocator set (any key version) is in the header metadata."""
    at = metadata.find(LOCATOR_TAIL)
    while at != -1:
        if at >= 8 and metadata[at - 8:at - 4] == UL:
            return True
        at = metadata.find(LOCATOR_TAIL, at + 1)
    return False


def _ber(data: bytes) -> tuple[int | None, int]:
    """A BER length at the start of ``data`` and how many bytes it took."""
    if not data:
        return None, 0
    first = data[0]
    if first < 0x80:
        return first, 1
    count = first & 0x7F
    if count == 0 or count > 8 or len(data) < 1 + count:
        return None, 0
    return int.from_bytes(data[1:1 + count], "big"), 1 + count

"""The frame timing of the first video track of a Matroska/WebM file, from its block times.

MediaInfo's Matroska frame-rate mode depends on how much it reads: at parse speed 0 a constant
29.97 fps file (frame times rounded to Matroska's 1 ms) is "variable", and at higher speeds a file
whose frame times really vary is "constant". So the first few hundred block times of the video
track are read here and judged by :func:`coursecheck.tstiming.judge`, which allows for rounding.
"""

from __future__ import annotations

from typing import BinaryIO

from coursecheck.tstiming import StreamTiming, judge

SEGMENT, CLUSTER, TRACKS, ENTRY, GROUP = 0x18538067, 0x1F43B675, 0x1654AE6B, 0xAE, 0xA0
DESCEND = {SEGMENT, CLUSTER, TRACKS, ENTRY, GROUP}
INFO, SCALE, TIMESTAMP, NUMBER, TYPE = 0x1549A966, 0x2AD7B1, 0xE7, 0xD7, 0x83
BLOCKS = {0xA3, 0xA1}  # SimpleBlock, Block
_PICTURES = 240
_MAX_BYTES = 8 << 20
_MAX_ELEMENTS = 200_000


def mkv_timing(handle: BinaryIO) -> StreamTiming | None:
    """Timing of the first video track, or ``None`` when too little could be read."""
    handle.seek(0)
    data = handle.read(_MAX_BYTES)
    scale, cluster, pos = 1_000_000, 0, 0
    tracks: list[dict[int, int]] = []
    stamps: list[float] = []
    for _ in range(_MAX_ELEMENTS):
        if pos >= len(data) or len(stamps) >= _PICTURES:
            break
        element, pos = _vint(data, pos, keep_marker=True)
        size, pos = _vint(data, pos)
        if element is None or size is None:
            break
        if element in DESCEND:
            if element == ENTRY:
                tracks.append({})
            continue  # read the children next
        body = data[pos:pos + size]
        if element == INFO:
            scale = _find_uint(body, SCALE) or scale
        elif element == TIMESTAMP:
            cluster = int.from_bytes(body, "big")
        elif element in (NUMBER, TYPE) and tracks:
            tracks[-1][element] = int.from_bytes(body, "big")
        elif element in BLOCKS:
            video = next((t.get(NUMBER) for t in tracks if t.get(TYPE) == 1), None)
            number, at = _vint(body, 0)
            if video is not None and number == video and at + 2 <= len(body):
                relative = int.from_bytes(body[at:at + 2], "big", signed=True)
                stamps.append((cluster + relative) * scale / 1e9)
        pos += size
    return judge(stamps)


def _vint(data: bytes, pos: int, keep_marker: bool = False) -> tuple[int | None, int]:
    """An EBML variable-length integer at ``pos`` (an element ID keeps its length marker)."""
    if pos >= len(data) or data[pos] == 0:
        return None, pos
    first = data[pos]
    length = 8 - first.bit_length() + 1
    if pos + length > len(data):
        return None, pos
    raw = int.from_bytes(data[pos:pos + length], "big")
    if keep_marker:
        return raw, pos + length
    value = raw & ((1 << (7 * length)) - 1)
    if value == (1 << (7 * length)) - 1:
        value = 0  # unknown size: a master element whose children follow
    return value, pos + length


def _find_uint(body: bytes, wanted: int) -> int | None:
    pos = 0
    while pos < len(body):
        element, pos = _vint(body, pos, keep_marker=True)
        size, pos = _vint(body, pos)
        if element is None or size is None:
            return None
        if element == wanted:
            return int.from_bytes(body[pos:pos + size], "big")
        pos += size
    return None

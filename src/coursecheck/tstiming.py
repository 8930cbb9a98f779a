"""The frame timing of the first video stream in an MPEG transport stream, from its timestamps.

MediaInfo reads an MPEG-TS video's frame-rate mode from the H.264 header's ``fixed_frame_rate``
flag, which most encoders leave unset, so a constant 29.97 fps broadcast file is called variable.
Here the presentation timestamps (PTS, 90 kHz) of the first few hundred pictures are read: when
every interval, in presentation order, is the same within rounding, the stream is constant rate.
:func:`judge` is shared with :mod:`coursecheck.mkvtiming`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import BinaryIO

CLOCK = 90_000
TOLERANCE = 0.0011  # seconds: Matroska-style 1 ms rounding and a tick or two of jitter
COMMON_RATES = (24000 / 1001, 24.0, 25.0, 30000 / 1001, 30.0, 50.0, 60000 / 1001, 60.0)
_PICTURES = 240
_MAX_BYTES = 8 << 20


@dataclass(frozen=True, slots=True)
class StreamTiming:
    """``frame_rate`` from the mean interval; ``constant`` if every interval is within
    :data:`TOLERANCE` of it."""

    frame_rate: float
    constant: bool


def ts_timing(handle: BinaryIO) -> StreamTiming | None:
    """Timing from the PES headers of the first video stream (stream IDs 0xE0–0xEF), or
    ``None`` when too few timestamps were found to say."""
    handle.seek(0)
    data = handle.read(_MAX_BYTES)
    size = 192 if data[4:5] == b"\x47" and data[:1] != b"\x47" else 188
    skip = size - 188
    stamps: list[int] = []
    video_pid: int | None = None
    for at in range(skip, len(data) - 187, size):
        packet = data[at:at + 188]
        if packet[0] != 0x47 or not packet[1] & 0x40:  # not in sync, or no PES starts here
            continue
        pid = (packet[1] & 0x1F) << 8 | packet[2]
        if video_pid is not None and pid != video_pid:
            continue
        pts = _pts(packet)
        if pts is not None:
            video_pid = pid
            stamps.append(pts)
            if len(stamps) >= _PICTURES:
                break
    return judge([stamp / CLOCK for stamp in stamps])


def _pts(packet: bytes) -> int | None:
    """The PTS of a video PES that starts in this packet."""
    start = 4
    if packet[3] & 0x20:  # adaptation field
        start += 1 + packet[4]
    pes = packet[start:start + 14]
    if len(pes) < 14 or pes[:3] != b"\x00\x00\x01" or not 0xE0 <= pes[3] <= 0xEF:
        return None
    if not pes[7] & 0x80:
        return None
    p = pes[9:14]
    return ((p[0] >> 1) & 7) << 30 | p[1] << 22 | (p[2] >> 1) << 15 | p[3] << 7 | p[4] >> 1


def judge(stamps: list[float]) -> StreamTiming | None:
    """Timing from presentation times in seconds (any order), or ``None`` for too few."""
    ordered = sorted(set(stamps))
    if len(ordered) < 8:
        return None
    mean = (ordered[-1] - ordered[0]) / (len(ordered) - 1)
    if mean <= 0:
        return None
    steps = (b - a for a, b in itertools.pairwise(ordered))
    rate = 1 / mean
    rate = next((r for r in COMMON_RATES if abs(rate - r) / r < 0.002), rate)
    return StreamTiming(rate, all(abs(step - mean) <= TOLERANCE for step in steps))

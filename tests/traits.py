"""Files with traits ffmpeg will not write on its own, made by editing ffmpeg's output bytes.

- :func:`lying_audio_mp4`: an audio-only MP4 whose headers (mvhd, tkhd, mdhd) claim 47 hours
  while its sample tables are empty: not one audio packet.
- :func:`trackless_mp4`: an MP4 whose every ``trak`` box is renamed ``free``: no track at all.
- :func:`tagless_mkv`: a Matroska file whose ``Tracks`` element has an unknown ID, so only its
  tags and clusters of an undeclared track remain.
- :func:`tiny_gif`: a one-frame 1×1 GIF (ffmpeg makes this one directly).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

from coursecheck.synth import run_quiet

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"udta"}
HOURS_47_MS = 47 * 3600 * 1000


def boxes(data: bytes | bytearray, start: int = 0, end: int | None = None
          ) -> Iterator[tuple[bytes, int, int]]:
    """``(type, offset, size)`` of every box from ``start`` to ``end``, depth first."""
    end = len(data) if end is None else end
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[at + 8:at + 16])[0], 16
        elif size == 0:
            size = end - at
        if size < header:
            return
        yield kind, at, size
        if kind in CONTAINERS:
            yield from boxes(data, at + header, at + size)
        at += size


def _audio(out: Path, seconds: float = 1.0) -> bytearray:
    run_quiet(["-y", "-f", "lavfi", "-i", f"sine=d={seconds}:sample_rate=48000", "-c:a", "aac",
               "-movflags", "+faststart", "-f", "mp4", str(out)])
    return bytearray(out.read_bytes())


def lying_audio_mp4(out: Path) -> Path:
    """An .m4a whose header says 47 h of AAC and whose sample tables hold no sample."""
    data = _audio(out)
    for kind, at, _ in list(boxes(data)):
        version = data[at + 8]
        if kind in (b"mvhd", b"mdhd"):  # timescale and duration, set to ms and 47 h
            if version == 0:
                struct.pack_into(">II", data, at + 20, 1000, HOURS_47_MS)
            else:
                struct.pack_into(">IQ", data, at + 28, 1000, HOURS_47_MS)
        elif kind == b"tkhd":
            if version == 0:
                struct.pack_into(">I", data, at + 28, HOURS_47_MS)
            else:
                struct.pack_into(">Q", data, at + 36, HOURS_47_MS)
        elif kind in (b"stts", b"stsc", b"stco", b"co64", b"ctts", b"stss"):
            struct.pack_into(">I", data, at + 12, 0)  # entry_count
        elif kind == b"stsz":
            struct.pack_into(">II", data, at + 12, 0, 0)  # sample_size, sample_count
    out.write_bytes(bytes(data))
    return out


def trackless_mp4(out: Path) -> Path:
    """An MP4 with a movie header and media data, but no track."""
    data = _audio(out)
    for kind, at, _ in list(boxes(data)):
        if kind == b"trak":
            data[at + 4:at + 8] = b"free"
    out.write_bytes(bytes(data))
    return out


def tagless_mkv(out: Path) -> Path:
    """A Matroska file with tags and clusters but no declared track."""
    run_quiet(["-y", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-metadata",
               "title=only tags", "-f", "matroska", str(out)])
    data = out.read_bytes()
    tracks = b"\x16\x54\xae\x6b"
    assert tracks in data
    # the element and its SeekHead entry get an ID no reader knows
    out.write_bytes(data.replace(tracks, b"\x16\x54\xae\x6c"))
    return out


def tiny_gif(out: Path) -> Path:
    """A 1×1, one-frame GIF."""
    run_quiet(["-y", "-f", "lavfi", "-i", "color=c=red:s=1x1:d=0.04", "-frames:v", "1",
               "-f", "gif", str(out)])
    return out

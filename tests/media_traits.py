"""Media with one trait each, made by ffmpeg at test time and byte-edited where ffmpeg cannot
make the trait (issue 10 §2). Each file is a second or two long and made once per session."""

from __future__ import annotations

import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

from coursecheck.synth import ffmpeg_exe

TONE = ["-f", "lavfi", "-i", "sine=f=440:d=2:r=48000"]
BARS = ["-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=2"]
NTSC = ["-f", "lavfi", "-i", "testsrc=s=320x180:r=30000/1001:d=2"]
H264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]


def ffmpeg(out: Path, *args: str) -> Path:
    """Run ffmpeg (bounded in time) to write ``out``."""
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-nostdin", *args, str(out)],
                   check=True, timeout=60, capture_output=True)
    return out


def box(data: bytes | bytearray, *path: bytes) -> int:
    """The offset of the MP4 box at ``path`` (each a four-letter type), searched from the top."""
    start, end = 0, len(data)
    for kind in path:
        offset = start
        while offset + 8 <= end:
            size = struct.unpack(">I", data[offset:offset + 4])[0]
            if data[offset + 4:offset + 8] == kind:
                break
            offset += max(size, 8)
        else:
            raise LookupError(kind)
        start, end = offset + 8, offset + size
    return start - 8


STBL = (b"moov", b"trak", b"mdia", b"minf", b"stbl")


def no_tracks_mp4(good: Path, out: Path) -> Path:
    """An MP4 whose track boxes were renamed ``free``: a valid file with no tracks."""
    out.write_bytes(good.read_bytes().replace(b"trak", b"free"))
    return out


def no_tracks_mkv(good: Path, out: Path) -> Path:
    """A Matroska file whose Tracks element ID is changed to one no reader knows."""
    out.write_bytes(good.read_bytes().replace(b"\x16\x54\xae\x6b", b"\x16\x54\xae\x6c"))
    return out


def empty_tables_m4a(good: Path, out: Path) -> Path:
    """An m4a whose header claims 47 hours while its sample tables hold no packet."""
    data = bytearray(good.read_bytes())
    mvhd = box(data, b"moov", b"mvhd")
    scale = struct.unpack(">I", data[mvhd + 20:mvhd + 24])[0]
    struct.pack_into(">I", data, mvhd + 24, min(scale * 3600 * 47, 0xFFFFFFFF))
    for name, field in ((b"stsz", 16), (b"stts", 12), (b"stco", 12), (b"stsc", 12)):
        struct.pack_into(">I", data, box(data, *STBL, name) + field, 0)
    out.write_bytes(data)
    return out


def lying_duration_ogg(good: Path, out: Path) -> Path:
    """An Ogg Vorbis file whose last page claims a position 47 hours in: 2 s of packets under
    a header that promises hours (the page checksum is left stale; readers do not check it)."""
    data = bytearray(good.read_bytes())
    struct.pack_into("<q", data, data.rfind(b"OggS") + 6, 48_000 * 3600 * 47)
    out.write_bytes(data)
    return out


def tag_only_mp3(with_cover: Path, out: Path) -> Path:
    """The ID3 tag (with its cover picture) of an MP3, and no audio frame."""
    data = with_cover.read_bytes()
    size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
    out.write_bytes(data[:10 + size])
    return out


def cut_ogg(good: Path, out: Path) -> Path:
    """An Ogg Vorbis file cut after its header pages, before any audio page."""
    data = good.read_bytes()
    offset = 0
    for _ in range(2):  # identification page, then comment and setup headers
        segments = data[offset + 27:offset + 27 + data[offset + 26]]
        offset += 27 + len(segments) + sum(segments)
    out.write_bytes(data[:offset])
    return out


def op_atom_mxf(good: Path, out: Path) -> Path:
    """An OP1a MXF file relabelled OP-Atom (a clip whose tracks live in other files)."""
    data = bytearray(good.read_bytes())
    length = data[16]
    value = 17 + (length & 0x7F) if length & 0x80 else 17
    assert data[value + 64:value + 68] == b"\x06\x0e\x2b\x34"
    data[value + 64 + 12] = 0x10
    out.write_bytes(data)
    return out


def head(source: Path, out: Path, size: int) -> Path:
    """The first ``size`` bytes of ``source``."""
    out.write_bytes(source.read_bytes()[:size])
    return out


Maker = Callable[[Path], Path]

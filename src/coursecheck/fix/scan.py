"""What a lesson really holds, before ``fix`` encodes it: packets, not the header's word.

A header can claim 47 hours of AAC and hold no audio packet at all; an MP4 or MKV can hold no
track; a GIF can be one 1×1 frame that MediaInfo does not call video. Encoding such a file either
fails or, with a still picture looped over "the audio", never ends. So every file ``fix`` will
encode is first demuxed once, without decoding (``-c copy -f framecrc``, a few hundred MB/s), and
:func:`parse_framecrc` counts the packets of its first video and first audio stream and where the
last one ends. The scan itself is bounded like every child (:mod:`coursecheck.proc`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from coursecheck.proc import MiB, popen_bounded

SCAN_MEMORY = 1024 * MiB
SCAN_BYTES_PER_S = 5 * MiB  # the slowest demux speed the time limit allows for


@dataclass(frozen=True, slots=True)
class Track:
    """One stream as demuxed: how many packets, and its span in seconds."""

    packets: int = 0
    start_s: float = 0.0
    end_s: float = 0.0

    @property
    def duration_s(self) -> float:
        """From the stream's first timestamp (or 0, when it starts early) to its end."""
        return max(self.end_s - max(self.start_s, 0.0), 0.0)


@dataclass(frozen=True, slots=True)
class Scan:
    """A lesson's real content; ``error`` is set when ffmpeg could not demux it at all."""

    video: Track = Track()
    audio: Track = Track()
    error: str = ""
    limit: str | None = None


def parse_framecrc(lines: Iterable[str]) -> tuple[Track, Track]:
    """``(video, audio)`` from ``framecrc`` output (the first stream of each kind)."""
    bases: dict[int, Fraction] = {}
    kinds: dict[int, str] = {}
    stats: dict[int, list[float]] = {}  # packets, start, end
    for line in lines:
        if line.startswith("#tb "):
            index, _, value = line[4:].partition(":")
            num, _, den = value.strip().partition("/")
            try:
                bases[int(index)] = Fraction(int(num), int(den))
            except (ValueError, ZeroDivisionError):
                continue
        elif line.startswith("#media_type "):
            index, _, value = line[12:].partition(":")
            if index.strip().isdigit():
                kinds.setdefault(int(index), value.strip())
        elif line and not line.startswith("#"):
            _count(line, bases, stats)
    tracks = {"video": Track(), "audio": Track()}
    for number, kind in sorted(kinds.items()):
        if kind in tracks and not tracks[kind].packets and number in stats:
            packets, start, end = stats[number]
            tracks[kind] = Track(int(packets), start, end)
    return tracks["video"], tracks["audio"]


def _count(line: str, bases: dict[int, Fraction], stats: dict[int, list[float]]) -> None:
    fields = line.split(",")
    try:
        index, pts, length = int(fields[0]), int(fields[2]), int(fields[3])
    except (ValueError, IndexError):
        return
    base = bases.get(index)
    if base is None or abs(pts) >= 2**62:  # no timestamp
        return
    start, end = float(pts * base), float((pts + max(length, 0)) * base)
    seen = stats.get(index)
    if seen is None:
        stats[index] = [1, start, end]
    else:
        seen[0] += 1
        seen[1], seen[2] = min(seen[1], start), max(seen[2], end)


def scan_command(ffmpeg: str, source: Path) -> list[str]:
    """Demux (no decoding) the first real video and the first audio stream to ``framecrc``."""
    return [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-i", f"file:{source}",
            "-map", "0:V:0?", "-map", "0:a:0?", "-c", "copy", "-f", "framecrc", "pipe:1"]


def scan(ffmpeg: str, source: Path) -> Scan:
    """Demux ``source`` once, bounded in time (from its size) and memory."""
    try:
        size = source.stat().st_size
        proc = popen_bounded(scan_command(ffmpeg, source), timeout_s=60 + size / SCAN_BYTES_PER_S,
                             mem_bytes=SCAN_MEMORY, stderr_cap=64 * 1024)
    except OSError as exc:
        return Scan(error=exc.strerror or str(exc))
    assert proc.stdout is not None
    lines = (raw.decode("ascii", "replace") for raw in proc.stdout)
    try:
        video, audio = parse_framecrc(lines)
    finally:
        proc.stdout.close()
        done = proc.wait()
    if done.killed_by_limit:
        return Scan(video, audio, done.last_lines(), done.limit)
    if done.returncode != 0 and not (video.packets or audio.packets):
        return Scan(video, audio, done.last_lines() or f"ffmpeg exit {done.returncode}")
    return Scan(video, audio)

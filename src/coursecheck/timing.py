"""Frame timing MediaInfo cannot give cheaply, read from the file itself and merged into facts.

Two formats need it: a GIF (MediaInfo sees one image, however many it holds: see
:mod:`coursecheck.gif`) and an MPEG transport stream (MediaInfo calls constant-rate H.264 in TS
variable from a header flag: see :mod:`coursecheck.tstiming`), and Matroska (MediaInfo's mode
depends on how much it reads: see :mod:`coursecheck.mkvtiming`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, BinaryIO

from coursecheck.gif import GifTiming, gif_timing
from coursecheck.mkvtiming import mkv_timing
from coursecheck.tstiming import StreamTiming, ts_timing

if TYPE_CHECKING:
    from coursecheck.probe import MediaFacts

Timing = GifTiming | StreamTiming
TIMED_CONTAINERS = ("MPEG-TS", "BDAV", "Matroska", "WebM")


def read_timing(handle: BinaryIO, head: bytes) -> Timing | None:
    """The timing of a GIF, MPEG-TS or Matroska file, by its first bytes; else ``None``."""
    if head.startswith((b"GIF87a", b"GIF89a")):
        return gif_timing(handle)
    if head[:1] == b"\x47" or head[4:5] == b"\x47":
        return ts_timing(handle)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return mkv_timing(handle)
    return None


def with_timing(facts: MediaFacts, timing: Timing | None) -> MediaFacts:
    """``facts`` with the frame rate and mode corrected from ``timing``: an animated GIF is a
    video (in the wrong format), a still one is no lesson; a TS or Matroska video is constant
    rate exactly when its timestamps are evenly spaced (within rounding)."""
    video = facts.video
    if facts.container == "GIF":
        if facts.error or video is None:
            return facts
        if not isinstance(timing, GifTiming) or timing.frames < 2:
            return replace(facts, video=None, error="still")
        return replace(facts, video=replace(
            video, frame_rate=timing.frame_rate, duration_s=timing.seconds or None,
            frame_rate_mode="CFR" if timing.frame_rate else None))
    if isinstance(timing, StreamTiming) and video is not None and (
            facts.container in TIMED_CONTAINERS):
        return replace(facts, video=replace(
            video, frame_rate=video.frame_rate or timing.frame_rate,
            frame_rate_mode="CFR" if timing.constant else "VFR"))
    return facts

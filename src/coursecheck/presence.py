"""Is there any media in this file? Decided from what MediaInfo found in it, not from its header.

A file can parse as a container and still hold nothing to play: an MP4 or Matroska file without
tracks, an MP3 that is only a tag and a cover picture, an Ogg file cut after its headers, or an
MP4 whose header claims 47 hours of audio while its sample tables are empty. Each is a V001, not
a lesson the video rules would judge as if it were media.

Also here: the names messages show for containers and codecs, where MediaInfo's own are file-type
brands ("3g2a", "kddi") or family names ("MPEG Audio").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

MIN_BITS_PER_SECOND = 500  # below any real codec (AMR-NB: 4,750; Speex: 2,150)
_3GPP2 = {"3g2a", "3g2b", "3g2c", "kddi"}
SAMPLE_TABLES = {"MPEG-4", "3GPP", "3GPP2"}  # containers that index every packet


def container_name(fmt: str | None) -> str | None:
    """A container's common name: MediaInfo names 3GPP and 3GPP2 files by their brand."""
    if fmt is None:
        return None
    lowered = fmt.lower()
    if lowered in _3GPP2:
        return "3GPP2"
    if lowered.startswith(("3gp", "3ge", "3gg", "3gs", "3gr")) and len(lowered) == 4:
        return "3GPP"
    return fmt


def codec_name(fmt: str | None, profile: str | None) -> str:
    """An audio codec's common name: MPEG Audio Layer 3 is MP3."""
    if fmt == "MPEG Audio" and profile in ("Layer 3", "Layer 2", "Layer 1"):
        return "MP" + profile[-1]
    return fmt or "unknown"


def video_codec_name(fmt: str | None, version: str | None) -> str:
    """A video codec's common name: MPEG Video version 2 is MPEG-2 Video."""
    if fmt == "MPEG Video" and version in ("Version 1", "Version 2"):
        return f"MPEG-{version[-1]} Video"
    return fmt or "unknown"


def emptiness(container: str, tracks: Sequence[Mapping[str, Any]], file_size: int
              ) -> tuple[str, str] | None:
    """``None`` when some audio or video track holds data; else the V001 variant and its
    detail: ``no_media`` (no track, or no track with any data) or ``hollow`` (the tracks claim
    a duration the file's bytes cannot hold)."""
    by_tables = container in SAMPLE_TABLES
    if not any(_holds_data(track, by_tables) for track in tracks):
        return "no_media", ""
    longest = max((_number(t.get("duration")) or 0.0 for t in tracks), default=0.0) / 1000
    if longest > 0 and file_size * 8 / longest < MIN_BITS_PER_SECOND:
        return "hollow", _hours(longest)
    return None


def _holds_data(track: Mapping[str, Any], by_tables: bool) -> bool:
    """Data is there when MediaInfo counted bytes or frames in it. When it counted neither (Opus,
    some raw streams), a positive duration will do, except in an MP4, whose sample tables give
    every track with packets a size: there the duration is only the header's claim."""
    size, frames = _number(track.get("stream_size")), _number(track.get("frame_count"))
    if size is not None or frames is not None:
        return bool(size) or bool(frames)
    return not by_tables and (_number(track.get("duration")) or 0) > 0


def _number(value: Any) -> float | None:
    try:
        return float(str(value).split()[0]) if value is not None else None
    except (ValueError, IndexError):
        return None


def _hours(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"

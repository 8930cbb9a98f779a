"""MediaInfo → :class:`MediaFacts`. The only module that imports pymediainfo.

Running the library (:func:`run_mediainfo`) is kept apart from reading its output
(:func:`parse_mediainfo`), so the parser is tested on recorded XML and the rules on real files.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coursecheck import mixml
from coursecheck.mp4index import index_problem
from coursecheck.presence import codec_name, container_name, emptiness, video_codec_name
from coursecheck.sniff import BMFF_FIRST, refusal
from coursecheck.timing import read_timing, with_timing

# parse_speed 0 reads the headers and the sample tables only. That is enough for the frame-rate
# mode (from the stts table), IsStreamable (where the moov box sits) and IsTruncated, and it
# keeps a probe in the tens of milliseconds whatever the file's length.
PARSE_SPEED = 0.0
# Raise when the same file would now give other facts (a cached probe from before is then unused).
# 2: more formats read; empty, hollow and still files are V001; TS/Matroska timing; common names.
# 3: MP4 sample tables checked first; a truncated file keeps the tracks MediaInfo saw.
PROBE_REVISION = 3
# MPEG-TS and Matroska have no sample table, and no parse speed makes MediaInfo's frame-rate mode
# right for them (see coursecheck.timing), so their timing is read from their timestamps instead.


@dataclass(frozen=True, slots=True)
class VideoFacts:
    """The first video track, in MediaInfo's terms."""

    format: str
    profile: str | None
    width: int | None
    height: int | None
    rotation: float
    pixel_aspect_ratio: float
    frame_rate: float | None
    frame_rate_mode: str | None
    bit_depth: int | None
    chroma_subsampling: str | None
    scan_type: str | None
    duration_s: float | None


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """Everything the lesson rules need to know about one file.

    ``error`` is set when the file cannot be read as media at all (rule V001): one of ``empty``,
    ``truncated``, ``not_media``, ``not_file``, ``unreadable``, ``external`` (its media lives in
    other files, so it is not probed: see :mod:`coursecheck.sniff`), ``mediainfo_failed``,
    ``too_slow`` or ``too_big`` (reading it hit a worker's CPU or memory limit) or ``worker_died``
    (the worker reading it died twice: an X001 finding, see :mod:`coursecheck.workers`), with
    ``error_detail`` saying more. The other fields are then mostly empty.
    """

    file_size: int
    container: str | None = None
    container_profile: str | None = None
    streamable: bool | None = None
    truncated: bool = False
    encoded_date: dt.date | None = None
    video: VideoFacts | None = None
    video_tracks: int = 0
    audio_formats: tuple[str, ...] = ()
    error: str | None = None
    error_detail: str = ""
    library_version: str | None = None
    audio_duration_s: float | None = None

    @property
    def duration_s(self) -> float | None:
        """How long the lesson lasts: its video track's duration, else (a pure-audio lesson)
        its audio's."""
        if self.video is not None and self.video.duration_s is not None:
            return self.video.duration_s
        return self.audio_duration_s


def library_version() -> str | None:
    """The libmediainfo version pymediainfo loads, or ``None`` when it cannot load one.

    pymediainfo has no public call for this; ``_get_library`` opens a handle, closed here.
    """
    from pymediainfo import MediaInfo

    try:
        lib, handle, version, _ = MediaInfo._get_library()
        lib.MediaInfo_Close(handle)
        lib.MediaInfo_Delete(handle)
        return str(version)
    except Exception:
        return None


def run_mediainfo(path: Path, parse_speed: float = PARSE_SPEED) -> str:
    """MediaInfo's OLDXML report on ``path``, as text.

    A path that is not valid UTF-8 cannot be handed to libmediainfo by name, so that file is
    read through an open handle instead (a little slower, same facts).
    """
    from pymediainfo import MediaInfo

    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        with open(path, "rb") as handle:
            return str(MediaInfo.parse(handle, output="OLDXML", parse_speed=parse_speed))
    return str(MediaInfo.parse(str(path), output="OLDXML", parse_speed=parse_speed))


def probe(path: Path) -> MediaFacts:
    """Probe one regular file; any failure is a :class:`MediaFacts` with ``error`` set."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return MediaFacts(file_size=0, error="unreadable", error_detail=str(exc.strerror))
    if not stat.S_ISREG(st.st_mode):
        return MediaFacts(file_size=0, error="not_file")
    if st.st_size == 0:
        return MediaFacts(file_size=0, error="empty")
    try:
        with open(path, "rb") as handle:
            refused = refusal(handle, st.st_size)
            handle.seek(0)
            head = handle.read(16)
            damaged = (index_problem(handle, st.st_size)
                       if refused is None and head[4:8] in BMFF_FIRST else None)
            timing = read_timing(handle, head) if refused is None and not damaged else None
    except OSError as exc:
        return MediaFacts(st.st_size, error="unreadable", error_detail=str(exc.strerror))
    if damaged and damaged[0] != "truncated":  # never shown to MediaInfo: see mp4index
        return MediaFacts(st.st_size, error=damaged[0], error_detail=damaged[1])
    if refused == "external":
        return MediaFacts(st.st_size, error="external")
    if refused:
        return MediaFacts(st.st_size, error="not_media", error_detail="unrecognised file type")
    try:
        xml = run_mediainfo(path)
    except MemoryError:
        raise  # the worker's memory cap (see coursecheck.workers): V001 too_big, not a failure
    except Exception as exc:
        return MediaFacts(file_size=st.st_size, error="mediainfo_failed", error_detail=str(exc))
    facts = with_timing(parse_mediainfo(xml, file_size=st.st_size), timing)
    if damaged:  # sane tables over too little data: V001, with the tracks MediaInfo saw, so
        # that --deep still decodes what is there and D002 says where it ends
        return replace(facts, error="truncated", error_detail=damaged[1])
    return facts


def parse_mediainfo(xml: str, *, file_size: int) -> MediaFacts:
    """Build :class:`MediaFacts` from MediaInfo's OLDXML output."""
    found = mixml.tracks(xml)
    generals, videos, audios, images = (mixml.of_type(found, kind)
                                        for kind in ("General", "Video", "Audio", "Image"))
    match = re.search(r'<Mediainfo version="([^"]+)"', xml)
    version = match.group(1) if match else None
    general = generals[0] if generals else {}
    container = container_name(_text(general.get("format")))
    truncated = _text(general.get("istruncated")) == "Yes"
    error, detail = None, ""
    if container is None:
        error = "not_media"
    elif truncated:
        error = "truncated"
    elif container != "GIF":  # a GIF's pictures are counted in coursecheck.gif
        error, detail = emptiness(
            container, [*videos, *audios], file_size
        ) or (None, "")
    streamable = _text(general.get("isstreamable"))
    image = images[0] if images else {}
    return MediaFacts(
        file_size=file_size,
        container=container,
        container_profile=_text(general.get("format_profile")),
        streamable=None if streamable is None else streamable == "Yes",
        truncated=truncated,
        encoded_date=_date(general.get("encoded_date")),
        video=_video(videos[0]) if videos else _gif(container, image),
        video_tracks=len(videos),
        audio_formats=tuple(codec_name(_text(a.get("format")), _text(a.get("format_profile")))
                            for a in audios),
        error=error,
        error_detail=detail,
        library_version=version,
        audio_duration_s=_audio_duration(audios, general),
    )


def _audio_duration(tracks: list[dict[str, Any]], general: dict[str, Any]) -> float | None:
    """Seconds of the first audio track, else of the file as a whole; ``None`` without audio."""
    if not tracks:
        return None
    ms = _float(tracks[0].get("duration")) or _float(general.get("duration"))
    return None if ms is None else ms / 1000.0


def _video(d: dict[str, Any]) -> VideoFacts:
    duration = _float(d.get("duration"))
    return VideoFacts(
        format=video_codec_name(_text(d.get("format")), _text(d.get("format_version"))),
        profile=_text(d.get("format_profile")),
        width=_int(d.get("width")),
        height=_int(d.get("height")),
        rotation=_float(d.get("rotation")) or 0.0,
        pixel_aspect_ratio=_float(d.get("pixel_aspect_ratio")) or 1.0,
        frame_rate=_frame_rate(d),
        frame_rate_mode=_text(d.get("frame_rate_mode")),
        bit_depth=_int(d.get("bit_depth")),
        chroma_subsampling=_text(d.get("chroma_subsampling")),
        scan_type=_text(d.get("scan_type")),
        duration_s=None if duration is None else duration / 1000.0,
    )


def _gif(container: str | None, image: dict[str, Any]) -> VideoFacts | None:
    """A GIF as a video whose frame count and rate :func:`with_timing` fills in."""
    if container != "GIF":
        return None
    return VideoFacts(format="GIF", profile=_text(image.get("format_version")),
                      width=_int(image.get("width")), height=_int(image.get("height")),
                      rotation=0.0, pixel_aspect_ratio=1.0, frame_rate=None,
                      frame_rate_mode=None, bit_depth=None, chroma_subsampling=None,
                      scan_type=None, duration_s=None)


def _frame_rate(d: dict[str, Any]) -> float | None:
    num, den = _float(d.get("framerate_num")), _float(d.get("framerate_den"))
    if num and den:
        return num / den
    return _float(d.get("frame_rate"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _float(value: Any) -> float | None:
    try:
        return float(str(value).split()[0]) if value is not None else None
    except (ValueError, IndexError):
        return None


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def _date(value: Any) -> dt.date | None:
    """MediaInfo writes ``2021-05-01 00:00:00 UTC`` (older builds: ``UTC 2021-...``).

    Dates before 1971 are an unset field (the QuickTime or Unix epoch), not a real date.
    """
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", str(value or ""))
    if not match:
        return None
    try:
        date = dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
    return date if date.year > 1970 else None

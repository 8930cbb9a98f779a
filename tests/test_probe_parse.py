"""parse_mediainfo on recorded MediaInfo output: the parser, tested without running MediaInfo.

The XML files in tests/data/mediainfo were written by tests/data/mediainfo/record.py from clips
made by coursecheck.synth (MediaInfo 24.12). Each test names the clip it reads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coursecheck.probe import MediaFacts, _date, parse_mediainfo
from coursecheck.rules.video import displayed_size

DATA = Path(__file__).parent / "data" / "mediainfo"
SIZE = 123_456  # parse_mediainfo does not read the size from the XML; it passes it through


def recorded(name: str) -> str:
    """The recorded OLDXML report of one clip."""
    return (DATA / f"{name}.xml").read_text(encoding="utf-8")


def parsed(name: str) -> MediaFacts:
    """The recorded report of one clip, parsed."""
    return parse_mediainfo(recorded(name), file_size=SIZE)


def test_good_clip_parses_to_every_field() -> None:
    facts = parsed("good")
    assert facts.file_size == SIZE
    assert facts.error is None
    assert facts.container == "MPEG-4"
    assert facts.container_profile == "Base Media"
    assert facts.streamable is True
    assert facts.truncated is False
    assert facts.encoded_date is None  # ffmpeg -fflags +bitexact writes no creation time
    assert facts.video_tracks == 1
    assert facts.audio_formats == ("AAC",)
    assert facts.library_version == "24.12"
    video = facts.video
    assert video is not None
    assert video.format == "AVC"
    assert video.profile == "Constrained Baseline@L3.1"
    assert (video.width, video.height) == (1280, 720)
    assert video.rotation == 0.0
    assert video.pixel_aspect_ratio == 1.0
    assert video.frame_rate == 25.0
    assert video.bit_depth == 8
    assert video.chroma_subsampling == "4:2:0"
    assert video.scan_type == "Progressive"
    assert video.duration_s == pytest.approx(1.0)


def test_cfr_clip_reads_frame_rate_mode_not_the_original_mode() -> None:
    # MediaInfo also writes <FrameRate_Mode_Original>VFR</...> for this constant-rate clip (and
    # for every ffmpeg-made MP4 recorded here); the parser must read Frame_rate_mode only.
    xml = recorded("good")
    assert "<FrameRate_Mode_Original>VFR</FrameRate_Mode_Original>" in xml
    video = parsed("good").video
    assert video is not None
    assert video.frame_rate_mode == "CFR"


def test_vfr_clip_is_vfr_with_its_mean_frame_rate() -> None:
    video = parsed("vfr").video
    assert video is not None
    assert video.frame_rate_mode == "VFR"
    # no FrameRate_Num/Den for VFR: the mean rate (25 frames over 1.56 s) comes from Frame_rate
    assert video.frame_rate == pytest.approx(16.026)
    assert video.duration_s == pytest.approx(1.56)


def test_mov_clip_is_mpeg4_with_quicktime_profile() -> None:
    facts = parsed("mov")
    assert (facts.container, facts.container_profile) == ("MPEG-4", "QuickTime")
    assert facts.error is None


def test_matroska_renamed_to_mp4_is_still_matroska() -> None:
    facts = parsed("matroska_renamed")
    assert facts.container == "Matroska"
    assert facts.container_profile is None
    assert facts.error is None
    video = facts.video
    assert video is not None
    assert video.format == "AVC"
    assert video.rotation == 0.0  # Matroska has no Rotation field: the default applies
    assert video.duration_s == pytest.approx(1.0)  # written as "1000.000000" ms
    assert facts.audio_formats == ("AAC",)


def test_truncated_clip_is_flagged_truncated() -> None:
    assert "<IsTruncated>Yes</IsTruncated>" in recorded("truncated")
    facts = parsed("truncated")
    assert facts.truncated is True
    assert facts.error == "truncated"
    assert facts.container == "MPEG-4"  # the headers are intact: only the media data is cut


def test_audio_only_clip_has_no_video() -> None:
    facts = parsed("audio_only")
    assert facts.error is None
    assert facts.video is None
    assert facts.video_tracks == 0
    assert facts.audio_formats == ("AAC",)
    assert facts.container == "MPEG-4"


def test_rotated_clip_reports_rotation_and_displays_portrait() -> None:
    video = parsed("rotated").video
    assert video is not None
    # ffmpeg's display_rotation=90 is counter-clockwise; MediaInfo reports it as 270 (clockwise)
    assert video.rotation == 270.0
    assert (video.width, video.height) == (1280, 720)
    assert displayed_size(video) == (720, 1280)


def test_anamorphic_clip_has_non_square_pixels() -> None:
    video = parsed("anamorphic").video
    assert video is not None
    assert video.pixel_aspect_ratio == pytest.approx(4 / 3, abs=0.001)
    assert displayed_size(video) == (1706, 720)


def test_interlaced_clip_is_mbaff() -> None:
    video = parsed("interlaced").video
    assert video is not None
    assert video.scan_type == "MBAFF"


def test_old_creation_time_is_the_encoded_date() -> None:
    assert parsed("old_date").encoded_date == dt.date(2021, 5, 1)


def test_clip_without_faststart_is_not_streamable() -> None:
    facts = parsed("no_faststart")
    assert facts.streamable is False
    assert facts.error is None


def test_high10_clip_is_10_bit() -> None:
    video = parsed("high10").video
    assert video is not None
    assert video.bit_depth == 10
    assert video.profile == "High 10@L3.1"


def test_mpeg_audio_layer_3_is_called_mp3() -> None:
    assert parsed("mp3").audio_formats == ("MP3",)


def test_text_file_is_not_media() -> None:
    facts = parsed("not_media")
    assert facts.error == "not_media"
    assert facts.container is None
    assert facts.video is None
    assert facts.audio_formats == ()
    assert facts.library_version == "24.12"


def test_missing_is_streamable_is_unknown_not_false() -> None:
    xml = recorded("good").replace("<IsStreamable>Yes</IsStreamable>\n", "")
    assert parse_mediainfo(xml, file_size=SIZE).streamable is None


def test_library_version_comes_from_the_xml_header() -> None:
    xml = recorded("good")
    assert parse_mediainfo(xml.replace('version="24.12"', 'version="23.04"'),
                           file_size=SIZE).library_version == "23.04"
    assert parse_mediainfo(xml.replace(' version="24.12"', ""),
                           file_size=SIZE).library_version is None


def test_older_utc_first_date_format_is_parsed() -> None:
    xml = recorded("old_date").replace("2021-05-01 00:00:00 UTC", "UTC 2021-05-01 00:00:00")
    assert parse_mediainfo(xml, file_size=SIZE).encoded_date == dt.date(2021, 5, 1)


@pytest.mark.parametrize(("value", "expected"), [
    ("2021-05-01 00:00:00 UTC", dt.date(2021, 5, 1)),
    ("UTC 2021-05-01 00:00:00", dt.date(2021, 5, 1)),
    ("2023-11-30", dt.date(2023, 11, 30)),
    ("1971-01-01 00:00:00 UTC", dt.date(1971, 1, 1)),
    ("1904-01-01 00:00:00 UTC", None),
    ("1970-01-01 00:00:00 UTC", None),
    ("2021-13-01 00:00:00 UTC", None),
    ("2021-02-30 00:00:00 UTC", None),
    ("yesterday", None),
    ("", None),
    (None, None),
])
def test_date(value: str | None, expected: dt.date | None) -> None:
    assert _date(value) == expected

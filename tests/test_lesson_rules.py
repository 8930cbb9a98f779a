"""Lesson-video rules V001–V206: each fires, and does not fire, on real files made by ffmpeg.

Every test puts one clip in place of lesson 3 of an otherwise conforming course and runs
``coursecheck check --format json``. It asserts the complete list of findings (rule, file, line)
and the exit code, so a rule that fires where it should not fails the test too.
"""

from __future__ import annotations

import collections
import os
from pathlib import Path
from typing import Any

import pytest

from coursecheck import runner
from coursecheck.engine import check_course, target_for
from coursecheck.messages import message
from coursecheck.probe import MediaFacts, probe, run_mediainfo
from coursecheck.settings import Settings
from coursecheck.synth import ClipSpec, run_quiet
from tests.helpers import (
    GOOD,
    Course,
    Media,
    Run,
    check_json,
    check_json_or_fail_if_blocked,
    needs_mkfifo,
)

LESSON = 3
FILE = "lessons/03.mp4"
ERRORS, WARNINGS_ONLY = 1, 0  # exit codes: any error → 1; warnings alone → 0


def findings(run: Run) -> list[tuple[str, str, int | None]]:
    """Every finding of the run as (rule, file, line)."""
    return [(f["rule"], f["file"], f["line"]) for f in run.findings()]


def check_lesson(course: Course, source: Path | ClipSpec, name: str | None = None
                 ) -> tuple[Run, str]:
    """Replace lesson 3 with ``source`` (a ClipSpec or a file), check the course."""
    where = course.set_lesson(LESSON, source, name)
    return check_json(course.build()), where


def assert_only(run: Run, rule: str, file: str, exit_code: int) -> dict[str, Any]:
    """``rule`` fired once, at ``file`` with no line, nothing else fired; return the finding."""
    assert findings(run) == [(rule, file, None)]
    assert run.exit_code == exit_code
    return run.findings(rule)[0]


def assert_clean(run: Run) -> None:
    """No finding at all, exit code 0."""
    assert findings(run) == []
    assert run.exit_code == 0


def en(key: str, **args: Any) -> str:
    """The English message ``key`` as the report shows it."""
    return message("en", key, args)


def cut(source: Path, fraction: float, out: Path) -> Path:
    """The first ``fraction`` of ``source``'s bytes, as a new file."""
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * fraction)])
    return out


# --- V001: the file cannot be read as media ---------------------------------------------------


def test_empty_lesson_is_v001_and_nothing_else(course: Course, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    run, where = check_lesson(course, empty)
    finding = assert_only(run, "V001", where, ERRORS)
    assert finding["message"] == en("V001.empty", detail="")


def test_truncated_lesson_is_v001_at_its_file(course: Course, media: Media,
                                              tmp_path: Path) -> None:
    truncated = cut(media.clip(), 0.4, tmp_path / "truncated.mp4")
    assert "<IsTruncated>Yes</IsTruncated>" in run_mediainfo(truncated)
    run, where = check_lesson(course, truncated)
    finding = assert_only(run, "V001", where, ERRORS)
    assert finding["message"] == en("V001.truncated", detail="")


def test_truncated_1080p_30fps_lesson_gets_only_v001(course: Course, media: Media,
                                                     tmp_path: Path) -> None:
    # Its sample tables point past its end, so it is refused before MediaInfo reads its
    # headers (coursecheck.mp4index): V104 and V105 must not fire on what those claim.
    bad = media.clip(GOOD.but(width=1920, height=1080, fps="30"))
    truncated = cut(bad, 0.4, tmp_path / "truncated1080.mp4")
    facts = probe(truncated)
    assert (facts.error, facts.error_detail) == ("truncated", "stco")
    run, where = check_lesson(course, truncated)
    assert_only(run, "V001", where, ERRORS)


def test_text_file_named_mp4_is_v001_not_media(course: Course, tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("Lesson 3 will be recorded next week.\n", encoding="utf-8")
    run, where = check_lesson(course, text)
    # V102 and V204 would fire on a file without tracks if V001 did not gate them
    finding = assert_only(run, "V001", where, ERRORS)
    assert finding["message"] == en("V001.not_media", detail="")


@needs_mkfifo
def test_fifo_lesson_is_v001_not_a_regular_file_and_never_opened(course: Course) -> None:
    root = course.build()
    fifo = root / FILE
    fifo.unlink()
    os.mkfifo(fifo)
    run = check_json_or_fail_if_blocked(root, fifo)
    finding = assert_only(run, "V001", FILE, ERRORS)
    assert finding["message"] == en("V001.not_file", detail="")


def test_readable_lesson_passes_v001(course: Course, media: Media) -> None:
    run, _ = check_lesson(course, media.clip(GOOD.but(pattern="testsrc")))
    assert_clean(run)


# --- V101: not an MP4 -------------------------------------------------------------------------


def test_mov_lesson_is_v101_quicktime(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(container="mov")), "lessons/03.mov")
    assert where == "lessons/03.mov"
    finding = assert_only(run, "V101", where, ERRORS)
    assert finding["message"] == en("V101.quicktime")


def test_mov_renamed_to_mp4_is_still_v101_quicktime(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(container="mov")))
    assert where == FILE
    finding = assert_only(run, "V101", FILE, ERRORS)
    assert finding["message"] == en("V101.quicktime")


def test_matroska_renamed_to_mp4_is_v101_container(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(container="matroska")))
    finding = assert_only(run, "V101", where, ERRORS)
    assert finding["message"] == en("V101.container", container="Matroska")
    assert finding["actual"] == "Matroska"


def test_mp4_named_m4v_is_v101_extension(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(), "lessons/03.m4v")
    assert where == "lessons/03.m4v"
    finding = assert_only(run, "V101", where, ERRORS)
    assert finding["message"] == en("V101.extension", suffix=".m4v")


def test_uppercase_mp4_extension_passes_v101(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(), "lessons/03.MP4")
    assert where == "lessons/03.MP4"
    assert_clean(run)


# --- V102 – V108: the video track against the spec --------------------------------------------


def test_audio_only_lesson_is_v102_and_not_v204(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(video=False)))
    assert_only(run, "V102", where, ERRORS)


def test_silent_video_lesson_passes_v102(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(audio=None)))
    assert_only(run, "V204", where, WARNINGS_ONLY)  # it has video: V204, not V102


def test_hevc_lesson_is_v103(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(codec="libx265")))
    finding = assert_only(run, "V103", where, ERRORS)
    assert finding["actual"] == "HEVC"


def test_1080p_lesson_is_v104_at_its_file(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(width=1920, height=1080)))
    finding = assert_only(run, "V104", where, ERRORS)
    assert finding["actual"] == "1920×1080"


def test_rotated_720p_lesson_is_v104_because_it_displays_portrait(course: Course,
                                                                  media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(rotate=90)))
    finding = assert_only(run, "V104", where, ERRORS)
    # ffmpeg's display_rotation=90 comes back from MediaInfo as 270°; either way: portrait
    assert finding["actual"].startswith("1280×720 (rotation ")
    assert finding["actual"].endswith("→ 720×1280)")


def test_anamorphic_720p_lesson_is_v104(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(sar="4/3")))
    finding = assert_only(run, "V104", where, ERRORS)
    assert "PAR 1.333" in finding["actual"]


def test_plain_720p_lesson_passes_v104(course: Course, media: Media) -> None:
    run, _ = check_lesson(course, media.clip(GOOD.but(sar="1/1", pattern="testsrc2")))
    assert_clean(run)


@pytest.mark.parametrize(("fps", "shown"), [("30", "30"), ("30000/1001", "29.97"), ("24", "24")])
def test_non_25fps_lesson_is_v105(course: Course, media: Media, fps: str, shown: str) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(fps=fps)))
    finding = assert_only(run, "V105", where, ERRORS)
    assert finding["actual"] == shown


def test_25fps_lesson_passes_v105(course: Course, media: Media) -> None:
    run, _ = check_lesson(course, media.clip(GOOD.but(fps="25/1", pattern="testsrc")))
    assert_clean(run)


def test_vfr_lesson_is_v106_and_not_v105(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(vfr=True)))
    assert_only(run, "V106", where, ERRORS)  # its mean rate is ~16 fps, yet no V105


def test_cfr_lesson_passes_v106(course: Course, media: Media) -> None:
    clip = media.clip(GOOD.but(pattern="testsrc"))
    video = probe(clip).video
    assert video is not None and video.frame_rate_mode == "CFR"
    run, _ = check_lesson(course, clip)
    assert_clean(run)


def test_910s_lesson_is_v107_and_not_v108(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.long(910))
    finding = assert_only(run, "V107", where, ERRORS)
    assert finding["actual"].startswith("15:10")


def test_890s_lesson_passes_v107_with_only_the_v108_warning(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.long(890))
    assert_only(run, "V108", where, WARNINGS_ONLY)


def test_430s_lesson_is_a_v108_warning_with_exit_code_0(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.long(430))
    finding = assert_only(run, "V108", where, WARNINGS_ONLY)
    assert finding["severity"] == "warning"
    assert finding["actual"].startswith("7:10")


def test_410s_lesson_passes_v108(course: Course, media: Media) -> None:
    run, _ = check_lesson(course, media.long(410))
    assert_clean(run)


# --- V201 – V206: warnings --------------------------------------------------------------------


@pytest.mark.parametrize(("pix_fmt", "profile", "issues"), [
    ("yuv420p10le", "high10", ["10-bit", "High 10"]),
    ("yuv422p", "high422", ["4:2:2", "High 4:2:2"]),
])
def test_high10_and_422_lessons_are_v201(course: Course, media: Media, pix_fmt: str,
                                         profile: str, issues: list[str]) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(pix_fmt=pix_fmt, profile=profile)))
    finding = assert_only(run, "V201", where, WARNINGS_ONLY)
    assert finding["actual"] == ", ".join(issues)


def test_8bit_420_high_profile_lesson_passes_v201(course: Course, tmp_path: Path) -> None:
    # ClipSpec(profile="high") still comes out Constrained Baseline (x264's ultrafast preset
    # uses no High-profile tool), so this clip is made with a preset that does.
    clip = tmp_path / "high.mp4"
    run_quiet(["-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25:d=1",
               "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:d=1",
               "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-crf", "38",
               "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart",
               "-fflags", "+bitexact", str(clip)])
    video = probe(clip).video
    assert video is not None and video.profile is not None
    assert video.profile.startswith("High@")
    assert (video.bit_depth, video.chroma_subsampling) == (8, "4:2:0")
    run, _ = check_lesson(course, clip)
    assert_clean(run)


def test_interlaced_lesson_is_v202(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(interlaced=True)))
    finding = assert_only(run, "V202", where, WARNINGS_ONLY)
    assert finding["actual"] == "MBAFF"


def test_lesson_without_faststart_is_v203(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(faststart=False)))
    assert_only(run, "V203", where, WARNINGS_ONLY)


def test_lesson_without_audio_is_v204(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(audio=None)))
    assert_only(run, "V204", where, WARNINGS_ONLY)


def test_mp3_lesson_is_v205(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(audio="mp3")))
    finding = assert_only(run, "V205", where, WARNINGS_ONLY)
    assert finding["actual"] == "MP3"


def test_2021_encoded_date_is_v206(course: Course, media: Media) -> None:
    run, where = check_lesson(course, media.clip(GOOD.but(creation_time="2021-05-01T00:00:00Z")))
    finding = assert_only(run, "V206", where, WARNINGS_ONLY)
    assert finding["actual"] == "2021-05-01"


def test_2023_encoded_date_passes_v206(course: Course, media: Media) -> None:
    clip = media.clip(GOOD.but(creation_time="2023-05-01T00:00:00Z"))
    assert probe(clip).encoded_date is not None  # the date is there, and recent
    run, _ = check_lesson(course, clip)
    assert_clean(run)


def test_unset_encoded_date_passes_v206(course: Course, media: Media) -> None:
    clip = media.clip(GOOD.but(pattern="testsrc"))
    assert probe(clip).encoded_date is None
    run, _ = check_lesson(course, clip)
    assert_clean(run)


# --- the good clip, and probing --------------------------------------------------------------

LESSON_RULES = ["V001", "V101", "V102", "V103", "V104", "V105", "V106", "V107", "V108",
                "V201", "V202", "V203", "V204", "V205", "V206"]


def test_conforming_lesson_is_clean_of_every_lesson_rule(course: Course, media: Media) -> None:
    # 1280×720, 25 fps CFR, 8-bit 4:2:0 progressive H.264, AAC, faststart, 1 s, no date
    run, where = check_lesson(course, media.clip(GOOD.but(pattern="testsrc2")))
    assert all(run.where(rule) == [] for rule in LESSON_RULES)
    assert_clean(run)
    lesson = run.report["courses"][0]["lessons"][LESSON - 1]
    assert (lesson["file"], lesson["width"], lesson["height"], lesson["fps"], lesson["codec"]) \
        == (where, 1280, 720, 25.0, "AVC")


def test_lesson_listed_twice_is_probed_once(course: Course) -> None:
    course.manifest["lessons"][1]["file"] = "lessons/01.mp4"
    del course.files["lessons/02.mp4"]
    root = course.build()
    calls: collections.Counter[Path] = collections.Counter()

    def counting_probe(path: Path) -> MediaFacts:
        calls[path] += 1
        return probe(path)

    result = check_course(target_for(root), Settings(lang="en"), prober=counting_probe)
    assert sorted(calls.values()) == [1] * 9  # ten lessons, nine distinct files
    assert calls[(root / "lessons/01.mp4").resolve()] == 1
    assert [f.rule for f in result.findings] == ["C203"]
    assert runner.exit_code([result], strict=False) == ERRORS
    first, second = result.lessons[0], result.lessons[1]
    assert first.file == second.file == "lessons/01.mp4"
    assert (second.width, second.height, second.fps) == (1280, 720, 25.0)

"""``fix`` learns loudness: a quiet lesson is normalised, its picture copied bit for bit."""

from __future__ import annotations

from pathlib import Path

import pytest

from coursecheck.deep import analyse
from coursecheck.proc import MiB, run_bounded
from coursecheck.synth_deep import DeepClip, make_deep_clip
from coursecheck.tools import find_ffmpeg
from tests.helpers import Course, Media, run_cli

pytestmark = pytest.mark.timeout(300)


def video_hash(path: Path) -> str:
    """The MD5 of the video stream's packets (``-f streamhash``)."""
    ffmpeg, _ = find_ffmpeg()
    assert ffmpeg is not None
    done = run_bounded([ffmpeg, "-hide_banner", "-v", "error", "-i", str(path), "-map", "0:v:0",
                        "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"],
                       timeout_s=60, mem_bytes=1024 * MiB, capture_stdout=True)
    assert done.ok and done.stdout
    return done.stdout.decode().strip()


def test_fix_normalises_a_quiet_lesson_and_copies_its_video(tmp_path: Path,
                                                            media: Media) -> None:
    quiet = make_deep_clip(DeepClip(seconds=4.0, size="1280x720", lufs=-30.0),
                           tmp_path / "quiet.mp4", crf=40)
    course = Course.good(tmp_path / "course", media)
    course.set_lesson(3, quiet)
    root = course.build()
    out = tmp_path / "out"
    run = run_cli("fix", root, "--out", out, "--lang", "en")
    # the other nine lessons sit at -21.8 LUFS: -18 would set this one 3.8 LU from them (D107),
    # so it is brought to -19.3, the level nearest -18 within 3 LU of them (0.5 LU to spare)
    assert "lessons/03.mp4: -30." in run.stdout and " → -19." in run.stdout, run.stdout
    fixed = out / "lessons" / "03.mp4"
    after = analyse(str(fixed), "quick")
    assert after.loudness_lufs == pytest.approx(-19.3, abs=0.7)
    assert after.true_peak_dbtp is not None and after.true_peak_dbtp <= -1.0
    assert video_hash(fixed) == video_hash(quiet)
    again = run_cli("check", out, "--format", "json", "--deep", "full")
    assert [again.findings(rule) for rule in ("D104", "D105", "D107")] == [[], [], []]
    assert again.exit_code == 0


@pytest.mark.parametrize(("kept", "expected"), [
    ([], -18.0),  # nothing left as it is: the profile's target
    ([-17.5, -18.6], -18.0),  # -18 is close enough to them all
    ([-21.8] * 9, -19.3),  # the helper's sample course: as near -18 as D107 allows
    ([-15.0], -17.5),  # loud ones the other way
    ([-21.9, -14.2], -18.0),  # they are 7.7 LU apart themselves: no level helps, keep -18
])
def test_the_course_target_stays_within_the_spread_and_the_window(
        kept: list[float], expected: float) -> None:
    from coursecheck.fix.loudness import course_target

    assert course_target(kept, -18.0, 4.0, 3.0) == expected

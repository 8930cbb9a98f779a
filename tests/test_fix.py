"""``coursecheck fix``: failing lessons come out passing, everything else byte for byte, safely.

One course with six problem lessons (a 1920×1080 30 fps HEVC 10-bit .mov, a portrait phone clip
with a rotation flag, a 4:3 lesson, an interlaced lesson, a VFR lesson and an audio-only lesson)
and four conforming ones is fixed once per module; the tests then look at the result. Encodes use
``--preset ultrafast`` on 1 s clips to stay fast.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pymediainfo import MediaInfo

from coursecheck.fix.geometry import fit
from coursecheck.fix.manifest_edit import rewrite_lesson_files
from coursecheck.fix.nextstep import split_points
from coursecheck.fix.progress import read_progress
from coursecheck.probe import probe
from coursecheck.synth import ClipSpec, run_quiet
from tests.helpers import GOOD, Course, Media, Run, check_json, link_or_copy, run_cli, snapshot

pytestmark = pytest.mark.timeout(180)  # every fix test: a hang fails instead of stalling CI
FAST = ("--preset", "ultrafast", "--lang", "en")
FRAME = 0.04  # one frame at 25 fps


@dataclass(frozen=True)
class Case:
    """A problem lesson: where it goes, the clip, its manifest name, its fixed name, and the
    aspect ratio a player shows it at."""

    lesson: int
    spec: ClipSpec
    written: str
    output: str
    aspect: float


CASES = {
    "hevc_10bit_1080p30_mov": Case(2, GOOD.but(codec="libx265", pix_fmt="yuv420p10le",
                                               width=1920, height=1080, fps="30",
                                               container="mov"),
                                   "lessons/02.mov", "lessons/02.mp4", 16 / 9),
    "portrait_rotated": Case(3, GOOD.but(rotate=90), "lessons/03.mp4", "lessons/03.mp4", 9 / 16),
    "four_by_three": Case(4, GOOD.but(width=960, height=720), "lessons/04.mp4", "lessons/04.mp4",
                          4 / 3),
    "interlaced": Case(5, GOOD.but(interlaced=True), "lessons/05.mp4", "lessons/05.mp4", 16 / 9),
    "vfr": Case(6, GOOD.but(vfr=True), "lessons/06.mp4", "lessons/06.mp4", 16 / 9),
    "audio_only": Case(7, GOOD.but(video=False), "lessons/07.mp4", "lessons/07.mp4", 16 / 9),
}
CONFORMING = ["lessons/01.mp4", "lessons/08.mp4", "lessons/09.mp4", "lessons/10.mp4"]


def sha(path: Path) -> str:
    """The file's SHA-256."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def duration(path: Path) -> float:
    """The video track's duration, or the file's for an audio-only file, in seconds."""
    video = probe(path).video
    if video is not None and video.duration_s is not None:
        return video.duration_s
    return float(MediaInfo.parse(str(path)).general_tracks[0].duration) / 1000


def content_box(path: Path, tmp: Path) -> tuple[int, int, int, int]:
    """The bounding box of the non-black pixels of the frame at 0.5 s."""
    png = tmp / (path.stem + "-frame.png")
    run_quiet(["-y", "-ss", "0.5", "-i", str(path), "-frames:v", "1", str(png)])
    with Image.open(png) as image:
        box = image.convert("RGB").point(lambda v: 255 if v > 40 else 0).getbbox()
    assert box is not None, "the frame is all black"
    return box


def commented_manifest(course: Course) -> str:
    """The course's manifest as YAML, with comments that fix must keep."""
    text = yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False)
    text = text.replace("file: lessons/02.mov", "file: lessons/02.mov  # 手机导出")
    return "# 课程清单 — a comment fix keeps\n" + text


@dataclass
class Fixed:
    """The outcome of the module's one fix run."""

    source: Path
    out: Path
    run: Run
    before: dict[str, tuple[str, int]]
    after: dict[str, tuple[str, int]]
    check: Run


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Fixed:
    base = tmp_path_factory.mktemp("fix")
    course = Course.good(base / "course", media)
    for case in CASES.values():
        course.set_lesson(case.lesson, media.clip(case.spec), case.written)
    course.manifest_text = commented_manifest(course)
    source = course.build()
    before = snapshot(source)
    run = run_cli("fix", source, "--out", base / "out", "--jobs", "2", *FAST)
    return Fixed(source, base / "out", run, before, snapshot(source), check_json(base / "out"))


def test_fix_exits_0_and_the_fixed_course_passes_check(fixed: Fixed) -> None:
    assert fixed.run.exit_code == 0, fixed.run.stdout + fixed.run.stderr
    assert "PASS" in fixed.run.stdout  # it ran check on the output and showed it
    assert fixed.check.findings() == []
    assert fixed.check.exit_code == 0


@pytest.mark.parametrize("name", CASES)
def test_fixed_lesson_passes_check(fixed: Fixed, name: str) -> None:
    case = CASES[name]
    assert (fixed.out / case.output).is_file()
    assert [f for f in fixed.check.findings() if f["file"] == case.output] == []


@pytest.mark.parametrize("name", CASES)
def test_fixed_lesson_lasts_as_long_as_its_source_within_one_frame(fixed: Fixed,
                                                                   name: str) -> None:
    case = CASES[name]
    source, output = fixed.source / case.written, fixed.out / case.output
    assert abs(duration(output) - duration(source)) <= FRAME


@pytest.mark.parametrize("name", CASES)
def test_fixed_lesson_is_fitted_and_padded_not_stretched(fixed: Fixed, name: str,
                                                         tmp_path: Path) -> None:
    case = CASES[name]
    video = probe(fixed.out / case.output).video
    assert video is not None
    assert (video.width, video.height, video.pixel_aspect_ratio) == (1280, 720, 1.0)
    assert round(video.rotation) % 360 == 0
    left, top, right, bottom = content_box(fixed.out / case.output, tmp_path)
    width, height = right - left, bottom - top
    assert width >= 1278 or height >= 718  # scaled to fit: it touches two opposite edges
    assert abs(width / height - case.aspect) / case.aspect < 0.015  # aspect ratio kept
    assert abs(left - (1280 - right)) <= 2 and abs(top - (720 - bottom)) <= 2  # centred


def test_fixed_audio_is_aac_lc_48k_stereo(fixed: Fixed) -> None:
    audio = MediaInfo.parse(str(fixed.out / "lessons/02.mp4")).audio_tracks
    assert len(audio) == 1
    assert (audio[0].format, audio[0].format_additionalfeatures) == ("AAC", "LC")
    assert (int(audio[0].sampling_rate), int(audio[0].channel_s)) == (48000, 2)


def test_conforming_lessons_and_the_cover_are_byte_identical(fixed: Fixed) -> None:
    for rel in [*CONFORMING, "cover.jpg"]:
        assert sha(fixed.out / rel) == sha(fixed.source / rel), rel


def test_mov_lesson_becomes_mp4_and_only_that_manifest_value_changes(fixed: Fixed) -> None:
    old = (fixed.source / "course.yaml").read_text("utf-8").splitlines()
    new = (fixed.out / "course.yaml").read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert changed == [("  file: lessons/02.mov  # 手机导出", "  file: lessons/02.mp4  # 手机导出")]
    assert not (fixed.out / "lessons/02.mov").exists()
    assert "lessons/02.mov → lessons/02.mp4" in fixed.run.stdout


def test_source_tree_is_unchanged(fixed: Fixed) -> None:
    assert fixed.after == fixed.before


def test_no_temporary_file_is_left(fixed: Fixed) -> None:
    assert sorted(p.name for p in fixed.out.rglob(".*")) == []


def test_dry_run_prints_the_fit_and_pad_geometry_and_writes_nothing(fixed: Fixed,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "dry"
    run = run_cli("fix", fixed.source, "--out", out, "--dry-run", *FAST)
    assert run.exit_code == 0
    assert not out.exists()
    commands = [line for line in run.stdout.splitlines() if "+faststart" in line]
    assert len(commands) == len(CASES)  # one output-writing command per lesson
    text = "\n".join(commands)
    assert ("scale=960:720:out_range=tv[s1];[s1]setsar=1[s2];[s2]pad=1280:720:160:0:"
            "color=black") in text
    assert ("scale=406:720:out_range=tv[s1];[s1]setsar=1[s2];[s2]pad=1280:720:436:0:"
            "color=black") in text
    assert "yadif" in text and "-stream_loop -1" in text and "-t 1.0" in text
    assert "-loop 1 -framerate 1 -t 1 " in run.stdout  # the still picture is bounded
    assert snapshot(fixed.source) == fixed.before


# --- what fix refuses, and what it cannot fix ------------------------------------------------


def test_out_inside_the_course_is_refused_and_nothing_is_written(course: Course) -> None:
    root = course.build()
    before = snapshot(root)
    run = run_cli("fix", root, "--out", root / "fixed", *FAST)
    assert run.exit_code == 2
    assert "inside the course folder" in run.stderr
    assert snapshot(root) == before


def test_out_holding_the_course_is_refused(course: Course) -> None:
    root = course.build()
    run = run_cli("fix", root, "--out", root.parent, "--force", *FAST)
    assert run.exit_code == 2
    assert "contains the course folder" in run.stderr


def test_non_empty_out_is_refused_unless_force(course: Course, tmp_path: Path) -> None:
    root = course.build()
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    (out / "lessons").mkdir()
    (out / "lessons/01.mp4").write_bytes(b"stale output of an earlier run")
    refused = run_cli("fix", root, "--out", out, *FAST)
    assert refused.exit_code == 2
    assert "not empty" in refused.stderr
    forced = run_cli("fix", root, "--out", out, "--force", *FAST)
    assert forced.exit_code == 0
    assert sha(out / "lessons/01.mp4") == sha(root / "lessons/01.mp4")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_symlink_in_out_never_leads_a_write_into_the_source(course: Course,
                                                             tmp_path: Path) -> None:
    course.set_lesson(4, GOOD.but(fps="30"))
    root = course.build()
    before = snapshot(root)
    out = tmp_path / "out"
    out.mkdir()
    (out / "lessons").symlink_to(root / "lessons")  # left over, or planted
    run = run_cli("fix", root, "--out", out, "--force", *FAST)
    assert run.exit_code == 1
    assert "would be written outside" in run.stdout
    assert snapshot(root) == before


def test_what_fix_cannot_fix_is_reported_with_a_next_step_and_the_run_goes_on(
        course: Course, media: Media) -> None:
    course.set_lesson(3, media.long(910))  # 15:10 → V107
    course.set_lesson(5, GOOD.but(fps="30"))  # fixable: V105
    course.manifest["intro"] = "很长的简介" * 25  # 125 characters → C101
    root = course.build()
    (root / "lessons/09.mp4").unlink()
    (root / "lessons/09.mp4").write_bytes(b"")  # V001
    out = root.parent / "out"
    run = run_cli("fix", root, "--out", out, *FAST)
    assert run.exit_code == 1  # the output still has V107, V001 and C101
    report = run.stdout.split("Cannot fix automatically")[1].split("Checking the fixed")[0]
    assert "V107 lessons/03.mp4" in report
    assert "5:03.300, 10:06.700" in report  # three parts of at most 7 minutes
    assert f"ffmpeg -ss 303.3 -to 606.7 -i {out.as_posix()}/lessons/03.mp4 -c copy" in report
    assert "V001 lessons/09.mp4" in report and "C101 course.yaml:" in report
    assert sha(out / "lessons/03.mp4") == sha(root / "lessons/03.mp4")  # copied, not encoded
    rules = {(f["rule"], f["file"]) for f in check_json(out).findings()}
    assert rules == {("V107", "lessons/03.mp4"), ("V001", "lessons/09.mp4"),
                     ("C101", "course.yaml")}  # lesson 5 was fixed


def test_silent_lesson_keeps_no_audio_unless_add_silence(course: Course, media: Media) -> None:
    course.set_lesson(4, GOOD.but(audio=None))
    root = course.build()
    plain = run_cli("fix", root, "--out", root.parent / "plain", *FAST)
    assert plain.exit_code == 0  # V204 is a warning
    assert "V204 lessons/04.mp4" in plain.stdout and "--add-silence" in plain.stdout
    assert sha(root.parent / "plain/lessons/04.mp4") == sha(root / "lessons/04.mp4")
    silent = run_cli("fix", root, "--out", root.parent / "silent", "--add-silence", *FAST)
    assert silent.exit_code == 0
    fixed = root.parent / "silent/lessons/04.mp4"
    assert probe(fixed).audio_formats == ("AAC",)
    assert abs(duration(fixed) - duration(root / "lessons/04.mp4")) <= FRAME
    assert check_json(root.parent / "silent").findings() == []


def test_audio_only_lesson_without_a_cover_gets_a_title_slate_in_high_profile(
        course: Course, media: Media, tmp_path: Path) -> None:
    course.set_lesson(6, GOOD.but(video=False))
    del course.manifest["cover"]
    root = course.build()
    out = root.parent / "out"
    run = run_cli("fix", root, "--out", out, "--lang", "en")  # the default preset, medium
    assert run.exit_code == 1  # the manifest still lacks its cover (C003)
    assert "audio over a slate with the title" in run.stdout
    lesson = out / "lessons/06.mp4"
    assert [f["rule"] for f in check_json(out).findings() if f["file"] == "lessons/06.mp4"] == []
    video = probe(lesson).video
    assert video is not None and video.profile is not None and video.profile.startswith("High@")
    assert abs(duration(lesson) - duration(root / "lessons/06.mp4")) <= FRAME
    left, top, right, bottom = content_box(lesson, tmp_path)  # the title, drawn in white
    assert 0 < left < right < 1280 and 0 < top < bottom < 720


# --- interruption ------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_run_killed_mid_encode_leaves_no_file_at_a_final_path(
        course: Course, media: Media, signum: int) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080, seconds=10.0, pattern="testsrc2"))
    root = course.build()
    out = root.parent / "out"
    partial = out / "lessons" / ".03.mp4.coursecheck-partial"
    proc = subprocess.Popen(
        [sys.executable, "-m", "coursecheck", "fix", str(root), "--out", str(out),
         "--preset", "veryslow"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not partial.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert partial.exists(), "ffmpeg never started writing"
    time.sleep(0.3)  # well inside the encode: veryslow needs many seconds for 10 s of 1080p
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 128 + signum
    assert "Interrupted" in stderr
    assert not (out / "lessons/03.mp4").exists()
    assert list(out.rglob("*.coursecheck-partial")) == []
    assert not any(str(out) in cmdline for cmdline in _command_lines())  # no ffmpeg left


def _command_lines() -> list[str]:
    lines = []
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            lines.append(entry.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace"))
        except OSError:
            continue
    return lines


# --- the parts, on recorded or made-up input ---------------------------------------------------

RECORDED_PROGRESS = """frame=0
out_time_us=N/A
progress=continue
frame=39
fps=0.00
out_time_us=1560000
out_time=00:00:01.560000
speed=12.1x
progress=end
"""


def test_progress_records_give_the_seconds_written_and_the_end() -> None:
    assert list(read_progress(RECORDED_PROGRESS.splitlines())) == [(0.0, False), (1.56, True)]


@pytest.mark.parametrize(("shown", "expected"), [
    ((1920, 1080), (1280, 720, 0, 0)),
    ((720, 1280), (406, 720, 436, 0)),   # portrait: pillarboxed
    ((960, 720), (960, 720, 160, 0)),    # 4:3
    ((1707, 720), (1280, 540, 0, 90)),   # 1280×720 with 4:3 pixels: letterboxed
    ((640, 480), (960, 720, 160, 0)),    # scaled up to fit
])
def test_fit_keeps_the_aspect_ratio_on_even_pixels_centred(
        shown: tuple[int, int], expected: tuple[int, int, int, int]) -> None:
    geo = fit(*shown, 1280, 720)
    assert (geo.width, geo.height, geo.x, geo.y) == expected


def test_split_points_cut_into_equal_parts_of_at_most_7_minutes() -> None:
    assert split_points(910.0, 420.0) == (303.3, 606.7)
    assert split_points(430.0, 420.0) == (215.0,)


@pytest.mark.parametrize(("line", "renamed"), [
    ("    file: lessons/02.mov   # 注释\r\n", "    file: lessons/02.mp4   # 注释\r\n"),
    ("    file: 'lessons/02.mov'\r\n", "    file: 'lessons/02.mp4'\r\n"),
    ('    file: "lessons\\\\02.mov"\r\n', '    file: "lessons\\\\02.mp4"\r\n'),
])
def test_manifest_edit_changes_only_the_value_in_its_own_style(line: str, renamed: str) -> None:
    old = "name: 课程  # 名称\r\nlessons:\r\n  - title: 一\r\n" + line
    written = yaml.safe_load(old)["lessons"][0]["file"]
    new_value = written[: -len(".mov")] + ".mp4"
    for encoding, bom in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b"")):
        raw = bom + old.encode(encoding)
        out = rewrite_lesson_files(raw, [(0, written, new_value)])
        assert out == bom + old.replace(line, renamed).encode(encoding)


def test_manifest_edit_refuses_a_block_scalar() -> None:
    raw = "lessons:\n  - title: 一\n    file: |\n      a.mov\n".encode()
    assert rewrite_lesson_files(raw, [(0, "a.mov\n", "a.mp4")]) is None


def test_a_renamed_lesson_never_takes_another_lessons_name(course: Course, tmp_path: Path
                                                           ) -> None:
    course.set_lesson(2, GOOD.but(container="mov"), "lessons/01.mov")
    run = run_cli("fix", course.build(), "--out", tmp_path / "out", "--dry-run", *FAST)
    assert "lessons/01.mov → lessons/01-fixed.mp4" in run.stdout
    assert "lessons[1].file lessons/01.mov → lessons/01-fixed.mp4" in run.stdout


def test_a_failed_encode_is_reported_and_the_manifest_names_only_files_that_exist(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coursecheck.tools import find_ffmpeg

    real, _ = find_ffmpeg()
    fake = tmp_path / "ffmpeg"  # reads (the scan) like ffmpeg, fails every encode
    fake.write_text(f"#!/bin/sh\ncase \"$*\" in *framecrc*) exec '{real}' \"$@\";; esac\n"
                    "echo 'Invalid data found when processing input' >&2\nexit 1\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    course.set_lesson(4, GOOD.but(fps="30", container="mov"), "lessons/04.mov")
    root = course.build()
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(fake))
    out = tmp_path / "out"
    run = run_cli("fix", root, "--out", out, *FAST)
    assert run.exit_code == 1
    assert ("ffmpeg failed on lessons/04.mp4 (exit 1): Invalid data found when processing input"
            in run.stdout)
    assert "the original lessons/04.mov is copied unchanged" in run.stdout
    assert not (out / "lessons/04.mp4").exists()
    assert sha(out / "lessons/04.mov") == sha(root / "lessons/04.mov")
    assert sha(out / "lessons/05.mp4") == sha(root / "lessons/05.mp4")
    assert yaml.safe_load((out / "course.yaml").read_text("utf-8"))["lessons"][3]["file"] == (
        "lessons/04.mov")
    assert {(f["rule"], f["file"]) for f in check_json(out).findings()} == {
        ("V101", "lessons/04.mov"), ("V105", "lessons/04.mov")}
    assert list(out.rglob("*.coursecheck-partial")) == []


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(
        course: Course, tmp_path: Path) -> None:
    import os

    root = course.build()
    bad = root / "lessons" / os.fsdecode(b"bad\xff.mp4")  # unlisted: C204, which fix reports
    try:
        bad.write_bytes((root / "lessons/01.mp4").read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses a name that is not UTF-8")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COURSECHECK_LANG": "en"}
    proc = subprocess.run([str(Path(sys.executable).parent / "coursecheck"), "fix", str(root),
                           "--out", str(tmp_path / "out"), "--dry-run", *FAST],
                          capture_output=True, text=True, encoding="utf-8", env=env,
                          timeout=120)
    assert proc.returncode != 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert "lessons/bad\ufffd.mp4" in proc.stdout


@pytest.mark.parametrize(("lang", "line"), [
    ("zh", "  C204 lessons/旧版/old.mp4  视频文件“lessons/旧版/old.mp4”未列入清单：请把它加入 "
           "lessons，或移出课程文件夹。"),
    ("en", "  C204 lessons/旧版/old.mp4  Video file 'lessons/旧版/old.mp4' is not listed in the "
           "manifest: add it to `lessons`, or move it out of the course folder.")])
def test_a_next_step_the_message_already_gives_is_not_printed_twice(course: Course, lang: str,
                                                                     line: str) -> None:
    root = course.build()
    (root / "lessons/旧版").mkdir()
    link_or_copy(root / "lessons/01.mp4", root / "lessons/旧版/old.mp4")
    run = run_cli("fix", root, "--out", root.parent / "out", "--dry-run", "--lang", lang)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    at = lines.index(line)
    assert not lines[at + 1].lstrip().startswith("→"), lines[at:]

"""``fix`` always ends, within bounded memory, and leaves no ffmpeg behind (issue 10, §1 and §6).

Lessons with traits from other tools' files: a header that claims 47 hours of AAC with no packet,
an MP4 and an MKV with no track, a 1×1 GIF; audio-only m4a, 3g2 and Opus lessons that go over
the cover; an old MOV whose creation time must survive. Every test has a timeout.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pymediainfo import MediaInfo

from coursecheck.fix.plan import Audio, Copy, Encode, FixPlan, Picture
from coursecheck.fix.scan import Scan, parse_framecrc, scan
from coursecheck.fix.screen import problem, screen
from coursecheck.tools import find_ffmpeg
from tests import traits
from tests.helpers import GOOD, Course, Media, Run, check_json, run_cli

pytestmark = pytest.mark.timeout(180)
FAST = ("--preset", "ultrafast", "--lang", "en")
TRAITS = {"lying_47h.m4a": traits.lying_audio_mp4, "no_track.mp4": traits.trackless_mp4,
          "tags_only.mkv": traits.tagless_mkv, "one_pixel.gif": traits.tiny_gif}
STILLS = {"lessons/02.m4a": GOOD.but(video=False, seconds=3.3),
          "lessons/03.3g2": GOOD.but(video=False, seconds=3.3, container="3g2"),
          "lessons/04.opus": GOOD.but(video=False, seconds=3.3, container="opus",
                                      audio="libopus")}
OLD_MOV = GOOD.but(container="mov", creation_time="2019-05-01T08:00:00Z")
FULL_RANGE_30FPS = GOOD.but(pix_fmt="yuvj420p", fps="30")  # a phone clip, full range


def ffmpeg() -> str:
    path, _ = find_ffmpeg()
    assert path is not None
    return path


def tracks(path: Path) -> dict[str, list[object]]:
    """MediaInfo's tracks of ``path`` by type."""
    found: dict[str, list[object]] = {}
    for track in MediaInfo.parse(str(path)).tracks:
        found.setdefault(track.track_type, []).append(track)
    return found


def manifest_files(out: Path) -> list[str]:
    """The lesson files the output manifest names."""
    data = yaml.safe_load((out / "course.yaml").read_text(encoding="utf-8"))
    return [lesson["file"] for lesson in data["lessons"]]


# --- the scan: packets, not headers ------------------------------------------------------------


@pytest.mark.parametrize(("name", "video", "audio"), [
    ("lying_47h.m4a", 0, 0), ("no_track.mp4", 0, 0), ("tags_only.mkv", 0, 0),
    ("one_pixel.gif", 1, 0)])
def test_the_scan_counts_real_packets_not_what_the_header_claims(
        tmp_path: Path, name: str, video: int, audio: int) -> None:
    found = scan(ffmpeg(), TRAITS[name](tmp_path / name))
    assert (found.video.packets, found.audio.packets) == (video, audio)
    over_cover = Encode(source=tmp_path / name, written=name, output="x.mp4", rules=("V102",),
                        title="t", geometry=None, picture=Picture.COVER, audio=Audio.KEEP)
    assert problem(over_cover, found) is not None  # nothing to put over the picture


def test_the_scan_gives_the_audio_its_exact_duration(media: Media) -> None:
    found = scan(ffmpeg(), media.clip(STILLS["lessons/02.m4a"]))
    assert found.video.packets == 0 and found.audio.packets > 100
    assert abs(found.audio.duration_s - 3.3) < 0.05


def test_framecrc_records_give_packets_and_span() -> None:
    recorded = ["#tb 0: 1/25", "#media_type 0: video", "#tb 1: 1/48000",
                "#media_type 1: audio", "0, 0, 0, 1, 100, 0x1", "1, -1024, -1024, 1024, 9, 0x2",
                "0, 1, 1, 1, 90, 0x3", "1, 0, 0, 1024, 9, 0x4", "garbage"]
    video, audio = parse_framecrc(recorded)
    assert (video.packets, video.duration_s) == (2, 0.08)
    assert audio.packets == 2 and audio.duration_s == pytest.approx(1024 / 48000)


def test_a_scan_that_hits_a_limit_makes_the_lesson_a_copy_with_the_reason(tmp_path: Path) -> None:
    job = Encode(source=tmp_path / "a.mov", written="lessons/a.mov", output="lessons/a.mp4",
                 rules=("V101",), title="t", geometry=None)
    plan = FixPlan(encodes=(job,), renames=((0, "lessons/a.mov", "lessons/a.mp4"),))
    screened = screen(plan, "ffmpeg", "en", scanner=lambda exe, job: Scan(limit="time"))
    assert screened.encodes == () and screened.renames == ()
    assert screened.copies == (Copy(tmp_path / "a.mov", "lessons/a.mov"),)
    assert [(u.rule, u.file) for u in screened.unfixable] == [("V101", "lessons/a.mov")]
    assert "hit the time limit" in screened.unfixable[0].reason


# --- lessons with nothing to encode ------------------------------------------------------------


def test_lessons_with_nothing_decodable_are_reported_and_copied_and_fix_ends(
        course: Course, tmp_path: Path) -> None:
    made = tmp_path / "made"
    made.mkdir()
    for number, (name, make) in enumerate(TRAITS.items(), 2):
        course.set_lesson(number, make(made / name), f"lessons/{name}")
    root = course.build()
    out = tmp_path / "out"
    run = run_cli("fix", root, "--out", out, *FAST)
    assert run.exit_code == 1, run.stdout + run.stderr
    unfixable = run.stdout.split("Cannot fix automatically")[1]
    for name in TRAITS:
        assert f"lessons/{name}" in unfixable
        assert (out / "lessons" / name).read_bytes() == (root / "lessons" / name).read_bytes()
    # the 47-hour header: check itself now finds no packet in it (V001), before ffmpeg's scan
    assert "V001 lessons/lying_47h.m4a  The file holds no audio or video" in unfixable
    assert all((out / name).is_file() for name in manifest_files(out))
    assert {p.name for p in (out / "lessons").iterdir()} == {
        p.name for p in (root / "lessons").iterdir()}  # no new file beside the traits


# --- audio over the cover ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fixed:
    source: Path
    out: Path
    run: Run
    check: Run


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Fixed:
    base = tmp_path_factory.mktemp("fix-bounds")
    course = Course.good(base / "course", media)
    for number, (name, spec) in enumerate(STILLS.items(), 2):
        course.set_lesson(number, spec, name)
    course.set_lesson(5, OLD_MOV, "lessons/05.mov")
    course.set_lesson(6, FULL_RANGE_30FPS)
    source = course.build()
    run = run_cli("fix", source, "--out", base / "out", "--jobs", "2", *FAST)
    return Fixed(source, base / "out", run, check_json(base / "out"))


def test_fix_of_audio_lessons_exits_with_only_the_honest_old_date_left(fixed: Fixed) -> None:
    assert fixed.run.exit_code == 0, fixed.run.stdout + fixed.run.stderr
    assert [(f["rule"], f["file"]) for f in fixed.check.findings()] == [
        ("V206", "lessons/05.mp4")]


@pytest.mark.parametrize("name", STILLS)
def test_the_picture_ends_with_the_audio(fixed: Fixed, name: str) -> None:
    found = tracks(fixed.out / Path(name).with_suffix(".mp4"))
    video, audio = found["Video"][0], found["Audio"][0]
    assert abs(float(video.duration) - float(audio.duration)) <= 100  # milliseconds
    assert abs(float(audio.duration) - 3300) <= 100


@pytest.mark.parametrize("name", [*STILLS, "lessons/05.mov", "lessons/06.mp4"])
def test_every_output_is_high_profile_limited_range_yuv420p(fixed: Fixed, name: str) -> None:
    video = tracks(fixed.out / Path(name).with_suffix(".mp4"))["Video"][0]
    assert video.format_profile.startswith("High@")  # even with --preset ultrafast
    assert (video.color_range, video.chroma_subsampling, video.bit_depth) == (
        "Limited", "4:2:0", 8)


def test_the_sources_are_full_range(fixed: Fixed) -> None:
    image = tracks(fixed.source / "cover.jpg")["Image"][0]
    assert image.format == "JPEG"  # a JPEG decodes to full range (yuvj420p) before the scale
    assert tracks(fixed.source / "lessons/06.mp4")["Video"][0].color_range == "Full"


def test_the_encoded_date_is_carried_over_and_v206_stays_listed(fixed: Fixed) -> None:
    general = tracks(fixed.out / "lessons/05.mp4")["General"][0]
    assert "2019-05-01" in str(general.encoded_date)
    unfixable = fixed.run.stdout.split("Cannot fix automatically")[1]
    assert "V206 lessons/05.mov" in unfixable


def test_same_named_audio_lessons_in_two_folders_each_get_their_own_picture(
        course: Course, tmp_path: Path) -> None:
    course.set_lesson(2, GOOD.but(video=False, seconds=3.3), "lessons/a/01.m4a")
    course.set_lesson(3, GOOD.but(video=False, seconds=1.5), "lessons/b/01.m4a")
    out = tmp_path / "out"
    run = run_cli("fix", course.build(), "--out", out, "--jobs", "2", *FAST)
    assert run.exit_code == 0, run.stdout
    for name, seconds in (("lessons/a/01.mp4", 3.3), ("lessons/b/01.mp4", 1.5)):
        found = tracks(out / name)
        video, audio = float(found["Video"][0].duration), float(found["Audio"][0].duration)
        assert abs(audio - seconds * 1000) <= 100 and abs(video - audio) <= 100, name


# --- limits ------------------------------------------------------------------------------------


def fake_ffmpeg(tmp_path: Path, encode: str) -> Path:
    """An ffmpeg that scans like the real one and runs ``encode`` (shell) for every encode."""
    fake = tmp_path / "ffmpeg"
    fake.write_text(f"#!/bin/sh\ncase \"$*\" in *framecrc*) exec '{ffmpeg()}' \"$@\";; esac\n"
                    f"{encode}\n", encoding="utf-8")
    fake.chmod(0o755)
    return fake


@pytest.mark.skipif(os.name != "posix", reason="a shell-script ffmpeg")
def test_an_encode_past_its_time_limit_is_stopped_and_reported(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course.set_lesson(4, GOOD.but(fps="30"))
    root = course.build()
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(fake_ffmpeg(tmp_path, "exec sleep 120")))
    monkeypatch.setattr("coursecheck.fix.execute.time_limit_s", lambda *_: 1.0)
    run = run_cli("fix", root, "--out", tmp_path / "out", *FAST)
    assert run.exit_code == 1
    assert "ffmpeg on lessons/04.mp4 was stopped after 1 s, the time limit" in run.stdout
    assert "the original lessons/04.mp4 is copied unchanged" in run.stdout
    assert [(f["rule"], f["file"]) for f in check_json(tmp_path / "out").findings()] == [
        ("V105", "lessons/04.mp4")]


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_AS")
def test_an_encode_past_its_memory_cap_is_stopped_and_reported(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course.set_lesson(4, GOOD.but(fps="30"))
    root = course.build()
    hog = "b = []\nwhile True: b.append(bytearray(2**24))"
    fake = fake_ffmpeg(tmp_path, f"exec '{sys.executable}' -c '{hog}'")
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(fake))
    monkeypatch.setattr("coursecheck.fix.execute.memory_cap", lambda: 512 * 2**20)
    run = run_cli("fix", root, "--out", tmp_path / "out", *FAST)
    assert run.exit_code == 1
    assert "ffmpeg on lessons/04.mp4 reached its memory cap of 512 MiB" in run.stdout
    assert (tmp_path / "out/lessons/04.mp4").read_bytes() == (
        root / "lessons/04.mp4").read_bytes()


# --- no orphans ---------------------------------------------------------------------------------


def ffmpeg_writing_to(out: Path) -> list[int]:
    """Processes whose command line names a file under ``out`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = entry.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if str(out) in line and "-progress" in line and state != "Z":
            found.append(int(entry.parent.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkilled_fix_leaves_no_ffmpeg_running(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080, seconds=10.0, pattern="testsrc2"))
    root = course.build()
    out = root.parent / "out-killed"
    partial = out / "lessons" / ".03.mp4.coursecheck-partial"
    scratch = root.parent / "tmp"  # a killed fix cannot remove its work folder: keep it here
    scratch.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "coursecheck", "fix", str(root), "--out",
                             str(out), "--preset", "veryslow"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(scratch)})
    try:
        deadline = time.monotonic() + 60
        while not ffmpeg_writing_to(out) or not partial.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "ffmpeg never started"
            time.sleep(0.05)
        children = ffmpeg_writing_to(out)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        deadline = time.monotonic() + 20
        while ffmpeg_writing_to(out) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ffmpeg_writing_to(out) == [], f"ffmpeg {children} outlived its SIGKILLed parent"
    finally:
        proc.kill()
        proc.wait(30)
        for pid in ffmpeg_writing_to(out):  # never leave one behind, even when the test fails
            os.kill(pid, signal.SIGKILL)

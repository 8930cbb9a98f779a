"""Issue 9 §9: ``init`` lists audio files as lessons; audio-only lessons have a duration, so
V107/V108 apply before ``fix`` encodes them, and the totals count them."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import GOOD, Course, Media, check_json, run_cli

MP3 = GOOD.but(video=False, audio="mp3", container="mp3", seconds=20.0)


def test_init_lists_audio_files_as_lessons_and_says_fix_puts_them_over_the_cover(
        tmp_path: Path, media: Media) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    for name, source in (("2.mp3", media.clip(MP3)), ("10.mp4", media.clip()),
                         ("1.m4a", media.clip(GOOD.but(video=False)))):
        (folder / name).write_bytes(source.read_bytes())
    run = run_cli("init", folder, "--lang", "zh")
    assert run.exit_code == 0
    text = (folder / "course.yaml").read_text("utf-8")
    files = [lesson["file"] for lesson in yaml.safe_load(text)["lessons"]]
    assert files == ["1.m4a", "2.mp3", "10.mp4"]
    assert text.count("纯音频微课：coursecheck fix 会把它配上首页图片") == 2


def test_an_audio_lesson_over_the_limit_is_v107_and_its_length_counts(
        course: Course, media: Media) -> None:
    course.set_lesson(4, media.clip(MP3), name="lessons/04.mp3")
    root = course.build()
    (root / ".coursecheck.yaml").write_text("max_minutes: 0.25\nadvised_minutes: 0.2\n",
                                            encoding="utf-8")
    run = check_json(root)
    assert run.where("V107") == [("lessons/04.mp3", None)]
    assert run.findings("V107")[0]["actual"].startswith("0:20")
    lesson = run.report["courses"][0]["lessons"][3]
    assert lesson["file"] == "lessons/04.mp3" and 19.5 < lesson["duration_s"] < 20.5
    assert run.exit_code == 1
    text = run_cli("check", root, "--lang", "en", "--format", "text")
    assert "10 lessons, 0:29" in text.stdout  # nine 1-second videos and the 20-second mp3


def test_an_audio_lesson_within_the_advised_length_has_no_v107_or_v108(
        course: Course, media: Media) -> None:
    course.set_lesson(4, media.clip(MP3), name="lessons/04.mp3")
    run = check_json(course.build())
    assert run.findings("V107") == [] and run.findings("V108") == []
    assert run.report["courses"][0]["lessons"][3]["duration_s"] > 19

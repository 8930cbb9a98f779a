"""A folder without course.yaml: C001, and every video and audio file still checked — by
``check`` and by ``audit``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import GOOD, Course, Media, check_json, run_cli


def _folder(root: Path, media: Media, files: dict[str, Path]) -> Path:
    for name, clip in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(clip, root / name)
    return root


@pytest.fixture
def unlisted(tmp_path: Path, media: Media) -> Path:
    """Lessons 2 and 10 (natural order: 2 before 10), a 30 fps lesson 10, an audio lesson, a
    hidden AppleDouble file and a text file."""
    folder = _folder(tmp_path / "视频素材", media, {
        "10.mp4": media.clip(GOOD.but(fps="30")),
        "2.mp4": media.clip(),
        "音频/朗读.m4a": media.clip(GOOD.but(video=False)),
        "._2.mp4": media.clip(),
    })
    (folder / "说明.txt").write_text("notes", encoding="utf-8")
    return folder


def test_check_without_manifest_runs_the_video_rules_in_name_order(unlisted: Path) -> None:
    run = check_json(unlisted)
    (course,) = run.report["courses"]
    assert [lesson["file"] for lesson in course["lessons"]] == ["2.mp4", "10.mp4",
                                                               "音频/朗读.m4a"]
    found = [(f["rule"], f["file"], f["line"]) for f in course["findings"]]
    assert found[:2] == [("C001", "course.yaml", None), ("V105", "10.mp4", None)]
    # an audio lesson is probed and checked too (today: V101 not MP4, V102 no picture)
    assert found[2:] and all(rule.startswith("V") and file == "音频/朗读.m4a" and line is None
                             for rule, file, line in found[2:])
    assert "coursecheck init" in course["findings"][0]["message"]
    assert run.exit_code == 1


def test_c001_points_to_init_in_chinese(unlisted: Path) -> None:
    run = run_cli("check", unlisted, "--format", "json", "--lang", "zh")
    (c001,) = run.findings("C001")
    assert "运行 `coursecheck init 课程文件夹`" in c001["message"]
    assert run.exit_code == 1


def test_good_videos_without_manifest_get_only_c001(tmp_path: Path, media: Media) -> None:
    folder = _folder(tmp_path / "素材", media, {"01.mp4": media.clip(), "02.mp4": media.clip()})
    run = check_json(folder)
    assert [f["rule"] for f in run.findings()] == ["C001"]
    assert run.exit_code == 1


def test_audit_lists_folders_of_media_without_manifest(tmp_path: Path, media: Media) -> None:
    root = tmp_path / "收到的课程"
    Course.good(root / "有清单", media).build()
    (root / "有清单" / "花絮").mkdir()
    os.link(media.clip(GOOD.but(fps="30")), root / "有清单" / "花絮" / "extra.mp4")  # in a course
    _folder(root / "无清单", media, {"01.mp4": media.clip(GOOD.but(fps="30"))})
    _folder(root / "分文件夹", media, {"视频/01.mp4": media.clip(), "lessons/02.mp4": media.clip()})
    run = run_cli("audit", root, "--format", "json", "--lang", "en")
    courses = {Path(c["path"]).name: c for c in run.report["courses"]}
    assert set(courses) == {"有清单", "无清单", "分文件夹"}
    assert [(f["rule"], f["file"]) for f in courses["无清单"]["findings"]] == [
        ("C001", "course.yaml"), ("V105", "01.mp4")]
    assert [lesson["file"] for lesson in courses["分文件夹"]["lessons"]] == [
        "lessons/02.mp4", "视频/01.mp4"]
    assert [f["rule"] for f in courses["分文件夹"]["findings"]] == ["C001"]
    assert courses["有清单"]["verdict"] == "warn"  # C204 for 花絮/extra.mp4, not a course
    assert run.report["audit"]["courses_found"] == 3
    assert run.exit_code == 1


def test_a_folder_without_manifest_does_not_take_the_lessons_of_a_course_inside_it(
        tmp_path: Path, media: Media) -> None:
    root = tmp_path / "省"
    _folder(root / "江苏", media, {"散落.mp4": media.clip(GOOD.but(fps="30"))})
    Course.good(root / "江苏" / "课程甲", media).build()
    run = run_cli("audit", root, "--format", "json", "--lang", "en")
    courses = {Path(c["path"]).name: c for c in run.report["courses"]}
    assert set(courses) == {"江苏", "课程甲"}
    assert [lesson["file"] for lesson in courses["江苏"]["lessons"]] == ["散落.mp4"]
    assert [(f["rule"], f["file"]) for f in courses["江苏"]["findings"]] == [
        ("C001", "course.yaml"), ("V105", "散落.mp4")]
    assert courses["课程甲"]["verdict"] == "pass"
    assert run.exit_code == 1

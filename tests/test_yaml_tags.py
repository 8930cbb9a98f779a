"""Small holes of issue 15 §3: impossible YAML tags are C002, a trailing slash is C201, C107
names no absolute path, audit reports a FIFO or dangling course.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.helpers import Course, check_json, needs_mkfifo, run_cli


@pytest.mark.parametrize("tagged", ["!!timestamp nope", "!!bool maybe"])
def test_a_tag_with_an_impossible_value_is_c002_on_its_line(course: Course, tagged: str) -> None:
    text = yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False)
    course.manifest_text = text.replace("\nintro:", f"\nnote: {tagged}\nintro:", 1)
    root = course.build()
    run = check_json(root)
    assert run.where("C002") == [("course.yaml", course.line_of("note:"))]
    assert tagged.split()[1] in run.findings("C002")[0]["message"]
    assert run.findings("X001") == [] and run.exit_code == 1


def test_a_lesson_path_with_a_trailing_slash_is_c201(course: Course) -> None:
    course.manifest["lessons"][0]["file"] = "lessons/01.mp4/"
    root = course.build()
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/01.mp4/"))]
    assert "'lessons/01.mp4/'" in run.findings("C201")[0]["message"]
    assert "ends with '/'" in run.findings("C201")[0]["message"]
    assert run.exit_code == 1


def test_an_unreadable_cover_names_no_absolute_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from coursecheck.cover import read_image

    cover = tmp_path / "cover.jpg"

    def refuse(path: Path, *args: object) -> object:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Image, "open", refuse)
    error = read_image(cover).error or ""
    assert error == "unreadable: Permission denied" and str(tmp_path) not in error


@needs_mkfifo
def test_audit_reports_a_fifo_or_dangling_course_yaml_as_c002(tmp_path: Path) -> None:
    import os

    for name in ("fifo", "dangling"):
        (tmp_path / "tree" / name).mkdir(parents=True)
    os.mkfifo(tmp_path / "tree" / "fifo" / "course.yaml")
    (tmp_path / "tree" / "dangling" / "course.yaml").symlink_to(tmp_path / "gone.yaml")
    run = run_cli("audit", tmp_path / "tree", "--format", "json", "--no-cache", "--jobs", "1")
    found = {c["path"].rsplit("/", 1)[1]: [(f["rule"], f["file"]) for f in c["findings"]]
             for c in run.report["courses"]}
    assert found == {"fifo": [("C002", "course.yaml")], "dangling": [("C002", "course.yaml")]}
    assert run.exit_code == 1

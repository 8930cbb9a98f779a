"""Which course a command-line path names, and that every spelling of it is checked alike."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import Course, check_json


@pytest.mark.parametrize("named", ["course", "course/lessons/01.mp4"])
def test_a_manifest_linked_outside_is_never_read_however_the_course_is_named(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, named: str) -> None:
    # pre-commit names changed files inside the course, relative to the repository root
    root = course.build()
    outside = tmp_path / "elsewhere.yaml"
    (root / "course.yaml").rename(outside)
    os.symlink(outside, root / "course.yaml")
    monkeypatch.chdir(root.parent)
    run = check_json(Path(named))
    assert run.where("C002") == [("course.yaml", None)]
    assert "outside the course folder" in run.findings("C002")[0]["message"]
    assert run.report["courses"][0]["name"] is None  # its content was not used
    assert run.exit_code == 1

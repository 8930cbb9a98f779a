"""Issue 9 §6: a path whose upper/lower case differs from the disk is C205, on every OS.

The check compares folder listings, never the file system's own matching, so these tests on a
case-sensitive disk also stand for Windows and macOS; the last one simulates a case-insensitive
disk by making the file system say "found" for the wrongly cased path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursecheck import paths
from coursecheck.paths import PathStatus, Resolved, resolve_listed
from tests.helpers import Course, check_json, run_cli


def _recase_on_disk(course: Course, old: str, new: str) -> None:
    """Store the clip of lesson file ``old`` under the name ``new``, leaving the manifest."""
    course.files[new] = course.files.pop(old)


def test_a_lesson_whose_case_differs_is_c205_naming_the_real_file(course: Course) -> None:
    for number in range(1, 11):  # the folder is Lessons/, one file is also .MP4
        new = "Lessons/01.MP4" if number == 1 else f"Lessons/{number:02d}.mp4"
        _recase_on_disk(course, f"lessons/{number:02d}.mp4", new)
    root = course.build()
    run = check_json(root)
    lines = [course.line_of(f"lessons/{n:02d}.mp4") for n in range(1, 11)]
    assert run.where("C205") == [("course.yaml", line) for line in lines]
    first = run.findings("C205")[0]
    assert "'Lessons/01.MP4'" in first["message"] and first["expected"] == "Lessons/01.MP4"
    assert run.findings("C201") == [] and run.findings("C204") == []  # not missing, not unlisted
    assert len(run.report["courses"][0]["lessons"]) == 10
    assert run.report["courses"][0]["lessons"][0]["duration_s"] is not None  # still probed
    assert run.exit_code == 1
    zh = run_cli("check", root, "--format", "json", "--lang", "zh")
    assert "大小写不一致" in zh.report["courses"][0]["findings"][0]["message"]


def test_a_cover_whose_case_differs_is_c205(course: Course) -> None:
    root = course.build()
    (root / "cover.jpg").rename(root / "Cover.JPG")
    run = check_json(root)
    assert run.where("C205") == [("course.yaml", course.line_of("cover:"))]
    assert run.findings("C107") == []
    assert run.exit_code == 1


def test_exactly_spelt_paths_have_no_c205(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings() == [] and run.exit_code == 0


def test_backslash_paths_keep_working(course: Course) -> None:
    for lesson in course.manifest["lessons"]:
        lesson["file"] = lesson["file"].replace("/", "\\")
    root = course.build()
    assert "file: lessons\\01.mp4\n" in (root / "course.yaml").read_text(encoding="utf-8")
    run = check_json(root)
    assert run.findings() == [] and run.exit_code == 0


def test_a_backslash_path_with_the_wrong_case_is_c205(course: Course) -> None:
    course.manifest["lessons"][2]["file"] = "LESSONS\\03.mp4"
    root = course.build()
    run = check_json(root)
    assert run.where("C205") == [("course.yaml", course.line_of("LESSONS"))]
    assert "'lessons/03.mp4'" in run.findings("C205")[0]["message"]


def test_did_you_mean_compares_without_case_first(course: Course) -> None:
    _recase_on_disk(course, "lessons/05.mp4", "lessons/Lesson05.mp4")
    _recase_on_disk(course, "lessons/06.mp4", "lessons/lesson-5.mp4")
    course.manifest["lessons"][4]["file"] = "lessons/LESSON5.mp4"
    course.manifest["lessons"][5]["file"] = "lessons/lesson-5.mp4"
    run = check_json(course.build())
    assert run.where("C201") == [("course.yaml", course.line_of("LESSON5"))]
    assert "did you mean 'lessons/Lesson05.mp4'" in run.findings("C201")[0]["message"]


def test_a_case_insensitive_disk_gives_the_same_answer(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Lessons").mkdir()
    (tmp_path / "Lessons" / "01.MP4").write_bytes(b"x")
    real = paths.resolve_inside

    def like_windows(root: Path, written: str) -> Resolved:
        """The file system finds the file whatever the case, as NTFS and APFS do."""
        found = real(root, written.lower().replace("lessons", "Lessons").replace(".mp4", ".MP4"))
        return Resolved(paths.to_posix(written), found.status, found.real)

    monkeypatch.setattr(paths, "resolve_inside", like_windows)
    assert like_windows(tmp_path, "lessons/01.mp4").status is PathStatus.OK
    resolved = resolve_listed(tmp_path, "lessons/01.mp4")
    assert resolved.status is PathStatus.OK and resolved.on_disk == "Lessons/01.MP4"
    assert resolve_listed(tmp_path, "Lessons/01.MP4").on_disk is None

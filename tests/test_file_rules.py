"""C201–C204: the files a manifest names, and the videos it forgets."""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import (
    GOOD,
    Course,
    Media,
    check_json,
    check_json_or_fail_if_blocked,
    link_or_copy,
    needs_mkfifo,
)


def test_missing_lesson_file_is_c201_at_its_manifest_line(course: Course) -> None:
    course.files["lessons/04.mp4"] = None
    root = course.build()
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/04.mp4"))]
    assert run.exit_code == 1


def test_a_renamed_lesson_is_suggested_not_another_lessons_file(course: Course) -> None:
    course.files["lessons/第4课.mp4"] = course.files.pop("lessons/04.mp4")  # renamed on disk
    root = course.build()
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/04.mp4"))]
    assert run.findings("C201")[0]["message"] == ("Lesson file 'lessons/04.mp4' does not exist; "
                                                  "did you mean 'lessons/第4课.mp4'?")
    assert run.exit_code == 1


def test_a_missing_lesson_is_not_pointed_at_a_file_another_lesson_uses(course: Course) -> None:
    course.files["lessons/04.mp4"] = None
    root = course.build()
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/04.mp4"))]
    assert run.findings("C201")[0]["message"] == ("Lesson file 'lessons/04.mp4' does not exist: "
                                                  "correct its `file`, or put the video there.")


def test_wrong_case_lesson_path_is_c205_not_c201(course: Course) -> None:
    course.manifest["lessons"][3]["file"] = "Lessons/04.MP4"  # issue 9 §6: a rule of its own
    run = check_json(course.build())
    assert run.findings("C201") == []
    assert run.where("C205") == [("course.yaml", course.line_of("Lessons/04.MP4"))]
    assert "'lessons/04.mp4'" in run.findings("C205")[0]["message"]


def test_existing_lesson_files_pass_c201(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings("C201") == []
    assert run.exit_code == 0


def test_dot_dot_lesson_path_is_c202_and_never_probed(course: Course, media: Media) -> None:
    outside = course.root.parent / "outside.mp4"
    course.manifest["lessons"][1]["file"] = "../outside.mp4"
    root = course.build()
    link_or_copy(media.clip(GOOD.but(width=1920, height=1080)), outside)
    run = check_json(root)
    assert run.where("C202") == [("course.yaml", course.line_of("../outside.mp4"))]
    assert run.findings("V104") == []  # it was not probed
    assert run.exit_code == 1


def test_absolute_lesson_path_is_c202(course: Course, media: Media) -> None:
    clip = media.clip()
    course.manifest["lessons"][1]["file"] = str(clip)
    root = course.build()
    run = check_json(root)
    assert run.where("C202") == [("course.yaml", course.line_of(str(clip)))]
    assert "absolute" in run.findings("C202")[0]["message"]


def test_symlink_pointing_outside_is_c202(course: Course, media: Media) -> None:
    root = course.build()
    target = root / "lessons/02.mp4"
    target.unlink()
    os.symlink(media.clip(GOOD.but(fps="30")), target)
    run = check_json(root)
    assert run.where("C202") == [("course.yaml", course.line_of("lessons/02.mp4"))]
    assert run.findings("V105") == []
    assert run.exit_code == 1


@needs_mkfifo
def test_symlink_to_fifo_outside_is_c202_and_never_opened(course: Course) -> None:
    root = course.build()
    fifo = root.parent / "pipe"
    os.mkfifo(fifo)
    target = root / "lessons/02.mp4"
    target.unlink()
    os.symlink(fifo, target)
    run = check_json_or_fail_if_blocked(root, fifo)
    assert run.where("C202") == [("course.yaml", course.line_of("lessons/02.mp4"))]
    assert run.findings("V001") == []


def test_symlink_inside_the_folder_passes_c202(course: Course) -> None:
    root = course.build()
    (root / "lessons/02.mp4").unlink()
    os.symlink("01.mp4", root / "lessons/02.mp4")
    run = check_json(root)
    assert run.findings("C202") == []


def test_two_lessons_naming_one_file_is_c203_on_the_second(course: Course) -> None:
    course.manifest["lessons"][5]["file"] = "lessons/01.mp4"
    del course.files["lessons/06.mp4"]
    root = course.build()
    run = check_json(root)
    assert run.where("C203") == [("course.yaml", course.line_of("lessons/01.mp4", nth=2))]
    assert "Lesson 6" in run.findings("C203")[0]["message"]
    assert "lesson 1" in run.findings("C203")[0]["message"]
    assert run.exit_code == 1


def test_symlink_to_another_lesson_is_also_c203(course: Course) -> None:
    root = course.build()
    (root / "lessons/02.mp4").unlink()
    os.symlink("01.mp4", root / "lessons/02.mp4")
    run = check_json(root)
    assert run.where("C203") == [("course.yaml", course.line_of("lessons/02.mp4"))]


def test_distinct_lesson_files_pass_c203(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings("C203") == []


def test_unlisted_video_is_c204_at_that_file(course: Course, media: Media) -> None:
    course.files["extra/旧版.mov"] = media.clip(GOOD.but(container="mov"))
    run = check_json(course.build())
    assert run.where("C204") == [("extra/旧版.mov", None)]
    assert run.findings("V101") == []  # an unlisted file is not probed
    assert run.exit_code == 0


def test_hidden_folders_and_non_videos_pass_c204(course: Course, media: Media) -> None:
    course.files[".git/objects/x.mp4"] = media.clip()
    root = course.build()
    (root / "notes.txt").write_text("备注", encoding="utf-8")
    run = check_json(root)
    assert run.findings("C204") == []


def test_listed_path_written_with_dot_slash_passes_c204(course: Course) -> None:
    course.manifest["lessons"][0]["file"] = "./lessons/01.mp4"
    run = check_json(course.build())
    assert run.findings("C204") == [] and run.findings("C201") == []


def test_lesson_path_with_a_nul_is_c201_invalid(course: Course) -> None:
    course.manifest["lessons"][2]["file"] = "lessons/03\x00.mp4"
    root = course.build()
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/03"))]
    assert "not a valid file name" in run.findings("C201")[0]["message"]
    assert run.exit_code == 1


def test_symlink_loop_is_c201_unreachable_without_a_suggestion(course: Course) -> None:
    root = course.build()
    (root / "lessons/03.mp4").unlink()
    os.symlink("03.mp4", root / "lessons/03.mp4")
    run = check_json(root)
    assert run.where("C201") == [("course.yaml", course.line_of("lessons/03.mp4"))]
    message = run.findings("C201")[0]["message"]
    assert "cannot be reached" in message and "did you mean" not in message


def test_manifest_linked_to_a_file_outside_is_c002_and_never_read(course: Course,
                                                                  tmp_path: Path) -> None:
    root = course.build()
    outside = tmp_path / "elsewhere.yaml"
    (root / "course.yaml").rename(outside)
    os.symlink(outside, root / "course.yaml")
    run = check_json(root)
    assert run.where("C002") == [("course.yaml", None)]
    assert "outside the course folder" in run.findings("C002")[0]["message"]
    assert run.report["courses"][0]["name"] is None  # its content was not used
    assert run.exit_code == 1


def test_lesson_path_with_surrounding_spaces_is_not_c204(course: Course) -> None:
    course.manifest["lessons"][2]["file"] = " lessons/03.mp4 "
    run = check_json(course.build())
    assert run.findings("C204") == [] and run.findings("C201") == []

"""C101–C108: what Annex 2 asks of the course metadata and cover, on real course folders."""

from __future__ import annotations

import pytest

from coursecheck.spec import THEMES
from tests.helpers import Course, Media, check_json, run_cli

HUNDRED = "课" * 99 + "A"  # a Chinese character and a Latin letter each count as one


def test_intro_of_101_chars_is_an_error(course: Course) -> None:
    course.manifest["intro"] = HUNDRED + "。"  # a full-width mark counts as one too
    root = course.build()
    run = check_json(root)
    assert run.where("C101") == [("course.yaml", course.line_of("intro:"))]
    finding = run.findings("C101")[0]
    assert "101" in finding["message"] and finding["actual"] == "101"
    assert run.exit_code == 1


def test_intro_of_100_chars_passes(course: Course) -> None:
    course.manifest["intro"] = "  " + HUNDRED + "\n"  # surrounding white space is not counted
    run = check_json(course.build())
    assert run.findings("C101") == []
    assert run.exit_code == 0


def test_intro_counts_nfc_code_points(course: Course) -> None:
    # 99 + "é" written as e + combining accent: two code points, one after NFC.
    course.manifest["intro"] = "课" * 99 + "e\u0301"
    run = check_json(course.build())
    assert run.findings("C101") == []


def test_instructor_intro_of_101_chars_is_an_error(course: Course) -> None:
    course.manifest["instructor"]["intro"] = HUNDRED + "！"
    root = course.build()
    run = check_json(root)
    assert run.where("C102") == [("course.yaml", course.line_of("  intro:"))]
    assert run.exit_code == 1


def test_instructor_intro_of_100_chars_passes(course: Course) -> None:
    course.manifest["instructor"]["intro"] = HUNDRED
    run = check_json(course.build())
    assert run.findings("C102") == []
    assert run.exit_code == 0


def test_course_created_2022_05_31_is_too_old(course: Course) -> None:
    course.manifest["created"] = "2022-05-31"
    root = course.build()
    run = check_json(root)
    assert run.where("C103") == [("course.yaml", course.line_of("created:"))]
    assert run.findings("C103")[0]["actual"] == "2022-05-31"
    assert run.exit_code == 1


def test_course_created_2022_06_01_is_new_enough(course: Course) -> None:
    course.manifest["created"] = "2022-06-01"
    run = check_json(course.build())
    assert run.findings("C103") == []
    assert run.exit_code == 0


def test_nine_lessons_is_too_few(course: Course) -> None:
    course.manifest["lessons"].pop()
    del course.files["lessons/10.mp4"]
    root = course.build()
    run = check_json(root)
    assert run.where("C104") == [("course.yaml", course.line_of("lessons:"))]
    assert run.findings("C104")[0]["actual"] == "9"
    assert run.exit_code == 1


def test_ten_lessons_are_enough(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings("C104") == []
    assert run.exit_code == 0


@pytest.mark.parametrize("theme", THEMES)
def test_each_official_theme_passes(course: Course, theme: str) -> None:
    course.manifest["theme"] = theme
    run = check_json(course.build())
    assert run.findings("C105") == []
    assert run.exit_code == 0


def test_near_miss_theme_is_c105_with_closest_suggestion(course: Course) -> None:
    course.manifest["theme"] = "老年人智慧生活"
    root = course.build()
    run = check_json(root)
    assert run.where("C105") == [("course.yaml", course.line_of("theme:"))]
    finding = run.findings("C105")[0]
    assert finding["expected"] == "老年智慧生活"
    assert "社区治理与应急管理" in finding["message"]  # the message lists the themes
    assert run.exit_code == 1


def test_missing_declarations_block_is_c106_not_c003(course: Course) -> None:
    del course.manifest["declarations"]
    run = check_json(course.build())
    assert run.where("C106") == [("course.yaml", 1)]  # the top of the manifest
    assert run.findings("C003") == []
    assert run.exit_code == 1


@pytest.mark.parametrize("value", [False, "是", "true", None])
def test_declaration_not_literally_true_is_c106(course: Course, value: object) -> None:
    course.manifest["declarations"]["no_copyright_dispute"] = value
    root = course.build()
    run = check_json(root)
    assert run.where("C106") == [("course.yaml", course.line_of("no_copyright_dispute"))]
    assert run.findings("C003") == []
    assert run.exit_code == 1


def test_missing_single_declaration_is_c106(course: Course) -> None:
    del course.manifest["declarations"]["open_sharing_consent"]
    root = course.build()
    run = check_json(root)
    assert run.where("C106") == [("course.yaml", course.line_of("declarations:"))]
    assert "open_sharing_consent" in run.findings("C106")[0]["message"]


def test_all_declarations_true_pass(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings("C106") == []


def test_missing_cover_file_is_c107_at_the_manifest_line(course: Course) -> None:
    course.cover = None
    root = course.build()
    run = check_json(root)
    assert run.where("C107") == [("course.yaml", course.line_of("cover:"))]
    assert run.findings("C107")[0]["message"] == (
        "The cover image 'cover.jpg' does not exist: put the image in the course folder under "
        "that name, or correct `cover`.")
    assert run.exit_code == 1
    zh = run_cli("check", root, "--format", "json", "--lang", "zh")
    assert zh.findings("C107")[0]["message"] == (
        "首页图片“cover.jpg”不存在：请把图片以这个名字放进课程文件夹，或改正 cover。")


def test_cover_that_is_not_an_image_is_c107(course: Course) -> None:
    root = course.build()
    (root / "cover.jpg").unlink()
    (root / "cover.jpg").write_text("not a picture", encoding="utf-8")
    run = check_json(root)
    assert run.where("C107") == [("cover.jpg", None)]
    assert run.exit_code == 1


def test_truncated_jpeg_cover_is_c107(course: Course) -> None:
    root = course.build()
    data = (root / "cover.jpg").read_bytes()
    (root / "cover.jpg").unlink()
    (root / "cover.jpg").write_bytes(data[: len(data) // 2])
    run = check_json(root)
    assert run.where("C107") == [("cover.jpg", None)]


def test_webp_cover_is_c107(course: Course, media: Media) -> None:
    course.cover = media.cover(fmt="WEBP")
    course.manifest["cover"] = "cover.webp"
    run = check_json(course.build())
    assert run.where("C107") == [("cover.webp", None)]
    assert run.findings("C107")[0]["actual"] == "WEBP"


def test_png_cover_passes(course: Course, media: Media) -> None:
    course.cover = media.cover(fmt="PNG")
    course.manifest["cover"] = "cover.png"
    run = check_json(course.build())
    assert run.findings("C107") == [] and run.findings("C108") == []
    assert run.exit_code == 0


def test_cover_outside_folder_is_c107_and_not_opened(course: Course) -> None:
    course.manifest["cover"] = "../cover.jpg"
    run = check_json(course.build())
    assert run.where("C107") == [("course.yaml", course.line_of("cover:"))]
    assert "outside" in run.findings("C107")[0]["message"]


@pytest.mark.parametrize(("width", "height"), [(400, 400), (600, 338), (1280, 1024)])
def test_small_or_non_16_9_cover_is_c108(course: Course, media: Media, width: int,
                                         height: int) -> None:
    course.cover = media.cover(width, height)
    run = check_json(course.build())
    assert run.where("C108") == [("cover.jpg", None)]
    assert run.findings("C108")[0]["actual"] == f"{width}×{height}"
    assert run.exit_code == 0  # a warning only


def test_640x360_cover_passes_c108(course: Course, media: Media) -> None:
    course.cover = media.cover(640, 360)
    run = check_json(course.build())
    assert run.findings("C108") == []

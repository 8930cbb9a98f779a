"""Issue 9 §4: the mistakes Chinese authors make in course.yaml, each named with its fix and line.

Every test writes the manifest as a person would type it (a Chinese input method, Notepad) into a
real course folder of real clips, and reads the finding in Chinese and in English.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from tests.helpers import Course, check_json, run_cli


def typed(course: Course, *edits: tuple[str, str]) -> str:
    """The passing manifest as YAML text, with each ``(old, new)`` replaced once."""
    text = yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def check_zh(root: Path) -> list[dict[str, object]]:
    """The findings of ``check --lang zh`` in JSON."""
    run = run_cli("check", root, "--format", "json", "--lang", "zh")
    return [f for c in run.report["courses"] for f in c["findings"]]


def test_fullwidth_colon_is_named_at_its_line_and_the_rest_is_still_checked(
        course: Course) -> None:
    course.manifest_text = typed(course, ("name: 老年人", "name：老年人"),
                                 ("  intro: 社区学校", "  intro：社区学校"))
    root = course.build()
    run = check_json(root)
    assert run.where("C002") == [("course.yaml", 1), ("course.yaml", course.line_of("intro："))]
    assert "name: " in run.findings("C002")[0]["message"]
    assert run.report["courses"][0]["name"] == "老年人智能手机使用入门"  # read despite the slip
    assert [f["rule"] for f in run.findings()] == ["C002", "C002"]
    assert run.exit_code == 1
    zh = check_zh(root)
    assert "全角冒号" in str(zh[0]["message"]) and "name: " in str(zh[0]["message"])


def test_fullwidth_spaces_as_indentation_are_named(course: Course) -> None:
    course.manifest_text = typed(course, ("  name: 李明", "\u3000name: 李明"),
                                 ("  intro: 社区学校", "\u3000intro: 社区学校"))
    root = course.build()
    run = check_json(root)
    line = course.line_of("\u3000name")
    assert run.where("C002") == [("course.yaml", line), ("course.yaml", line + 1)]
    assert run.findings("C003") == []  # the instructor block was read as meant
    assert "全角空格" in str(check_zh(root)[0]["message"])
    assert run.exit_code == 1


def test_fullwidth_space_inside_a_value_is_not_a_slip(course: Course) -> None:
    course.manifest["intro"] = "本课程面向社区老年居民。\u3000\u3000讲解智能手机。"
    run = check_json(course.build())
    assert run.findings() == [] and run.exit_code == 0


def test_tab_indentation_is_named_at_its_line(course: Course) -> None:
    course.manifest_text = typed(course, ("  name: 王老师", "\tname: 王老师"),
                                 ("  phone: '13800138000'", "\tphone: '13800138000'"))
    root = course.build()
    run = check_json(root)
    line = course.line_of("\tname")
    assert run.where("C002") == [("course.yaml", line), ("course.yaml", line + 1)]
    assert "tab" in run.findings("C002")[0]["message"]
    assert "Tab" in str(check_zh(root)[0]["message"])
    assert run.exit_code == 1


@pytest.mark.parametrize("level", ["乡镇（街道）", "县（市、区）", "村（社区）", "县", "乡镇",
                                   "街道", "村", "社区", "乡镇(街道)"])
def test_the_annex_words_for_the_level_are_accepted(course: Course, level: str) -> None:
    course.manifest["level"] = level
    run = check_json(course.build())
    assert run.findings() == [] and run.exit_code == 0


def test_an_unknown_level_says_which_words_are_accepted(course: Course) -> None:
    course.manifest["level"] = "市级"
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("level:"))]
    assert "乡镇（街道）" in str(check_zh(root)[0]["message"])
    assert run.exit_code == 1


@pytest.mark.parametrize(("written", "octal"), [("02164321765", True), ("13800138000", False)])
def test_a_phone_without_quotes_is_c003_with_the_hint_to_quote_it(
        course: Course, written: str, octal: bool) -> None:
    course.manifest_text = typed(course, ("phone: '13800138000'", f"phone: {written}"))
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("phone:"))]
    found = run.findings("C003")[0]
    assert f'"{written}"' in found["message"] and found["actual"] == written
    assert ("298951669" in found["message"]) is octal
    assert "引号" in str(check_zh(root)[0]["message"])
    assert run.exit_code == 1


def test_the_workbook_never_holds_an_altered_phone(course: Course, tmp_path: Path) -> None:
    course.manifest_text = typed(course, ("phone: '13800138000'", "phone: 02164321765"))
    root = course.build()
    run = run_cli("audit", root.parent, "--format", "json", "--jobs", "1", "--xlsx",
                  tmp_path / "s.xlsx")
    assert [f["rule"] for f in run.findings()] == ["C003"] and run.exit_code == 1
    # Even with C003 turned off, so that the course is listed, the octal reading never shows.
    run = run_cli("audit", root.parent, "--format", "json", "--jobs", "1", "--ignore", "C003",
                  "--xlsx", tmp_path / "s.xlsx")
    cells = [str(c.value) for row in load_workbook(tmp_path / "s.xlsx").worksheets[0].iter_rows()
             for c in row if c.value is not None]
    assert "王老师" in cells and not any("298951669" in cell for cell in cells)


@pytest.mark.parametrize("written", ["2023年3月15日", "2023/3/15", "2023.3.15", "2023-3-15"])
def test_unambiguous_date_forms_are_accepted(course: Course, written: str) -> None:
    course.manifest["created"] = written
    run = check_json(course.build())
    assert run.findings() == [] and run.exit_code == 0


def test_a_date_in_no_known_form_says_which_forms_are(course: Course) -> None:
    course.manifest["created"] = "2023年3月"
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("created:"))]
    assert "2023年3月" in run.findings("C003")[0]["message"]
    assert "2023年6月1日" in str(check_zh(root)[0]["message"])


def test_a_false_promise_is_spelt_as_yaml_spells_it(course: Course) -> None:
    course.manifest["declarations"]["public_welfare"] = False
    root = course.build()
    run = check_json(root)
    assert run.where("C106") == [("course.yaml", course.line_of("public_welfare"))]
    message = run.findings("C106")[0]["message"]
    assert "false" in message and "False" not in message
    assert "False" not in str(check_zh(root)[0]["message"])


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_a_utf16_manifest_is_read_and_named(course: Course, codec: str) -> None:
    root = course.build()
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_bytes(text.encode(codec))
    run = check_json(root)
    assert run.where("C004") == [("course.yaml", None)]
    assert "UTF-16" in run.findings("C004")[0]["message"]
    assert run.report["courses"][0]["name"] == "老年人智能手机使用入门"
    zh = str(check_zh(root)[0]["message"])
    assert "Unicode" in zh and "UTF-8" in zh
    assert run.exit_code == 0


@pytest.mark.parametrize("name", ["course.yaml.txt", "Course.yaml", "course.yaml ", "课程.yaml",
                                  "COURSE.YML"])
def test_a_misnamed_manifest_is_named_with_what_to_rename_it_to(course: Course,
                                                                name: str) -> None:
    root = course.build()
    (root / "course.yaml").rename(root / name)
    run = check_json(root)
    assert run.where("C001") == [(name, None)]
    assert f"'{name}'" in run.findings("C001")[0]["message"]
    zh = str(check_zh(root)[0]["message"])
    assert f"“{name}”" in zh and "改名为 course.yaml" in zh
    assert run.exit_code == 1

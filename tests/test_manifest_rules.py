"""C001–C004: finding, decoding, parsing and shaping course.yaml — on real course folders."""

from __future__ import annotations

import pytest
import yaml

from tests.helpers import Course, check_json, run_cli


def test_folder_without_manifest_is_c001(course: Course) -> None:
    root = course.build()
    (root / "course.yaml").unlink()
    run = check_json(root)
    assert run.where("C001") == [("course.yaml", None)]
    assert run.exit_code == 1


def test_course_yml_is_accepted_as_manifest(course: Course) -> None:
    root = course.build()
    (root / "course.yaml").rename(root / "course.yml")
    run = check_json(root)
    assert run.findings("C001") == []
    assert run.exit_code == 0


def test_manifest_file_path_is_accepted_as_target(course: Course) -> None:
    root = course.build()
    run = check_json(root / "course.yaml")
    assert run.findings() == []
    assert run.exit_code == 0


def test_invalid_yaml_is_c002_with_its_line(course: Course) -> None:
    course.manifest_text = "name: 课程\ntheme: 老年智慧生活\nintro: [unclosed\ncreated: 2023\n"
    run = check_json(course.build())
    found = run.findings("C002")
    assert len(found) == 1 and found[0]["file"] == "course.yaml"
    assert found[0]["line"] in (3, 4, 5)
    assert run.exit_code == 1


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "'theme' has no space after its colon, so YAML reads the whole line as text. Write "
           "'theme: ' (colon, then a space)."),
    ("zh", "“theme”的冒号后面没有空格，YAML 会把整行当成一段文字。"
           "请写成“theme: ”（半角冒号后加一个空格）。")])
def test_a_colon_without_a_space_is_c002_on_its_own_line_and_the_rest_is_checked(
        course: Course, lang: str, expected: str) -> None:
    root = course.build()
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text.replace("theme: ", "theme:", 1), encoding="utf-8")
    run = run_cli("check", root, "--format", "json", "--lang", lang)
    assert run.where("C002") == [("course.yaml", course.line_of("theme:"))]
    assert run.findings("C002")[0]["message"] == expected
    assert [f["rule"] for f in run.findings()] == ["C002"]  # the theme itself was read
    assert run.exit_code == 1


@pytest.mark.parametrize("text", [
    "cover: http://example.com/cover.jpg\n",  # a URL after a proper colon
    "intro: |\n  note:这是正文里的冒号\n",  # a block of text
    "intro: 第一行\n  note:续行里的冒号\n",  # the next line of a plain text
], ids=["url", "block", "continued"])
def test_a_colon_inside_a_value_is_no_slip(course: Course, text: str) -> None:
    root = course.build()
    with (root / "course.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(text.replace("cover:", "cover_note:").replace("intro:", "remark:"))
    run = check_json(root)
    assert run.where("C002") == []  # no slip: the field is read as written, an unknown one
    assert [line for _, line in run.where("C003")] == [course.line_of("remark:" if "intro" in text
                                                                       else "cover_note:")]
    assert run.exit_code == 1


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The manifest is not valid YAML: could not find the expected ':' (often a colon with "
           "no space after it, on this line or the one above: write 'theme: 老年智慧生活', not "
           "'theme:老年智慧生活')."),
    ("zh", "清单不是有效的 YAML：找不到应有的冒号“:”（常见原因：这一行或上一行的冒号后面少了空格，"
           "如 theme:老年智慧生活 应写成 theme: 老年智慧生活）。")])
def test_a_missing_colon_is_c002_with_the_likely_cause(course: Course, lang: str,
                                                       expected: str) -> None:
    root = course.build()
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text.replace("theme: ", "theme ", 1), encoding="utf-8")
    run = run_cli("check", root, "--format", "json", "--lang", lang)
    assert run.where("C002") == [("course.yaml", course.line_of("theme ") + 1)]
    assert run.findings("C002")[0]["message"] == expected
    assert run.exit_code == 1


def test_manifest_that_is_a_list_is_c002(course: Course) -> None:
    course.manifest_text = "- name: 课程\n- theme: 老年智慧生活\n"
    run = check_json(course.build())
    assert run.where("C002") == [("course.yaml", 1)]
    assert "mapping" in run.findings("C002")[0]["message"]
    assert run.exit_code == 1


def test_empty_manifest_is_c002(course: Course) -> None:
    course.manifest_text = "# nothing here\n"
    run = check_json(course.build())
    assert [f["file"] for f in run.findings("C002")] == ["course.yaml"]
    assert run.exit_code == 1


def test_zero_byte_manifest_is_c002_empty_not_a_utf16_c004(course: Course) -> None:
    root = course.build()
    (root / "course.yaml").write_bytes(b"")
    run = check_json(root)
    assert run.findings("C004") == []
    assert run.where("C002") == [("course.yaml", 1)]
    assert run.findings("C002")[0]["message"] == (
        "The manifest is empty. Run `coursecheck init FOLDER --force` to draft one, then fill it "
        "in.")
    assert run.exit_code == 1


def test_duplicate_key_is_c002_at_the_second_key(course: Course) -> None:
    course.manifest_text = "name: 课程\nintro: 一\nintro: 二\n"
    run = check_json(course.build())
    assert run.where("C002") == [("course.yaml", 3)]


@pytest.mark.timeout(300)  # 9**10 values if expanded: that never ends, so it fails here
def test_alias_bomb_fails_fast_as_c002(course: Course) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    course.manifest_text = "\n".join(lines) + "\n"
    root = course.build()
    run = check_json(root)  # refused, not built
    assert [f["file"] for f in run.findings("C002")] == ["course.yaml"]
    assert "50,000" in run.findings("C002")[0]["message"] or "50000" in run.findings("C002")[0][
        "message"]
    assert run.exit_code == 1


def test_deeply_nested_manifest_is_c002(course: Course) -> None:
    course.manifest_text = "name: " + "[" * 5000 + "]" * 5000 + "\n"
    run = check_json(course.build())
    assert [f["file"] for f in run.findings("C002")] == ["course.yaml"]
    assert run.exit_code == 1


def test_oversized_manifest_is_c002(course: Course) -> None:
    course.manifest_text = "name: 课程\n" + "# padding\n" * 120_000
    run = check_json(course.build())
    assert [f["file"] for f in run.findings("C002")] == ["course.yaml"]
    assert run.exit_code == 1


def test_missing_required_field_is_c003_with_path(course: Course) -> None:
    del course.manifest["theme"]
    run = check_json(course.build())
    found = run.findings("C003")
    assert len(found) == 1
    assert "'theme'" in found[0]["message"]
    assert found[0]["file"] == "course.yaml" and found[0]["line"] == 1
    assert run.exit_code == 1


def test_unknown_key_is_c003_with_a_suggestion(course: Course) -> None:
    course.manifest["intorduction"] = "拼错的字段"
    root = course.build()
    run = check_json(root)
    found = run.findings("C003")
    assert [(f["file"], f["line"]) for f in found] == [("course.yaml",
                                                         course.line_of("intorduction"))]
    assert "did you mean 'intro'" in found[0]["message"]
    assert run.exit_code == 1


def test_wrong_type_nested_is_c003_with_dotted_path_and_line(course: Course) -> None:
    course.manifest["lessons"][2]["title"] = ["not", "text"]
    root = course.build()
    run = check_json(root)
    found = run.findings("C003")
    assert len(found) == 1
    assert "lessons[2].title" in found[0]["message"]
    assert found[0]["line"] == course.line_of("- not")  - 1
    assert found[0]["expected"] == "text"


@pytest.mark.parametrize("field", ["name", "created"])
def test_a_field_left_blank_after_its_colon_is_c003_empty_not_null(course: Course,
                                                                   field: str) -> None:
    course.manifest[field] = None  # written `name: null`; an author writes `name:`
    root = course.build()
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_text(text.replace(f"{field}: null", f"{field}:"), "utf-8")
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of(f"{field}:"))]
    assert run.findings("C003")[0]["message"] == f"Field '{field}' must not be empty."
    assert run.exit_code == 1
    zh = run_cli("check", root, "--format", "json", "--lang", "zh")
    assert zh.findings("C003")[0]["message"] == f"字段“{field}”不能为空。"


def test_empty_name_is_c003(course: Course) -> None:
    course.manifest["name"] = "   "
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("name:"))]
    assert "must not be empty" in run.findings("C003")[0]["message"]


def test_bad_lesson_entry_does_not_stop_the_other_lessons_being_checked(course: Course) -> None:
    from tests.helpers import GOOD

    course.set_lesson(5, GOOD.but(fps="30"))
    del course.manifest["lessons"][0]["title"]
    run = check_json(course.build())
    assert len(run.findings("C003")) == 1
    assert run.where("V105") == [("lessons/05.mp4", None)]
    assert run.exit_code == 1


def test_good_manifest_has_no_c002_c003(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings("C002") == [] and run.findings("C003") == []
    assert run.exit_code == 0


def test_gbk_manifest_is_read_with_c004(course: Course) -> None:
    root = course.build()
    text = (root / "course.yaml").read_text(encoding="utf-8")
    (root / "course.yaml").write_bytes(text.encode("gbk"))
    run = check_json(root)
    assert run.where("C004") == [("course.yaml", None)]
    assert "UTF-8" in run.findings("C004")[0]["message"]
    assert run.report["courses"][0]["name"] == "老年人智能手机使用入门"
    assert [f["rule"] for f in run.findings()] == ["C004"]
    assert run.exit_code == 0


def test_utf8_with_bom_is_read_without_c004(course: Course) -> None:
    root = course.build()
    data = (root / "course.yaml").read_bytes()
    (root / "course.yaml").write_bytes(b"\xef\xbb\xbf" + data)
    run = check_json(root)
    assert run.findings() == []
    assert run.exit_code == 0


def test_binary_manifest_is_c002(course: Course) -> None:
    root = course.build()
    (root / "course.yaml").write_bytes(b"\xff\xfe\x00\x81\x00" * 10)
    run = check_json(root)
    assert [f["rule"] for f in run.findings() if f["file"] == "course.yaml"] == ["C002"]
    assert run.exit_code == 1




def test_impossible_date_is_c002_with_its_line(course: Course) -> None:
    course.manifest_text = "name: 课程\ntheme: 老年智慧生活\ncreated: 2023-02-30\n"
    run = check_json(course.build())
    assert run.where("C002") == [("course.yaml", 3)]
    assert "2023-02-30" in run.findings("C002")[0]["message"]
    assert run.exit_code == 1


def test_enormous_integer_is_c002_not_a_crash(course: Course) -> None:
    course.manifest_text = "name: 课程\nmin: " + "9" * 5000 + "\n"
    run = check_json(course.build())
    assert run.where("C002") == [("course.yaml", 2)]


def test_depth_hidden_behind_a_chain_of_aliases_is_c002(course: Course) -> None:
    lines = ["a0: &a0 " + "[" * 20 + "x" + "]" * 20]
    lines += [f"a{i}: &a{i} " + "[" * 20 + f"*a{i - 1}" + "]" * 20 for i in range(1, 45)]
    course.manifest_text = "\n".join(lines) + "\n"
    run = check_json(course.build())
    assert [f["file"] for f in run.findings("C002")] == ["course.yaml"]
    assert "deeper than 32" in run.findings("C002")[0]["message"]


def test_control_character_is_c002_with_its_line(course: Course) -> None:
    course.manifest_text = "name: 课程\ntheme: 老年\x07智慧生活\n"
    run = check_json(course.build())
    assert run.where("C002") == [("course.yaml", 2)]


def test_typo_in_a_lesson_key_keeps_its_video_checked(course: Course) -> None:
    from tests.helpers import GOOD

    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    course.manifest["lessons"][2]["knowlege_point"] = "拼错的键"
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("knowlege_point"))]
    assert run.where("V104") == [("lessons/03.mp4", None)]
    assert len(run.report["courses"][0]["lessons"]) == 10


@pytest.mark.parametrize("value", [1678838400, "20230315", "2023-03-15T10:00:00"])
def test_created_must_be_a_calendar_date(course: Course, value: object) -> None:
    course.manifest["created"] = value
    root = course.build()
    run = check_json(root)
    assert run.where("C003") == [("course.yaml", course.line_of("created:"))]
    assert run.findings("C003")[0]["expected"] == "YYYY-MM-DD"


def test_created_as_quoted_text_is_accepted(course: Course) -> None:
    # The whole manifest as a person would write it, the date in double quotes (YAML text, not
    # a date); yaml.safe_dump alone would write it in single quotes.
    dumped = yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False)
    course.manifest_text = dumped.replace("created: '2023-03-15'", 'created: "2023-03-15"')
    assert 'created: "2023-03-15"\n' in course.manifest_text  # the setup did what it says
    run = check_json(course.build())
    assert run.findings("C003") == [] and run.exit_code == 0

"""Project configuration: where it is found, what it changes, and every way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import (
    GOOD,
    Course,
    Media,
    Run,
    check_json,
    run_cli,
    run_process,
    spy_on_config_parsing,
)

SILENT_V204 = "rules:\n  V204: off\n"


@pytest.fixture(autouse=True)
def _repository(tmp_path: Path) -> None:
    """Each test's folder is a repository root, so no config file above it is ever read."""
    (tmp_path / ".git").mkdir()


@pytest.fixture
def no_audio(course: Course) -> Course:
    """The passing course, except lesson 2 has no audio track (warning V204)."""
    course.set_lesson(2, GOOD.but(audio=None))
    return course


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_fired(run: Run) -> set[str]:
    return {f["rule"] for f in run.findings()}


# Where configuration comes from


def test_without_config_the_spec_defaults_apply(no_audio: Course) -> None:
    run = check_json(no_audio.build())
    assert run.where("V204") == [("lessons/02.mp4", None)]
    assert run.findings("V204")[0]["severity"] == "warning"


def test_coursecheck_yaml_in_the_course_folder_silences_v204(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yaml", SILENT_V204)
    run = check_json(root)
    assert run.findings() == [] and run.exit_code == 0


def test_coursecheck_yml_spelling_is_found_too(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yml", SILENT_V204)
    assert check_json(root).findings("V204") == []


def test_pyproject_tool_table_in_a_parent_folder_applies(no_audio: Course, tmp_path: Path
                                                         ) -> None:
    write(tmp_path / "pyproject.toml",
          '[project]\nname = "courses"\n\n[tool.coursecheck.rules]\nV204 = "off"\n')
    assert check_json(no_audio.build()).findings("V204") == []


def test_config_option_beats_a_coursecheck_yaml(no_audio: Course, tmp_path: Path) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yaml", SILENT_V204)
    team = write(tmp_path / "team.yaml", "rules: {V204: error}\n")
    run = check_json(root, "--config", str(team))
    assert run.findings("V204")[0]["severity"] == "error" and run.exit_code == 1


def test_config_option_reads_a_plain_toml_file_from_its_top_level(no_audio: Course,
                                                                  tmp_path: Path) -> None:
    team = write(tmp_path / "team.toml", 'min_lessons = 12\n[rules]\nV204 = "off"\n')
    run = check_json(no_audio.build(), "--config", str(team))
    assert rules_fired(run) == {"C104"}


def test_nearest_file_wins_over_one_further_up(no_audio: Course, tmp_path: Path) -> None:
    write(tmp_path / ".coursecheck.yaml", "rules: {V204: error}\n")
    root = no_audio.build()
    write(root / "pyproject.toml", '[tool.coursecheck]\nrules = {V204 = "off"}\n')
    assert check_json(root).findings("V204") == []


def test_files_are_not_merged_the_nearest_one_is_used_whole(no_audio: Course, tmp_path: Path
                                                            ) -> None:
    write(tmp_path / ".coursecheck.yaml", SILENT_V204)
    root = no_audio.build()
    write(root / ".coursecheck.yaml", "min_lessons: 12\n")
    assert rules_fired(check_json(root)) == {"C104", "V204"}


def test_in_one_folder_coursecheck_yaml_beats_yml_and_pyproject(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / "pyproject.toml", '[tool.coursecheck]\nrules = {V204 = "error"}\n')
    write(root / ".coursecheck.yml", "rules: {V204: error}\n")
    write(root / ".coursecheck.yaml", SILENT_V204)
    assert check_json(root).findings("V204") == []


def test_pyproject_without_a_tool_table_is_passed_over(no_audio: Course, tmp_path: Path) -> None:
    write(tmp_path / ".coursecheck.yaml", SILENT_V204)
    root = no_audio.build()
    write(root / "pyproject.toml", '[project]\nname = "my-course"\n')
    assert check_json(root).findings("V204") == []


def test_search_stops_at_the_repository_root(tmp_path: Path, media: Media) -> None:
    outer = tmp_path / "outer"
    write(outer / ".coursecheck.yaml", "min_lessons: 12\n")
    course = Course.good(outer / "repo" / "course", media)
    root = course.build()
    assert rules_fired(check_json(root)) == {"C104"}  # no .git yet: the file above is used
    (outer / "repo" / ".git").mkdir()
    assert check_json(root).findings() == []


def test_one_config_file_is_parsed_once_for_many_courses(
        no_audio: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".coursecheck.yaml", SILENT_V204)
    first = no_audio.build()
    second = Course.good(tmp_path / "second", no_audio.media)
    second.set_lesson(5, GOOD.but(audio=None))
    parsed = spy_on_config_parsing(monkeypatch)
    run = check_json(first, str(second.build()))
    assert run.findings() == [] and len(run.report["courses"]) == 2
    assert parsed == [tmp_path / ".coursecheck.yaml"]


# What configuration changes


def test_v108_error_makes_a_430_second_lesson_an_error(course: Course, media: Media) -> None:
    course.set_lesson(4, media.long(430))
    root = course.build()
    assert check_json(root).findings("V108")[0]["severity"] == "warning"
    write(root / ".coursecheck.yaml", "rules:\n  V108: error\n")
    run = check_json(root)
    assert run.where("V108") == [("lessons/04.mp4", None)]
    assert run.findings("V108")[0]["severity"] == "error" and run.exit_code == 1


def test_lower_max_minutes_turns_v108_into_v107(course: Course, media: Media) -> None:
    course.set_lesson(4, media.long(430))
    root = course.build()
    write(root / ".coursecheck.yaml", "max_minutes: 7\nadvised_minutes: 5\n")
    run = check_json(root)
    assert rules_fired(run) == {"V107"}
    assert run.findings("V107")[0]["expected"] == "≤7:00.000"


def test_min_lessons_12_fires_c104_on_ten_lessons(course: Course) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "min_lessons: 12\n")
    run = check_json(root)
    assert run.where("C104") == [("course.yaml", course.line_of("lessons:"))]
    assert run.findings("C104")[0]["message"] == ("The course has 10 lessons; at least 12 are "
                                                  "required.")


def test_max_intro_chars_20_fires_c101_on_a_24_character_intro(course: Course) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "max_intro_chars: 20\n")
    run = check_json(root)
    assert run.where("C101") == [("course.yaml", course.line_of("intro: 本课程"))]
    assert (run.findings("C101")[0]["expected"], run.findings("C101")[0]["actual"]) == ("≤20", "24")


def test_min_created_moves_the_cut_off_date(course: Course) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "min_created: 2024-01-01\n")
    assert check_json(root).findings("C103")[0]["expected"] == "≥2024-01-01"


def test_width_height_and_frame_rate_change_the_required_picture(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080, fps="30"))
    root = course.build()
    write(root / "pyproject.toml", "[tool.coursecheck]\nwidth = 1920\nheight = 1080\n"
                                   "frame_rate = 30\n")
    run = check_json(root)
    assert len(run.findings("V104")) == 9 and ("lessons/03.mp4", None) not in run.where("V104")
    assert {f["expected"] for f in run.findings("V104") + run.findings("V105")} == {"1920×1080",
                                                                                  "30"}


def test_ignore_on_the_command_line_beats_a_rule_turned_on_in_config(course: Course,
                                                                     media: Media) -> None:
    course.set_lesson(4, media.long(430))
    root = course.build()
    write(root / ".coursecheck.yaml", "rules: {V108: error}\n")
    run = check_json(root, "--ignore", "V108")
    assert run.findings() == [] and run.exit_code == 0


def test_rule_ids_and_severities_are_case_insensitive(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yaml", "rules: {v204: ERROR}\n")
    assert check_json(root).findings("V204")[0]["severity"] == "error"


def test_an_empty_config_file_means_the_defaults(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yaml", "# nothing yet\n")
    assert check_json(root).where("V204") == [("lessons/02.mp4", None)]


# Language: --lang > $COURSECHECK_LANG > config > locale > en


@pytest.fixture
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("COURSECHECK_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def c104_message(root: Path, *args: str) -> str:
    run = run_cli("check", root, "--format", "json", *args)
    return str(run.findings("C104")[0]["message"])


@pytest.mark.usefixtures("english_locale")
def test_lang_zh_in_config_gives_chinese_unless_lang_en(course: Course) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "lang: zh\nmin_lessons: 12\n")
    assert c104_message(root) == "课程只有 10 个微课，至少需要 12 个。"
    assert c104_message(root, "--lang", "en").startswith("The course has 10 lessons")


@pytest.mark.usefixtures("english_locale")
@pytest.mark.parametrize("written", ["cn", "zh-CN", "中文"])
def test_lang_in_config_may_be_written_as_people_write_it(course: Course, written: str) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", f"lang: {written}\nmin_lessons: 12\n")
    assert c104_message(root) == "课程只有 10 个微课，至少需要 12 个。"


@pytest.mark.usefixtures("english_locale")
def test_coursecheck_lang_beats_config_and_config_beats_locale(
        course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "lang: en\nmin_lessons: 12\n")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert c104_message(root).startswith("The course has 10 lessons")
    monkeypatch.setenv("COURSECHECK_LANG", "zh")
    assert c104_message(root).startswith("课程只有 10 个微课")


# --strict and --exit-zero with configured severities


def test_strict_passes_once_config_turns_the_warning_off(no_audio: Course) -> None:
    root = no_audio.build()
    assert check_json(root, "--strict").exit_code == 1
    write(root / ".coursecheck.yaml", SILENT_V204)
    assert check_json(root, "--strict").exit_code == 0


def test_exit_zero_wins_over_strict_and_configured_errors(no_audio: Course) -> None:
    root = no_audio.build()
    write(root / ".coursecheck.yaml", "rules: {V204: error}\n")
    assert check_json(root).exit_code == 1
    run = check_json(root, "--strict", "--exit-zero")
    assert run.findings("V204")[0]["severity"] == "error" and run.exit_code == 0


def test_exit_zero_still_exits_2_on_a_bad_config(course: Course) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "rules: {V999: off}\n")
    run = check_json(root, "--exit-zero")
    assert run.exit_code == 2 and "unknown rule ID 'V999'" in run.stderr


# Every bad configuration: exit 2, one line on stderr naming the file and the line


BAD = [
    ("unknown-key", ".coursecheck.yaml", "lang: en\nmax_minute: 12\n", 2,
     "unknown key 'max_minute' (did you mean 'max_minutes'?)"),
    ("unknown-rule-id", ".coursecheck.yaml", "rules:\n  V204: off\n  V999: error\n", 3,
     "unknown rule ID 'V999'"),
    ("bad-severity", ".coursecheck.yaml", "rules:\n  V104: loud\n", 2,
     "rules.V104: 'loud' is not a severity; use off, warning or error"),
    ("threshold-type", ".coursecheck.yaml", "min_lessons: ten\n", 1,
     "min_lessons: input should be a valid integer (got 'ten')"),
    ("threshold-range", ".coursecheck.yaml", "lang: en\n\nmax_minutes: -3\n", 3,
     "max_minutes: input should be greater than 0 (got -3)"),
    ("bad-date", ".coursecheck.yaml", "min_created: yesterday\n", 1,
     "min_created: 'yesterday' is not a date; write it as YYYY-MM-DD"),
    ("bad-lang", ".coursecheck.yaml", "lang: fr\n", 1, "lang: 'fr' is not a language"),
    ("advised-over-max", ".coursecheck.yaml", "max_minutes: 10\nadvised_minutes: 12\n", 2,
     "advised_minutes (12) is more than max_minutes (10)"),
    ("invalid-yaml", ".coursecheck.yaml", "rules:\n  V204: off\n lang: zh\n", 3,
     "the configuration is not valid YAML"),
    ("yaml-not-a-mapping", ".coursecheck.yaml", "\n- V204\n", 2,
     "the configuration must be a mapping of keys, not list"),
    ("invalid-toml", "pyproject.toml", '[tool.coursecheck]\nlang = "zh"\nmin_lessons = \n', 3,
     "the file is not valid TOML"),
    ("toml-unknown-key", "pyproject.toml",
     '[project]\nname = "x"\n\n[tool.coursecheck]\nlang = "zh"\nstrict = true\n\n'
     '[tool.other]\nstrict = false\n', 6, "unknown key 'strict'"),
    ("toml-unknown-rule-id", "pyproject.toml",
     '[tool.coursecheck]\nlang = "en"\n\n[tool.coursecheck.rules]\nV204 = "off"\nV998 = "off"\n',
     6, "unknown rule ID 'V998'"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"),
                         [(name, text, line, message) for _, name, text, line, message in BAD],
                         ids=[case[0] for case in BAD])
def test_bad_config_exits_2_naming_file_and_line(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str,
        line: int, message: str) -> None:
    root = course.build()
    write(root / name, text)
    monkeypatch.chdir(tmp_path)
    run = check_json(root)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith(f"coursecheck: error: course/{name}:{line}: {message}")
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr


def test_config_option_naming_a_pyproject_without_the_table_exits_2(course: Course,
                                                                    tmp_path: Path) -> None:
    team = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    run = check_json(course.build(), "--config", str(team))
    assert run.exit_code == 2
    assert run.stderr == f"coursecheck: error: {team}: there is no [tool.coursecheck] table\n"


def test_bad_config_in_a_real_process_is_one_line_without_traceback(course: Course,
                                                                    tmp_path: Path) -> None:
    root = course.build()
    write(root / ".coursecheck.yaml", "# team settings\nrules:\n  V104: loud\n")
    done = run_process("check", "course", cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == ("coursecheck: error: course/.coursecheck.yaml:3: rules.V104: 'loud' "
                           "is not a severity; use off, warning or error\n")


# --select/--ignore that match no rule, and values PyYAML or tomllib cannot build


@pytest.mark.parametrize(("args", "said"), [
    (("--select", "Z9"), "--select Z9 matches no rule"),
    (("--select", "V1,Q"), "--select Q matches no rule"),
    (("--ignore", "v10x"), "--ignore V10X matches no rule (did you mean V108?)"),
])
def test_select_or_ignore_matching_no_rule_is_a_usage_error(course: Course, args: tuple[str, ...],
                                                            said: str) -> None:
    run = check_json(course.build(), *args)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr == f"coursecheck: error: {said}; `coursecheck rules` lists them\n"


def test_a_select_prefix_that_matches_rules_is_fine(no_audio: Course) -> None:
    run = check_json(no_audio.build(), "--select", "V2", "--ignore", "C")
    assert run.exit_code == 0 and rules_fired(run) == {"V204"}


@pytest.mark.parametrize(("name", "text", "line", "needle"), [
    (".coursecheck.yaml", "lang: en\nmin_created: 2023-02-30\n", 2, "2023-02-30"),
    ("pyproject.toml", '[tool.coursecheck]\nlang = "en"\nmin_lessons = 1' + "0" * 4400 + "\n",
     3, "more than 4300 digits"),
], ids=["impossible-date", "huge-toml-integer"])
def test_a_value_that_cannot_be_built_names_file_and_line(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str,
        line: int, needle: str) -> None:
    root = course.build()
    write(root / name, text)
    monkeypatch.chdir(tmp_path)
    run = check_json(root)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith(f"coursecheck: error: course/{name}:{line}: ")
    assert needle in run.stderr and run.stderr.count("\n") == 1

"""``--help`` as a newcomer reads it: nothing eaten by Rich's markup, and under ``--lang zh``
no option left in English."""

from __future__ import annotations

import pytest

from tests.helpers import Course, run_process


def test_square_brackets_in_option_help_are_shown_not_taken_for_markup() -> None:
    wide = {"COLUMNS": "200"}
    check = run_process("check", "--help", env=wide, timeout=60)
    audit = run_process("audit", "--help", env=wide, timeout=60)
    assert check.returncode == 0 and audit.returncode == 0
    assert ".coursecheck.yaml or [tool.coursecheck] in pyproject.toml" in check.stdout
    assert "Needs coursecheck[dask] and the folders" in audit.stdout


@pytest.mark.parametrize(("command", "english", "chinese"), [
    ("check", ("Ignore a .coursecheck.yaml",), "报告 C006"),
    ("audit", ("Run the probes", "At most this many", "Decode only the K-th"), "coursecheck[dask]"),
])
def test_chinese_help_leaves_no_option_in_english(command: str, english: tuple[str, ...],
                                                  chinese: str) -> None:
    run = run_process(command, "--help", "--lang", "zh",
                      env={"COLUMNS": "200", "COURSECHECK_LANG": "zh"}, timeout=60)
    assert run.returncode == 0, run.stderr
    assert chinese in run.stdout
    for text in english:
        assert text not in run.stdout


def test_lang_before_the_command_is_accepted_for_the_help_and_the_run(course: Course) -> None:
    helped = run_process("--help", "--lang", "zh", env={"COLUMNS": "200"}, timeout=60)
    assert helped.returncode == 0, helped.stderr
    assert "从这里开始：coursecheck check 课程文件夹" in helped.stdout
    alone = run_process("--lang", "zh", timeout=60)
    assert alone.returncode == 2
    assert alone.stderr.strip() == ("coursecheck: 错误：缺少命令（如 check、audit）"
                                    "（见 `coursecheck --help`）")
    run = run_process("--lang", "zh", "check", course.build(), timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == ("共 1 门课程：1 门通过，0 门有警告，0 门不通过 —— "
                                           "0 个错误，0 个警告")


@pytest.mark.parametrize(("command", "name"), [("audit", "ROOT"), ("fix", "COURSE"),
                                               ("init", "FOLDER")])
def test_a_missing_argument_is_named_as_the_help_names_it(command: str, name: str) -> None:
    run = run_process(command, timeout=60)
    assert run.returncode == 2
    assert f"Missing argument '{name}'." in run.stderr
    helped = run_process(command, "--help", env={"COLUMNS": "200"}, timeout=60)
    assert f"coursecheck {command} [OPTIONS] {{{name}}}" in helped.stdout


@pytest.mark.parametrize(("command", "texts"), [
    ("check", ["--output sarif=coursecheck.sarif --output junit=junit.xml"]),
    ("audit", ["--package 申报材料", "--deep --jobs 4", "课程结果缓存", "143 被终止"]),
    ("fix", ["--jobs 2 --crf 18 --preset slow", "退出码：0 修复后的课程通过检查"]),
])
def test_chinese_help_teaches_what_the_english_does(command: str, texts: list[str]) -> None:
    run = run_process(command, "--help", "--lang", "zh",
                      env={"COLUMNS": "200", "COURSECHECK_LANG": "zh"}, timeout=60)
    assert run.returncode == 0, run.stderr
    for text in texts:
        assert text in run.stdout, text


def test_lang_is_case_insensitive(course: Course) -> None:
    run = run_process("check", course.build(), "--lang", "ZH", timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("共 1 门课程：1 门通过")

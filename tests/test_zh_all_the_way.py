"""Issue 9 §7 and §8: the help points to ``coursecheck fix``; under ``--lang zh`` it is Chinese
all the way (explain's labels, rules' headings, the CSV header and severity words, help, usage
errors), each checked in both languages."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook

from coursecheck import helpzh, uilang
from coursecheck.app import app
from coursecheck.audit.progress import progress
from coursecheck.fix.loudness import FIXED_BY_LOUDNORM
from coursecheck.fix.plan import FIXED_BY_ENCODING
from coursecheck.fix.progress import LineDisplay
from coursecheck.messages.values import value_in
from coursecheck.rules import REGISTRY
from coursecheck.rules.base import FIXABLE
from tests.helpers import GOOD, Course, run_cli, run_process

CJK = re.compile(r"[\u4e00-\u9fff]")

FIX_ZH = "运行 coursecheck fix 课程文件夹 --out 新文件夹"
FIX_EN = "Run coursecheck fix COURSE --out NEW_FOLDER"


def test_the_rules_that_say_fix_repairs_them_are_the_ones_it_repairs() -> None:
    assert FIXED_BY_ENCODING | FIXED_BY_LOUDNORM | {"V102", "V204"} == FIXABLE


@pytest.mark.parametrize("rule_id", sorted(FIXABLE))
def test_a_fixable_rule_names_coursecheck_fix_before_any_ffmpeg_command(rule_id: str) -> None:
    rule = REGISTRY[rule_id]
    for lang, first in (("zh", FIX_ZH), ("en", FIX_EN)):
        text = rule.doc_in(lang).fix
        assert text.startswith(first)
        assert "ffmpeg" not in text or text.index(first) < text.index("ffmpeg")
    assert REGISTRY["V204"].doc_in("zh").fix.startswith(FIX_ZH + " --add-silence")


def test_explain_shows_fix_first_and_a_rule_fix_cannot_repair_does_not() -> None:
    zh = run_cli("explain", "V103", "--lang", "zh")
    assert zh.exit_code == 0 and zh.stdout.index(FIX_ZH) < zh.stdout.index("ffmpeg -i")
    en = run_cli("explain", "V103", "--lang", "en")
    assert en.stdout.index(FIX_EN) < en.stdout.index("ffmpeg -i")
    assert FIX_ZH not in run_cli("explain", "C101", "--lang", "zh").stdout


@pytest.mark.parametrize(("lang", "words"), [("zh", ["请连同消息报告", "默认级别：错误"]),
                                             ("en", ["Report it", "Default severity: error"])])
def test_explain_x001_works(lang: str, words: list[str]) -> None:
    run = run_cli("explain", "X001", "--lang", lang)
    assert run.exit_code == 0
    assert all(word in run.stdout for word in words)


def test_rules_headings_and_severity_words_follow_the_language() -> None:
    zh = run_cli("rules", "--lang", "zh").stdout.splitlines()
    assert zh[0].split() == ["编号", "默认级别", "检查内容"] and "错误" in zh[-1] + zh[-2]
    en = run_cli("rules", "--lang", "en").stdout.splitlines()
    assert en[0].split() == ["ID", "severity", "summary"]


@pytest.mark.parametrize(("lang", "header", "severity"), [
    ("zh", ["课程", "省份", "文件", "行", "规则", "级别", "说明", "应为", "实际"], "错误"),
    ("en", ["course", "province", "file", "line", "rule", "severity", "message", "expected",
            "actual"], "error")])
def test_the_csv_header_and_severity_words_follow_the_language(
        tmp_path: Path, course: Course, lang: str, header: list[str], severity: str) -> None:
    course.set_lesson(2, GOOD.but(width=1920, height=1080))
    course.build()
    run = run_cli("audit", course.root.parent, "--lang", lang, "--jobs", "1",
                  "--csv", tmp_path / "f.csv")
    rows = list(csv.reader((tmp_path / "f.csv").open(encoding="utf-8-sig")))
    assert rows[0] == header
    assert [(r[4], r[5]) for r in rows[1:]] == [("V104", severity)]
    assert run.exit_code == 1


@pytest.mark.parametrize("command", ["check", "audit", "fix", "init", "rules", "explain",
                                     "schema", "doctor"])
def test_every_command_has_chinese_help_with_examples_under_lang_zh(command: str) -> None:
    def helped(lang: str) -> str:
        run = run_process(command, "--help", "--lang", lang,
                          env={"COURSECHECK_LANG": lang, "COLUMNS": "80"}, timeout=60)
        assert run.returncode == 0, run.stderr
        return run.stdout

    zh = helped("zh")
    summary = helpzh.COMMANDS[command][0].replace(" ", "")[:8]
    assert summary in zh.replace("\n", "").replace(" ", "")
    assert "示例" in zh and ("选项" in zh or command == "doctor")
    # Chinese has no spaces to wrap at: each option's help folds at 80 columns, whole, where
    # it used to be cut off with "…"
    flat = "".join(ch for ch in zh if not ch.isspace() and ch not in "│╭╮╰╯─")
    clicked = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    names = [p.name for p in clicked.params if p.name in helpzh.OPTIONS]
    for name in names:
        shown = helpzh.OPTIONS[name].replace("\\[", "[")  # Rich prints an escaped [ as [
        assert "".join(shown.split()) in flat, name
    assert helpzh.HELP_OPTION in flat and "Show this message" not in zh
    if command == "check":  # the other language, once
        en = helped("en")
        assert "Example" in en and "示例" not in en


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "coursecheck: 错误：路径不存在：nowhere"), ("en", "coursecheck: error: path does "
                                                      "not exist: nowhere")])
def test_usage_errors_follow_the_language(tmp_path: Path, lang: str, expected: str) -> None:
    run = run_process("check", "nowhere", "--lang", lang, cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and run.stderr.strip() == expected
    click_error = run_process("check", "--no-such-option", "--lang", lang, timeout=60)
    assert click_error.returncode == 2
    assert ("没有这个选项" in click_error.stderr) is (lang == "zh")


def test_error_lines_know_the_common_sentences_in_chinese() -> None:
    assert uilang.error_line("not a folder: 课程", "zh") == "coursecheck: 错误：不是文件夹：课程"
    assert uilang.error_line("Missing argument 'PATHS...'", "zh").endswith("缺少参数 PATHS...")
    assert uilang.error_line("something new", "zh") == "coursecheck: 错误：something new"
    deep = uilang.error_line("--deep needs ffmpeg: install imageio-ffmpeg, put ffmpeg on PATH or "
                             "set COURSECHECK_FFMPEG (`coursecheck doctor` shows what was found)",
                             "zh")
    assert deep.startswith("coursecheck: 错误：--deep 需要 ffmpeg：请安装")
    assert "install" not in deep


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("rules:\n  V999: off\n", "zh",
     "coursecheck: 错误：{config}:2: 没有编号为 'V999' 的规则；`coursecheck rules` 列出全部规则"),
    ("rules:\n  V10: off\n", "zh", "coursecheck: 错误：{config}:2: 没有编号为 'V10' 的规则"
                                   "（是否应为 'V108'？）；`coursecheck rules` 列出全部规则"),
    ("a: 1\na: 2\n", "zh", "coursecheck: 错误：{config}:2: 键 'a' 出现了两次"),
    ("rules:\n  V104：off\n", "zh", "coursecheck: 错误：{config}:2: “V104”后面是全角冒号“：”"
                                   "（中文输入法），YAML 只认半角冒号；"
                                   "请改成“V104: ”（半角冒号后加一个空格）"),
    ("rules:\n  V104：off\n", "en", "coursecheck: error: {config}:2: 'V104' is followed by a "
                                   "full-width colon '：' (Chinese input method); write 'V104: ' "
                                   "(colon, then a space)"),
    ("rules:\n  V104:off\n", "zh", "coursecheck: 错误：{config}:2: “V104”的冒号后面没有空格；"
                                  "请改成“V104: ”（半角冒号后加一个空格）"),
    ("max_minutes:20\n", "en", "coursecheck: error: {config}:1: 'max_minutes' has no space "
                               "after its colon; write 'max_minutes: ' (colon, then a space)"),
    ("max_minutes: -3\n", "zh",
     "coursecheck: 错误：{config}:1: max_minutes：应大于 0（实际是 -3）"),
    ("rules:\n  V104: loud\n", "zh", "coursecheck: 错误：{config}:2: rules.V104：'loud' 不是级别，"
                                     "请用 off、warning 或 error"),
    ("rules:\n  V999: off\n", "en",
     "coursecheck: error: {config}:2: unknown rule ID 'V999'; `coursecheck rules` lists them"),
])
def test_a_configuration_mistake_is_told_in_the_runs_language(course: Course, text: str,
                                                              lang: str, expected: str) -> None:
    root = course.build()
    config = root.parent / ".coursecheck.yaml"
    config.write_text(text, encoding="utf-8")
    run = run_process("check", root, "--lang", lang, cwd=root.parent, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == expected.format(config=".coursecheck.yaml")


@pytest.mark.parametrize(("lang", "start", "end"), [
    ("zh", "[0/1] 正在编码 01.mp4 …", "[1/1] 完成 01.mp4"),
    ("en", "[0/1] encoding 01.mp4 …", "[1/1] done 01.mp4")])
def test_fix_progress_lines_follow_the_language(monkeypatch: pytest.MonkeyPatch, lang: str,
                                                start: str, end: str) -> None:
    monkeypatch.setattr(uilang, "_current", [lang])
    stream = io.StringIO()
    display = LineDisplay(1, stream)
    display.start("01.mp4", None)
    display.finish("01.mp4", True)
    assert stream.getvalue().splitlines() == [start, end]


def test_audit_progress_lines_follow_the_language(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(uilang, "_current", ["zh"])
    clock = iter([0.0, 5.0, 10.0])
    monkeypatch.setattr("coursecheck.audit.progress.time.monotonic", lambda: next(clock))
    with progress(2) as tick:
        tick(2)
    assert capsys.readouterr().err.startswith("coursecheck: 正在读取 2/2 个文件")


def test_html_and_xlsx_show_expected_and_found_values_in_chinese(
        tmp_path: Path, course: Course) -> None:
    course.set_lesson(2, GOOD.but(vfr=True, seconds=2.0))
    course.build()
    run = run_cli("audit", course.root.parent, "--lang", "zh", "--jobs", "1",
                  "--html", tmp_path / "r.html", "--xlsx", tmp_path / "s.xlsx")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "应为: 恒定帧率（CFR）" in html and "实际: 可变帧率（VFR）" in html
    sheet = load_workbook(tmp_path / "s.xlsx").worksheets[-1]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][6:8] == ["应为", "实际"]
    assert ["恒定帧率（CFR）", "可变帧率（VFR）"] in [r[6:8] for r in rows[1:]]
    assert run.exit_code == 1
    assert value_in("en", "VFR") == "VFR"


def test_an_audits_probing_lines_follow_the_language(
        course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools
    import types

    import coursecheck.audit.progress as shown

    monkeypatch.setattr(uilang, "_current", ["zh"])  # what main() decides from --lang zh
    clock = itertools.count(0.0, 5.0)  # every tick looks 5 s later, so every tick is a line
    monkeypatch.setattr(shown, "time", types.SimpleNamespace(monotonic=lambda: next(clock)))
    course.build()
    run = run_cli("audit", course.root.parent, "--lang", "zh", "--jobs", "1", "--no-cache")
    assert run.exit_code == 0, run.stderr
    assert "coursecheck: 正在读取 10/10 个文件" in run.stderr and "probing" not in run.stderr


def test_doctor_speaks_chinese_under_lang_zh_and_english_under_en() -> None:
    zh = run_cli("doctor", "--lang", "zh")
    assert zh.exit_code == 0 and "正常 ffmpeg" in zh.stdout and "Python 解释器：" in zh.stdout
    assert "实测" in zh.stdout and not re.search(r"\bok\b|smoke test|python:", zh.stdout)
    en = run_cli("doctor", "--lang", "en")
    assert "ok smoke test" in en.stdout and "python:" in en.stdout and not CJK.search(en.stdout)


def test_doctor_says_what_failed_in_chinese(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "ffmpeg"
    broken.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(broken))
    run = run_cli("doctor", "--lang", "zh")
    assert run.exit_code == 1
    assert "失败 退出码 3 ffmpeg" in run.stdout and "FAILED" not in run.stdout


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for ffmpeg")
@pytest.mark.parametrize(("make", "zh", "en"), [
    ("missing", "失败 文件或文件夹不存在 ffmpeg", "FAILED No such file or directory ffmpeg"),
    ("silent", "失败 ffmpeg 没有生成测试片段 实测", "FAILED ffmpeg made no test clip smoke test"),
])
def test_doctor_says_plainly_what_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         make: str, zh: str, en: str) -> None:
    fake = tmp_path / "ffmpeg"
    if make == "silent":  # runs, says nothing and writes nothing
        fake.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
        fake.chmod(0o755)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(fake))
    for lang, line in (("zh", zh), ("en", en)):
        run = run_cli("doctor", "--lang", lang)
        assert run.exit_code == 1
        assert any(shown.startswith(line) for shown in run.stdout.splitlines()), run.stdout
        assert "MediaFacts(" not in run.stdout and "[Errno" not in run.stdout


def titles(node: object) -> list[str]:
    if isinstance(node, list):
        return [t for item in node for t in titles(item)]
    if not isinstance(node, dict):
        return []
    own = [node["title"]] if isinstance(node.get("title"), str) else []
    return own + [t for value in node.values() for t in titles(value)]


def without_titles(node: object) -> object:
    if isinstance(node, list):
        return [without_titles(item) for item in node]
    if not isinstance(node, dict):
        return node
    own = isinstance(node.get("title"), str)
    return {k: without_titles(v) for k, v in node.items() if not (own and k == "title")}


@pytest.mark.parametrize("kind", ["course", "case"])
def test_schema_titles_are_chinese_under_zh_and_nothing_else_changes(
        kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    en = json.loads(run_cli("schema", "--kind", kind, "--lang", "en").stdout)
    zh = json.loads(run_cli("schema", "--kind", kind, "--lang", "zh").stdout)
    assert titles(zh) and all(CJK.search(title) for title in titles(zh))
    assert not any(CJK.search(title) for title in titles(en))
    assert without_titles(zh) == without_titles(en)
    monkeypatch.setenv("COURSECHECK_LANG", "zh")  # like the other commands
    assert json.loads(run_cli("schema", "--kind", kind).stdout) == zh


def test_the_reasons_findings_quote_are_chinese_under_lang_zh(course: Course) -> None:
    course.manifest["lessons"][1]["file"] = "../elsewhere/02.mp4"
    course.manifest["lessons"][2]["file"] = "/etc/hostname"
    root = course.build()
    zh = run_cli("check", root, "--format", "json", "--lang", "zh")
    assert [(f["line"], f["message"]) for f in zh.findings("C202")] == [
        (course.line_of("../elsewhere"),
         "微课文件“../elsewhere/02.mp4”位于课程文件夹之外（路径中有“..”），未打开。"),
        (course.line_of("/etc/hostname"),
         "微课文件“/etc/hostname”位于课程文件夹之外（是绝对路径），未打开。")]
    assert zh.exit_code == 1
    en = run_cli("check", root, "--format", "json", "--lang", "en")
    assert "('..' in the path)" in en.findings("C202")[0]["message"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "压缩包无法打开（不是 zip 格式的文件），请重新下载或复制。"),
    ("en", "The zip cannot be opened (File is not a zip file); download or copy it again.")])
def test_a_rar_renamed_to_zip_is_z005_in_the_runs_language(tmp_path: Path, lang: str,
                                                           expected: str) -> None:
    fake = tmp_path / "浙江省.zip"
    fake.write_bytes(b"Rar!\x1a\x07\x00" + bytes(64))
    run = run_cli("audit", fake, "--format", "json", "--lang", lang)
    assert [f["message"] for f in run.findings("Z005")] == [expected]
    assert run.exit_code == 1


@pytest.mark.parametrize(("args", "expected"), [
    (("audit", "course", "--package", "made"),
     "coursecheck: 错误：--package made 已存在；请换一个新文件夹，或加 --force 替换它"),
    (("audit", "course", "--package", "course/made"), "coursecheck: 错误：--package course/made "
     "位于课程或典型案例文件夹 {root} 之内；coursecheck 从不向其中写入"),
    (("audit", "course", "--shard", "1/2"),
     "coursecheck: 错误：--shard 需要 --deep：它把一部分微课解码并存入缓存"),
    (("fix", "course", "--out", "made"),
     "coursecheck: 错误：--out made 不是空文件夹；加 --force 才会写入其中"),
    (("fix", "course", "--out", "course/fixed"),
     "coursecheck: 错误：--out course/fixed 位于课程文件夹 course 之内；"
     "请选择课程文件夹之外的文件夹"),
])
def test_audits_and_fixs_usage_errors_are_chinese(course: Course, args: tuple[str, ...],
                                                  expected: str) -> None:
    root = course.build()
    (root.parent / "made").mkdir()
    (root.parent / "made" / "x.txt").write_text("x", encoding="utf-8")
    run = run_process(*args, "--lang", "zh", cwd=root.parent, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == expected.format(root=root.resolve())


@pytest.mark.parametrize(("args", "expected"), [
    (("check", "course", "-j", "0"),
     "coursecheck: 错误：--jobs / -j 的值无效：应不小于 1（见 `coursecheck check --help`）"),
    (("fix", "course"), "coursecheck: 错误：缺少选项 --out / -o（见 `coursecheck fix --help`）"),
    (("schema", "--kind", "bogus"), "coursecheck: 错误：--kind 的值无效：'bogus' 不是以下之一："
                                    "'course', 'case'（见 `coursecheck schema --help`）"),
])
def test_clicks_own_usage_errors_are_chinese(course: Course, args: tuple[str, ...],
                                             expected: str) -> None:
    course.build()
    run = run_process(*args, "--lang", "zh", cwd=course.root.parent, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "coursecheck: 错误：不是文件夹，也不是 zip 压缩包：course/course.yaml；"
           "audit 只接受文件夹和 zip（`coursecheck check course/course.yaml` 检查它所在的课程）"),
    ("en", "coursecheck: error: not a folder or a zip: course/course.yaml; audit takes folders and "
           "zips (`coursecheck check course/course.yaml` checks the course it is in)")])
def test_audit_given_a_file_points_to_check(course: Course, lang: str, expected: str) -> None:
    course.build()
    run = run_process("audit", "course/course.yaml", "--lang", lang, cwd=course.root.parent,
                      timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == expected


@pytest.mark.parametrize(("args", "expected"), [
    (("check", "course", "--output", "sarif=nowhere/x.sarif"),
     "coursecheck: 错误：无法写入 --output nowhere/x.sarif：文件夹 nowhere 不存在"),
    (("audit", "course", "--xlsx", "course"),
     "coursecheck: 错误：无法写入 --xlsx course：这是一个文件夹"),
])
def test_why_an_output_cannot_be_written_is_chinese(course: Course, args: tuple[str, ...],
                                                    expected: str) -> None:
    course.build()
    run = run_process(*args, "--lang", "zh", cwd=course.root.parent, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(("option", "lang", "expected"), [
    ("--csv", "zh", "coursecheck: 错误：--csv course/x.csv 位于课程或典型案例文件夹 {root} 之内；"
                    "coursecheck 从不向其中写入"),
    ("--xlsx", "en", "coursecheck: error: --xlsx course/x.csv is inside the course or case folder "
                     "{root}; coursecheck never writes into one")])
def test_audit_refuses_an_export_inside_a_course(course: Course, option: str, lang: str,
                                                 expected: str) -> None:
    root = course.build()
    before = sorted(p.name for p in root.iterdir())
    run = run_process("audit", "course", option, "course/x.csv", "--lang", lang,
                      cwd=root.parent, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip() == expected.format(root=root.resolve())
    assert sorted(p.name for p in root.iterdir()) == before

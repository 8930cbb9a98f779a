"""Issue 9 §7 and §8: the help points to ``coursecheck fix``; under ``--lang zh`` it is Chinese
all the way (explain's labels, rules' headings, the CSV header and severity words, help, usage
errors), each checked in both languages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coursecheck.fix.loudness import FIXED_BY_LOUDNORM
from coursecheck.fix.plan import FIXED_BY_ENCODING
from coursecheck.rules import REGISTRY
from coursecheck.rules.base import FIXABLE
from tests.helpers import GOOD, Course, run_cli

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

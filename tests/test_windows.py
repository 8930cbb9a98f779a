"""Chinese Windows, simulated: GBK output streams, Windows locale names, the spawn start method
and command lines quoted for cmd.exe. (Nothing here runs on real Windows; docs/en/windows.md
says what was not.)"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursecheck import settings
from coursecheck.settings import chinese_locale, default_lang, windows_ui_language
from coursecheck.streams import command_line, mark
from tests.helpers import GOOD, SCRIPTS, Course, Media

ENCODINGS = ("cp936", "gb18030")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Path:
    """``good/`` passes; ``坏课程/`` fails (a 30 fps lesson with a Chinese name) and has an
    unlisted video whose name GBK cannot write (✓)."""
    root = tmp_path_factory.mktemp("windows")
    Course.good(root / "good", media).build()
    bad = Course.good(root / "坏课程", media)
    bad.set_lesson(2, GOOD.but(fps="30"), "lessons/第二课.mp4")
    bad.manifest["name"] = "坏课程示例"
    bad.files["lessons/✓完成.mp4"] = media.clip()
    bad.build()
    return root


def _run(args: list[str], encoding: str, out: Path, cwd: Path) -> tuple[int, str, str]:
    """Run the real console script with stdout redirected to ``out`` in ``encoding``."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COURSECHECK_LANG": "en"}
    with out.open("wb") as handle:
        done = subprocess.run([str(SCRIPTS / "coursecheck"), *args], stdout=handle,
                              stderr=subprocess.PIPE, env=env, cwd=cwd, timeout=120)
    return done.returncode, out.read_bytes().decode(encoding), done.stderr.decode(encoding)


MARKS = {"cp936": ("√", "×"), "gb18030": ("✓", "✗")}  # GB18030 has every character
COMMANDS: dict[str, tuple[list[str], int, str]] = {
    # name: (arguments, exit code, a piece of the report; {ok}/{bad}: the verdict marks)
    "check-pass": (["check", "good", "--lang", "zh"], 0, "{ok} good"),
    "check-fail": (["check", "坏课程", "--lang", "zh"], 1, "{bad} 坏课程"),
    "check-en": (["check", "坏课程"], 1, "lessons/第二课.mp4"),
    "audit": (["audit", ".", "--lang", "zh", "--details", "--xlsx", "汇总表.xlsx"], 1, "坏课程"),
    "rules": (["rules", "--lang", "zh"], 0, "V101"),
    "explain": (["explain", "V104", "--lang", "zh"], 0, "1280"),
    "doctor": (["doctor"], 0, "ffmpeg"),
    "schema": (["schema"], 0, '"lessons"'),
    "help": (["check", "--help"], 0, "coursecheck check"),
    "fix": (["fix", "坏课程", "--out", "修好了", "--dry-run", "--lang", "zh"], 0, "第二课.mp4"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_writes_its_report_to_a_gbk_file(tree: Path, tmp_path: Path,
                                                       encoding: str, command: str) -> None:
    args, code, piece = COMMANDS[command]
    if command == "audit":
        args = [*args[:-1], str(tmp_path / args[-1])]
    status, stdout, stderr = _run(args, encoding, tmp_path / "out.txt", tree)
    assert "Traceback" not in stderr and "error" not in stderr, stderr
    assert status == code, stderr
    ok, bad = MARKS[encoding]
    assert piece.format(ok=ok, bad=bad) in stdout
    if command == "audit":
        assert (tmp_path / "汇总表.xlsx").stat().st_size > 0


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_init_writes_the_draft_and_reports_under_gbk(tmp_path: Path, media: Media,
                                                     encoding: str) -> None:
    folder = tmp_path / "新课程"
    (folder / "视频").mkdir(parents=True)
    os.link(media.clip(), folder / "视频" / "第一课.mp4")
    status, _stdout, stderr = _run(["init", "新课程", "--lang", "zh"], encoding,
                                   tmp_path / "out.txt", tmp_path)
    assert status == 0 and "Traceback" not in stderr, stderr
    assert "视频/第一课.mp4" in (folder / "course.yaml").read_text(encoding="utf-8")


def test_a_name_gbk_lacks_is_replaced_not_fatal(tree: Path, tmp_path: Path) -> None:
    status, stdout, stderr = _run(["check", "坏课程"], "cp936", tmp_path / "out.txt", tree)
    assert status == 1 and "Traceback" not in stderr
    assert "lessons/?完成.mp4" in stdout  # C204 names the unlisted video; ✓ became ?
    status, stdout, _ = _run(["check", "坏课程"], "gb18030", tmp_path / "out.txt", tree)
    assert "lessons/✓完成.mp4" in stdout  # GB18030 holds every character


def test_a_stdout_that_fails_does_not_stop_the_files(tree: Path, tmp_path: Path) -> None:
    report, table = tmp_path / "report.json", tmp_path / "table.xlsx"
    env = {**os.environ, "COURSECHECK_LANG": "en"}
    with open(os.devnull, "rb") as unwritable:  # every write to stdout fails (EBADF)
        check = subprocess.run([str(SCRIPTS / "coursecheck"), "check", "坏课程", "-o",
                                f"json={report}"], stdout=unwritable, stderr=subprocess.PIPE,
                               env=env, cwd=tree, timeout=120, text=True)
        audit = subprocess.run([str(SCRIPTS / "coursecheck"), "audit", ".", "--xlsx", table],
                               stdout=unwritable, stderr=subprocess.PIPE, env=env, cwd=tree,
                               timeout=120, text=True)
    assert check.returncode == 2 and "could not write the text report" in check.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["failed"] == 1
    assert audit.returncode == 2 and "could not write the text report" in audit.stderr
    assert table.stat().st_size > 0
    assert "Traceback" not in check.stderr + audit.stderr


def test_audit_with_the_spawn_start_method(tree: Path) -> None:
    """The pool as Windows and macOS start it: workers import coursecheck afresh."""
    script = ("import sys; from coursecheck import workers; from coursecheck.audit import pool\n"
              "pool.POOL_COST_S = -1.0; real = workers.start_context\n"
              "def spy():\n"
              "    context = real()\n"
              "    print('pool started:', context.get_start_method(), file=sys.stderr)\n"
              "    return context\n"
              "workers.start_context = spy\n"
              "from coursecheck.cli import main; sys.argv[0] = 'coursecheck'; main()")
    env = {**os.environ, "COURSECHECK_LANG": "en", "COURSECHECK_START_METHOD": "spawn"}
    done = subprocess.run([sys.executable, "-c", script, "audit", ".", "--jobs", "2",
                           "--format", "json", "--no-cache"], capture_output=True, text=True,
                          env=env, cwd=tree, timeout=180)
    assert "pool started: spawn" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1
    courses = {c["path"]: c for c in json.loads(done.stdout)["courses"]}
    assert courses["good"]["verdict"] == "pass"
    assert all(lesson["duration_s"] == 1.0 for lesson in courses["good"]["lessons"])
    assert {f["rule"] for f in courses["坏课程"]["findings"]} == {"V105", "C204"}


@pytest.mark.parametrize("name", [
    "Chinese (Simplified)_China", "Chinese (Simplified)_China.936", "Chinese_China.936",
    "Chinese (Traditional)_Taiwan.950", "Chinese (Simplified)_Singapore", "chs", "zh_CN",
    "zh_CN.UTF-8", "zh-CN", "zh-Hans-CN", "zh_TW.Big5", "cp936", "GBK", "C.GB18030"])
def test_chinese_locale_names(name: str) -> None:
    assert chinese_locale(name)


@pytest.mark.parametrize("name", [
    "", "C", "POSIX", "C.UTF-8", "en_US.UTF-8", "English_United States.1252",
    "English (United Kingdom)_United Kingdom", "Japanese_Japan.932", "cp1252", "utf-8"])
def test_other_locale_names(name: str) -> None:
    assert not chinese_locale(name)


def test_windows_ui_language_ids() -> None:
    assert windows_ui_language(0x0804) == "zh"  # zh-CN
    assert windows_ui_language(0x0404) == "zh"  # zh-TW
    assert windows_ui_language(0x0C04) == "zh"  # zh-HK
    assert windows_ui_language(0x0409) == ""  # en-US
    assert windows_ui_language(0x0411) == ""  # ja-JP


def test_windows_locale_without_lang_variables_picks_chinese(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("COURSECHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(settings, "system_locales",
                        lambda: ["Chinese (Simplified)_China", "", "cp1252"])
    assert default_lang() == "zh"
    monkeypatch.setattr(settings, "system_locales",
                        lambda: ["English_United States", "zh", "cp1252"])  # Chinese UI
    assert default_lang() == "zh"
    monkeypatch.setattr(settings, "system_locales",
                        lambda: ["English_United States", "", "cp1252"])
    assert default_lang() == "en"
    assert default_lang({"LANG": "Chinese_China.936"}) == "zh"


def test_marks_have_gbk_stand_ins() -> None:
    gbk = io.TextIOWrapper(io.BytesIO(), encoding="cp936")
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert (mark(gbk, "✓"), mark(gbk, "✗"), mark(gbk, "!")) == ("√", "×", "!")
    assert (mark(utf8, "✓"), mark(utf8, "✗")) == ("✓", "✗")


def test_commands_are_quoted_for_the_platform() -> None:
    argv = ["ffmpeg", "-i", "第 1 课.mp4", "-vf", "scale=1280:720", "out dir/01.mp4"]
    assert command_line(argv, "win32") == ('ffmpeg -i "第 1 课.mp4" -vf scale=1280:720 '
                                           '"out dir/01.mp4"')
    assert command_line(argv, "linux") == ("ffmpeg -i '第 1 课.mp4' -vf scale=1280:720 "
                                           "'out dir/01.mp4'")
    assert command_line(["a", 'say "hi"'], "win32") == 'a "say \\"hi\\""'

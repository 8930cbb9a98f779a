"""The command line end to end: in-process (CliRunner) and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coursecheck import cli
from coursecheck.rules import REGISTRY
from tests.helpers import GOOD, Course, check_json, run_cli, run_process

REPO = Path(__file__).resolve().parent.parent


def test_json_report_has_the_documented_shape(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    run = check_json(course.build())
    report = run.report
    assert report["tool"] == {"name": "coursecheck", "version": "0.1.0"}
    assert set(report["summary"]) == {"courses", "passed", "warned", "failed", "errors",
                                      "warnings"}
    assert report["summary"]["failed"] == 1 and report["summary"]["errors"] == 1
    (result,) = report["courses"]
    assert list(result) == ["path", "name", "verdict", "lessons", "findings"]
    assert result["verdict"] == "fail"
    assert result["lessons"][2] == {"title": "第3课", "file": "lessons/03.mp4", "duration_s": 1.0,
                                    "width": 1920, "height": 1080, "fps": 25.0, "codec": "AVC",
                                    "deep": None}
    assert result["findings"] == [{"rule": "V104", "severity": "error", "file": "lessons/03.mp4",
                                   "line": None, "message": "The picture is 1920×1080, not "
                                   "1280×720.", "expected": "1280×720", "actual": "1920×1080"}]
    assert run.exit_code == 1


def test_course_path_in_report_is_relative_posix(course: Course, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    root = course.build()
    monkeypatch.chdir(root.parent)
    run = check_json(Path("course"))
    assert run.report["courses"][0]["path"] == "course"


def test_several_courses_in_one_run(course: Course, tmp_path: Path) -> None:
    good = course.build()
    bad = Course.good(tmp_path / "bad", course.media)
    bad.manifest["created"] = "2020-01-01"
    run = check_json(good, str(bad.build()))
    assert [c["verdict"] for c in run.report["courses"]] == ["pass", "fail"]
    assert run.report["summary"]["courses"] == 2
    assert run.exit_code == 1


def test_warning_only_course_exits_0_and_1_with_strict(course: Course) -> None:
    course.set_lesson(2, GOOD.but(audio=None))
    root = course.build()
    assert check_json(root).exit_code == 0
    strict = check_json(root, "--strict")
    assert strict.where("V204") == [("lessons/02.mp4", None)]
    assert strict.report["courses"][0]["verdict"] == "warn"
    assert strict.exit_code == 1


def test_lang_zh_gives_chinese_messages(course: Course) -> None:
    course.manifest["created"] = "2021-01-01"
    run = run_cli("check", course.build(), "--format", "json", "--lang", "zh")
    assert "课程建设日期为 2021-01-01" in run.findings("C103")[0]["message"]


def test_language_defaults_follow_env_then_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from coursecheck.settings import default_lang

    assert default_lang({"COURSECHECK_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LANG": "en_GB.UTF-8"}) == "en"
    assert default_lang({"COURSECHECK_LANG": "fr", "LANG": "C"}) == "en"


def test_text_report_groups_by_file_and_summarises(course: Course) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    course.manifest["intro"] = "课" * 120
    root = course.build()
    run = run_cli("check", root, "--lang", "en")
    lines = run.stdout.splitlines()
    assert lines[0].startswith("✗ ") and "FAIL" in lines[0]
    assert "  course.yaml" in lines
    assert any(line.strip().startswith(f"{course.line_of('intro:')}: C101 error") for line in lines)
    assert lines.index("  lessons/05.mp4") < next(i for i, x in enumerate(lines) if "V105" in x)
    assert "1 course(s): 0 passed, 0 with warnings, 1 failed — 2 error(s), 0 warning(s)" in lines
    assert run.exit_code == 1


def test_real_subprocess_has_no_ansi_codes_when_piped(course: Course) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    proc = run_process("check", course.build())
    assert "V105" in proc.stdout and "\x1b[" not in proc.stdout
    assert proc.returncode == 1


def test_real_subprocess_json_and_exit_0(course: Course) -> None:
    proc = run_process("check", course.build(), "--format", "json")
    assert json.loads(proc.stdout)["summary"]["passed"] == 1
    assert proc.returncode == 0


def test_python_dash_m_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "coursecheck", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip() == "coursecheck 0.1.0" and proc.returncode == 0


def test_missing_path_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    proc = run_process("check", tmp_path / "nope")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_bad_option_is_a_usage_error_on_one_line(course: Course) -> None:
    proc = run_process("check", course.build(), "--format", "yaml")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_internal_error_is_one_line_and_debug_shows_traceback(
        course: Course, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import coursecheck.runner

    def explode(*args: object, **kwargs: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(coursecheck.runner, "run_check", explode)
    root = course.build()
    for argv, traceback_expected in (([], False), (["--debug"], True)):
        monkeypatch.setattr(sys, "argv", ["coursecheck", "check", str(root), *argv])
        with pytest.raises(SystemExit) as exit_info:
            cli.main()
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert err.strip().splitlines()[-1] == ("coursecheck: internal error: RuntimeError: boom "
                                                "(run with --debug for the traceback)")
        assert ("Traceback" in err) is traceback_expected


def _modules_loaded_by(argv: list[str]) -> set[str]:
    code = ("import sys\nfrom coursecheck.cli import main\n"
            f"sys.argv = {argv!r}\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return set(proc.stdout.strip().splitlines()[-1].split())


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_do_not_import_heavy_modules(flag: str) -> None:
    loaded = _modules_loaded_by(["coursecheck", flag])
    assert "typer" in loaded
    assert loaded.isdisjoint({"pydantic", "pymediainfo", "ffmpeg", "PIL", "yaml"})


def test_command_help_does_not_load_media_libraries() -> None:
    # Typer itself validates option values with pydantic, so only our own heavy imports count.
    loaded = _modules_loaded_by(["coursecheck", "check", "--help"])
    assert loaded.isdisjoint({"pymediainfo", "ffmpeg", "PIL", "yaml"})


@pytest.mark.parametrize("command", ["check", "audit"])
def test_a_json_run_loads_only_what_it_uses(command: str, course: Course) -> None:
    # What a CI job or a re-run pays at start-up: no terminal renderer, no exporters, and with
    # every file in the probe cache, no process pool.
    argv = ["coursecheck", command, str(course.build()), "--format", "json"]
    _modules_loaded_by(argv)  # fills the probe cache
    loaded = _modules_loaded_by(argv)
    assert "coursecheck" in loaded and "pydantic" in loaded
    assert loaded.isdisjoint({"rich", "openpyxl", "multiprocessing", "tomllib", "ffmpeg"})


@pytest.mark.parametrize("command", ["check", "rules", "explain", "schema", "doctor"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    run = run_cli(command, "--help")
    assert run.exit_code == 0
    assert "Example" in run.stdout


def test_rules_lists_every_rule_as_json() -> None:
    run = run_cli("rules", "--format", "json")
    rows = json.loads(run.stdout)
    ids = [r["id"] for r in rows]
    assert ids[0] == "A001" and "V206" in ids and "K101" in ids and "S003" in ids
    assert "D001" in ids and "D107" in ids
    assert "Z001" in ids and "Z005" in ids
    assert len(ids) == len(set(ids)) == len(REGISTRY)  # every registered rule, once
    assert {r["severity"] for r in rows} == {"error", "warning"}


def test_explain_prints_docs_in_both_languages() -> None:
    en = run_cli("explain", "V104", "--lang", "en")
    zh = run_cli("explain", "v104", "--lang", "zh")
    assert "How to fix" in en.stdout and "ffmpeg" in en.stdout
    assert "修改方法" in zh.stdout and "不合格示例" in zh.stdout
    assert en.exit_code == zh.exit_code == 0


def test_explain_unknown_rule_exits_2() -> None:
    proc = run_process("explain", "Z999")
    assert proc.returncode == 2 and "unknown rule" in proc.stderr


def test_doctor_reports_working_tools() -> None:
    proc = run_process("doctor")
    assert proc.returncode == 0
    for name in ("coursecheck", "MediaInfo", "ffmpeg", "smoke test", "--deep"):
        assert name in proc.stdout


def test_ffmpeg_location_prefers_env_then_path(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    from coursecheck.tools import find_ffmpeg

    monkeypatch.setenv("COURSECHECK_FFMPEG", "/opt/ff/ffmpeg")
    assert find_ffmpeg() == ("/opt/ff/ffmpeg", "COURSECHECK_FFMPEG")
    monkeypatch.delenv("COURSECHECK_FFMPEG")
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_ffmpeg() == (str(fake), "PATH")
    monkeypatch.setenv("PATH", "")
    path, source = find_ffmpeg()
    assert source == "imageio-ffmpeg" and path is not None and Path(path).exists()


def test_files_inside_a_course_check_that_course_once(course: Course) -> None:
    root = course.build()
    run = check_json(root / "lessons/03.mp4", str(root / "course.yaml"), str(root / "cover.jpg"))
    assert len(run.report["courses"]) == 1
    assert run.exit_code == 0


def test_file_outside_any_course_is_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    stray = tmp_path / "loose.mp4"
    stray.write_bytes(b"x")
    proc = run_process("check", stray, "--format", "json")
    assert json.loads(proc.stdout)["courses"] == []
    assert "not inside a course folder" in proc.stderr
    assert proc.returncode == 0


def test_exit_zero_keeps_findings_but_exits_0(course: Course) -> None:
    course.manifest["created"] = "2020-02-02"
    run = check_json(course.build(), "--exit-zero")
    assert run.where("C103") == [("course.yaml", course.line_of("created:"))]
    assert run.exit_code == 0


def test_select_and_ignore_take_ids_and_prefixes(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080, audio=None))
    course.manifest["created"] = "2020-02-02"
    root = course.build()
    assert {f["rule"] for f in check_json(root).findings()} == {"C103", "V104", "V204"}
    assert {f["rule"] for f in check_json(root, "--select", "V").findings()} == {"V104", "V204"}
    assert {f["rule"] for f in check_json(root, "--ignore", "V2,C1").findings()} == {"V104"}


def test_a_course_whose_check_crashes_is_x001_and_the_others_go_on(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coursecheck.runner

    good = course.build()
    broken = Course.good(tmp_path / "broken", course.media).build()
    real = coursecheck.runner.check_course

    def flaky(target: object, *args: object) -> object:
        if getattr(target, "root", None) == broken:
            raise ZeroDivisionError("division by zero")
        return real(target, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(coursecheck.runner, "check_course", flaky)
    run = check_json(good, str(broken))
    assert [c["verdict"] for c in run.report["courses"]] == ["pass", "fail"]
    (crash,) = run.report["courses"][1]["findings"]
    assert crash["rule"] == "X001" and crash["file"] == "course.yaml"
    assert "ZeroDivisionError: division by zero" in crash["message"]
    assert run.exit_code == 1


def test_escape_sequences_in_names_never_reach_the_terminal(course: Course) -> None:
    course.manifest["name"] = "课程\x1b[2J\x1b]0;owned\x07"
    course.manifest["created"] = "2020-01-01"
    run = run_cli("check", course.build(), "--lang", "en")
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "课程\ufffd[2J" in run.stdout


def test_output_name_too_long_is_a_usage_error(course: Course, tmp_path: Path) -> None:
    run = check_json(course.build(), "--output", f"sarif={tmp_path / ('x' * 300)}.sarif")
    assert run.exit_code == 2 and "cannot write --output" in run.stderr


def test_help_in_a_narrow_terminal_folds_long_words_instead_of_cutting_them() -> None:
    run = run_process("audit", "--help", env={"COLUMNS": "60"}, timeout=60)
    assert run.returncode == 0, run.stderr
    flat = "".join(ch for ch in run.stdout if not ch.isspace() and ch not in "│╭╮╰╯─")
    assert "…" not in run.stdout and "$COURSECHECK_SCHEDULER" in flat


@pytest.mark.parametrize(("given", "heading"), [
    ("cn", "画面分辨率不是"), ("zh-CN", "画面分辨率不是"), ("中文", "画面分辨率不是"),
    ("English", "The picture is not"), ("en_US", "The picture is not")])
def test_the_language_may_be_named_as_people_write_it(given: str, heading: str) -> None:
    run = run_process("explain", "V104", "--lang", given, timeout=60)
    assert run.returncode == 0 and heading in run.stdout, run.stderr
    env = run_process("explain", "V104", env={"COURSECHECK_LANG": given}, timeout=60)
    assert env.returncode == 0 and heading in env.stdout, env.stderr


def test_a_language_coursecheck_does_not_speak_is_a_usage_error() -> None:
    run = run_process("explain", "V104", "--lang", "fr", timeout=60)
    assert run.returncode == 2 and "'fr' is not one of 'zh', 'en'" in run.stderr

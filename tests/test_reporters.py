"""The CI report formats: SARIF, JUnit, GitHub annotations and GitLab Code Quality.

Schema tests and golden files run on the committed sample courses with the repository root as
the working directory, so every path reads ``sample_courses/…``. Regenerate the golden files
after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_reporters.py``.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
import xmlschema

from coursecheck import __version__
from coursecheck.findings import CourseResult, Finding, Severity
from coursecheck.reporters.github import escape_data, escape_property
from coursecheck.reporters.locations import path_uri
from coursecheck.reporters.sarif import sarif_log
from tests.helpers import GOOD, Course, Run, run_cli

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = DATA / "golden"
SAMPLES = ("sample_courses/needs-work", "sample_courses/good-course")
NEEDS_WORK = SAMPLES[0]

Where = tuple[str, str, int | None]  # (rule, path from the working directory, line)


@pytest.fixture(autouse=True)
def _plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """No variable that forces colour on: the text golden files hold plain text."""
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@contextmanager
def at_repo_root() -> Iterator[None]:
    """Run the block from the repository root."""
    before = Path.cwd()
    os.chdir(REPO)
    try:
        yield
    finally:
        os.chdir(before)


@cache
def sample(course: str, fmt: str, lang: str = "en") -> Run:
    """``coursecheck check COURSE --format FMT`` from the repository root (run once)."""
    with at_repo_root():
        return run_cli("check", course, "--format", fmt, "--lang", lang)


@cache
def sarif_validator() -> jsonschema.Draft4Validator:
    """The SARIF 2.1.0 schema, checking formats too (``uri-reference`` needs rfc3986)."""
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


@cache
def junit_schema() -> xmlschema.XMLSchema:
    """The JUnit 10 XSD that GitLab and Jenkins follow."""
    return xmlschema.XMLSchema(DATA / "junit-10.xsd")


def json_wheres(report: dict[str, Any]) -> set[Where]:
    """(rule, path, line) of every finding in the JSON report."""
    return {(f["rule"], os.path.normpath(f"{c['path']}/{f['file']}"), f["line"])
            for c in report["courses"] for f in c["findings"]}


def sarif_where(result: dict[str, Any]) -> Where:
    """(rule, path, line) of one SARIF result, the URI decoded."""
    location = result["locations"][0]["physicalLocation"]
    line = location.get("region", {}).get("startLine")
    return result["ruleId"], unquote(location["artifactLocation"]["uri"]), line


def sarif_wheres(log: dict[str, Any]) -> set[Where]:
    """(rule, path, line) of every SARIF result."""
    return {sarif_where(result) for result in log["runs"][0]["results"]}


def junit_wheres(xml: str) -> set[Where]:
    """(rule, path, line) of every failure and every warning line in ``system-out``."""
    found: set[Where] = set()
    for case in ET.fromstring(xml).iter("testcase"):
        path = f"{case.get('classname')}/{case.get('name')}"
        lines = [el.text or "" for el in case.iter("failure")]
        lines += [text for el in case.iter("system-out") for text in (el.text or "").split("\n")]
        for text in lines:
            assert text.startswith(path), text
            match = re.match(r"(?::(\d+))?: ([A-Z]\d{3}) (error|warning): ", text[len(path):])
            assert match, text
            found.add((match[2], path, int(match[1]) if match[1] else None))
    return found


def github_wheres(text: str) -> set[Where]:
    """(rule, path, line) of every workflow command."""
    pattern = r"::(?:error|warning) file=([^,]+)(?:,line=(\d+))?,title=coursecheck (\w+)::"
    return {(m[3], m[1], int(m[2]) if m[2] else None)
            for m in re.finditer(pattern, text)}


# --- schemas ------------------------------------------------------------------------------


@pytest.mark.parametrize("course", SAMPLES)
def test_sarif_of_each_sample_validates_against_the_schema(course: str) -> None:
    log = json.loads(sample(course, "sarif").stdout)
    errors = [e.message for e in sarif_validator().iter_errors(log)]
    assert errors == []
    assert log["version"] == "2.1.0"


@pytest.mark.parametrize("course", SAMPLES)
def test_junit_of_each_sample_validates_against_the_xsd(course: str) -> None:
    xml = sample(course, "junit").stdout
    junit_schema().validate(xml)
    suite = ET.fromstring(xml).find("testsuite")
    assert suite is not None and suite.get("name") == course


def test_sarif_schema_check_is_not_a_formality() -> None:
    log = json.loads(sample(NEEDS_WORK, "sarif").stdout)
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"] = "lessons/第 3 课.mp4"
    assert not sarif_validator().is_valid(log)


# --- SARIF --------------------------------------------------------------------------------


def test_sarif_meets_github_code_scanning() -> None:
    run = sample(NEEDS_WORK, "sarif")
    driver = json.loads(run.stdout)["runs"][0]["tool"]["driver"]
    results = json.loads(run.stdout)["runs"][0]["results"]
    assert (driver["name"], driver["version"]) == ("coursecheck", __version__)
    assert driver["informationUri"] == "https://pypi.org/project/coursecheck/"
    fired = sorted(f["rule"] for f in sample(NEEDS_WORK, "json").findings())
    assert [r["id"] for r in driver["rules"]] == sorted(set(fired))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    v104 = next(r for r in driver["rules"] if r["id"] == "V104")
    assert "ffmpeg -i in.mp4" in v104["help"]["text"]
    assert "```sh\nffmpeg -i in.mp4" in v104["help"]["markdown"]
    assert v104["help"]["markdown"].index("coursecheck fix") < v104["help"]["markdown"].index(
        "ffmpeg -i")
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
    assert sarif_wheres(json.loads(run.stdout)) == json_wheres(sample(NEEDS_WORK, "json").report)


def test_sarif_manifest_findings_have_a_line_and_video_findings_none() -> None:
    results = json.loads(sample(NEEDS_WORK, "sarif").stdout)["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["C101"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert by_rule["C101"]["level"] == "error"
    video = by_rule["V104"]["locations"][0]["physicalLocation"]
    assert video == {"artifactLocation": {"uri": f"{NEEDS_WORK}/lessons/03.mp4"}}
    assert by_rule["V203"]["level"] == "warning"


def test_sarif_fingerprints_are_stable_and_ignore_line_shifts(course: Course,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    course.manifest["intro"] = "长" * 101
    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    manifest = course.build() / "course.yaml"
    monkeypatch.chdir(course.root.parent)

    def fingerprints() -> dict[Where, str]:
        log = json.loads(run_cli("check", "course", "--format", "sarif").stdout)
        return {sarif_where(result): result["partialFingerprints"]["coursecheck/v1"]
                for result in log["runs"][0]["results"]}

    first, second = fingerprints(), fingerprints()
    assert first == second and len(set(first.values())) == 2
    manifest.write_text("# 课程清单\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    shifted = fingerprints()
    assert [(w[2] or 0) - 1 for w in shifted if w[0] == "C101"] == [
        w[2] for w in first if w[0] == "C101"]
    assert sorted(shifted.values()) == sorted(first.values())


def test_sarif_uri_of_a_chinese_file_name_with_spaces_round_trips(
        course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    name = course.set_lesson(3, GOOD.but(width=1920, height=1080), name="lessons/第 3 课.mp4")
    course.build()
    monkeypatch.chdir(course.root.parent)
    log = json.loads(run_cli("check", "course", "--format", "sarif").stdout)
    assert sarif_validator().is_valid(log)
    (result,) = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "course/lessons/%E7%AC%AC%203%20%E8%AF%BE.mp4"
    assert unquote(uri) == f"course/{name}" and Path(unquote(uri)).is_file()


def test_sarif_describes_a_crashed_rule_from_its_documentation() -> None:
    crash = Finding("X001", Severity.ERROR, "course.yaml", "Internal error in rule V104: boom.")
    log = sarif_log([CourseResult("course", None, (), (crash,))], "zh")
    assert sarif_validator().is_valid(log)
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "X001" and "coursecheck 自身" in rule["shortDescription"]["text"]
    assert sarif_wheres(log) == {("X001", "course/course.yaml", None)}


def test_uri_encodes_colons_non_utf8_bytes_and_absolute_paths() -> None:
    assert path_uri("a:b/c d.mp4") == "a%3Ab/c%20d.mp4"
    assert path_uri("课程/\udcff.mp4") == "%E8%AF%BE%E7%A8%8B/%FF.mp4"
    assert path_uri("/srv/课程/01.mp4") == "file:///srv/%E8%AF%BE%E7%A8%8B/01.mp4"
    assert path_uri("C:/课程/01.mp4") == "file:///C:/%E8%AF%BE%E7%A8%8B/01.mp4"


# --- JUnit --------------------------------------------------------------------------------


def test_junit_has_a_case_per_checked_file_and_a_failure_per_error() -> None:
    suite = ET.fromstring(sample(NEEDS_WORK, "junit").stdout).find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    lessons = [f"lessons/{i:02d}.mp4" for i in range(1, 11) if i != 7] + ["lessons/07.mov"]
    assert set(cases) == {"course.yaml", *lessons, "lessons/旧版/03-old-take.mp4"}
    assert {case.get("classname") for case in cases.values()} == {NEEDS_WORK}
    assert [f.get("type") for f in cases["course.yaml"].iter("failure")] == ["C105", "C101",
                                                                            "C106"]
    assert [f.get("type") for f in cases["lessons/03.mp4"].iter("failure")] == ["V104"]
    warning = cases["lessons/06.mp4"]
    assert warning.find("failure") is None
    assert "V203 warning" in (warning.findtext("system-out") or "")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("12", "4", "0")


def test_junit_of_a_passing_course_has_no_failures() -> None:
    suite = ET.fromstring(sample(SAMPLES[1], "junit").stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("11", "0")
    assert not list(suite.iter("failure")) and not list(suite.iter("system-out"))


def test_file_names_that_are_not_utf8_or_hold_controls_still_give_valid_reports(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    try:
        with open(os.path.join(os.fsencode(root / "lessons"), b"\xff.mp4"), "wb") as stream:
            stream.write(b"x")
    except OSError:
        pytest.skip("this file system only takes UTF-8 names")
    (root / "lessons" / "a\x01b.mp4").write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    outputs = [f"--output={fmt}={fmt}.out" for fmt in ("sarif", "junit", "gitlab")]
    run = run_cli("check", "course", "--format", "github", *outputs)
    assert run.stdout.count("title=coursecheck C204::") == 2 and run.exit_code == 0
    assert "file=course/lessons/\ufffd.mp4," in run.stdout
    junit_schema().validate(str(tmp_path / "junit.out"))
    log = json.loads((tmp_path / "sarif.out").read_text(encoding="utf-8"))
    assert sarif_validator().is_valid(log)
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                  for r in log["runs"][0]["results"])
    assert uris == ["course/lessons/%FF.mp4", "course/lessons/a%01b.mp4"]
    gitlab = json.loads((tmp_path / "gitlab.out").read_text(encoding="utf-8"))
    assert "course/lessons/\ufffd.mp4" in {issue["location"]["path"] for issue in gitlab}


# --- GitHub -------------------------------------------------------------------------------


def test_github_escapes_messages_and_properties() -> None:
    assert escape_data("100%\r\n: ,") == "100%25%0D%0A: ,"
    assert escape_property("课程/第1课:扫码,付款%.mp4\n") == "课程/第1课%3A扫码%2C付款%25.mp4%0A"


def test_github_annotations_escape_real_findings(course: Course,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    course.manifest["theme"] = "100%\r\n老年智慧生活"
    course.build()
    (course.root / "lessons" / "第11课:扫码,付款.mp4").write_bytes(b"")
    monkeypatch.chdir(course.root.parent)
    run = run_cli("check", "course", "--format", "github")
    lines = run.stdout.split("\n")
    theme_line = course.line_of("theme:")
    assert lines[0].startswith(f"::error file=course/course.yaml,line={theme_line},"
                               "title=coursecheck C105::'100%25%0D%0A老年智慧生活' is not one")
    assert lines[1] == ("::warning file=course/lessons/第11课%3A扫码%2C付款.mp4,"
                        "title=coursecheck C204::Video file 'lessons/第11课:扫码,付款.mp4' is "
                        "not listed in the manifest: add it to `lessons`, or move it out of the "
                        "course folder.")
    assert lines[2:] == [""]
    assert run.exit_code == 1


def test_auto_inside_github_actions_prints_text_and_annotations(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(REPO)
    run = run_cli("check", NEEDS_WORK)
    assert run.stdout.startswith(sample(NEEDS_WORK, "text").stdout)
    assert run.stdout.endswith(sample(NEEDS_WORK, "github").stdout)
    assert github_wheres(run.stdout) == json_wheres(sample(NEEDS_WORK, "json").report)
    assert run.exit_code == 1


@pytest.mark.parametrize("value", [None, "false"])
def test_auto_elsewhere_prints_text_only(value: str | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if value is None:
        monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    else:
        monkeypatch.setenv("GITHUB_ACTIONS", value)
    monkeypatch.chdir(REPO)
    run = run_cli("check", NEEDS_WORK)
    assert run.stdout == sample(NEEDS_WORK, "text").stdout
    assert "::error" not in run.stdout


# --- GitLab -------------------------------------------------------------------------------

CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "pattern": "^[A-Z][0-9]{3}$"},
            "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object", "required": ["path", "lines"],
                "properties": {"path": {"type": "string"},
                               "lines": {"type": "object", "required": ["begin"],
                                         "properties": {"begin": {"type": "integer",
                                                                  "minimum": 1}}}}},
        },
    },
}


def test_gitlab_code_quality_shape_severity_and_fingerprints() -> None:
    issues = json.loads(sample(NEEDS_WORK, "gitlab").stdout)
    jsonschema.validate(issues, CODE_QUALITY)
    by_rule = {issue["check_name"]: issue for issue in issues}
    assert by_rule["C106"]["severity"] == "major"
    assert by_rule["V205"]["severity"] == "minor"
    assert by_rule["C106"]["location"] == {"path": f"{NEEDS_WORK}/course.yaml",
                                           "lines": {"begin": 14}}
    assert by_rule["V104"]["location"]["lines"] == {"begin": 1}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues) == 9
    assert json.loads(sample(SAMPLES[1], "gitlab").stdout) == []


# --- one run, several files ---------------------------------------------------------------


def test_output_writes_several_formats_with_the_same_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    files = {fmt: tmp_path / f"report.{fmt}" for fmt in ("sarif", "junit", "gitlab", "github")}
    run = run_cli("check", *SAMPLES, "--format", "json",
                  *[arg for fmt, path in files.items() for arg in ("--output", f"{fmt}={path}")])
    expected = json_wheres(run.report)
    assert len(expected) == 9 and run.exit_code == 1
    text = {fmt: path.read_text(encoding="utf-8") for fmt, path in files.items()}
    assert sarif_wheres(json.loads(text["sarif"])) == expected
    assert junit_wheres(text["junit"]) == expected
    assert github_wheres(text["github"]) == expected
    assert {(i["check_name"], i["location"]["path"], i["location"]["lines"]["begin"])
            for i in json.loads(text["gitlab"])} == {(r, p, line or 1) for r, p, line in expected}


# --- golden files -------------------------------------------------------------------------

GOLDEN_CASES = [(course, fmt, "en") for course in SAMPLES for fmt in ("text", "github", "gitlab")]
GOLDEN_CASES.append((NEEDS_WORK, "text", "zh"))


def normalised(text: str) -> str:
    """``text`` with the version and the checkout's absolute path replaced by placeholders."""
    return text.replace(str(REPO), "<REPO>").replace(__version__, "<VERSION>")


@pytest.mark.parametrize(("course", "fmt", "lang"), GOLDEN_CASES)
def test_output_matches_the_golden_file(course: str, fmt: str, lang: str) -> None:
    golden = GOLDEN / f"{Path(course).name}.{lang}.{fmt}"
    actual = normalised(sample(course, fmt, lang).stdout)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")


def test_fingerprints_do_not_depend_on_the_language(tmp_path: Path) -> None:
    prints = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"{lang}.sarif"
        with at_repo_root():
            run_cli("check", NEEDS_WORK, "--lang", lang, "--format", "json",
                    "--output", f"sarif={out}")
        results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
        prints[lang] = [r["partialFingerprints"] for r in results]
        assert results
    assert prints["en"] == prints["zh"]


def test_non_utf8_file_name_in_text_and_json_output_files(course: Course, tmp_path: Path) -> None:
    root = course.build()
    (root / os.fsdecode(b"lessons/\xff.mp4")).write_bytes(b"x")
    for fmt in ("text", "json"):
        out = tmp_path / f"report.{fmt}"
        run = run_cli("check", root, "--format", "json", "--output", f"{fmt}={out}")
        assert run.exit_code == 0
        assert "lessons/\ufffd.mp4" in out.read_text(encoding="utf-8")


def test_output_to_a_missing_folder_is_a_usage_error_before_checking(tmp_path: Path) -> None:
    with at_repo_root():
        run = run_cli("check", NEEDS_WORK, "--output", f"sarif={tmp_path / 'no' / 'x.sarif'}")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "does not exist" in run.stderr

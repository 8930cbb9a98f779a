"""Issue 9 §5: ``check`` tells authors what the province will reject, as ``audit`` does.

A003 and A004 are about one course's own fields, so ``check`` raises them with the same default
severity; only the rules comparing several courses (A001, A002) stay in ``audit``. One course
checked alone and inside an audit gets the same findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.helpers import Course, Media, check_json, run_cli


def test_a_course_without_province_level_or_contact_fails_check_with_a003(
        course: Course) -> None:
    for key in ("province", "level", "contact"):
        del course.manifest[key]
    root = course.build()
    run = check_json(root)
    assert [(f["rule"], f["severity"]) for f in run.findings()] == [("A003", "error")]
    assert run.where("A003") == [("course.yaml", 1)]
    assert "province, level, contact.name, contact.phone" in run.findings("A003")[0]["message"]
    assert run.exit_code == 1
    zh = run_cli("check", root, "--format", "json", "--lang", "zh")
    assert "汇总表" in zh.report["courses"][0]["findings"][0]["message"]


def test_an_empty_contact_phone_is_a003_at_the_contact(course: Course) -> None:
    course.manifest["contact"]["phone"] = ""
    root = course.build()
    run = check_json(root)
    assert run.where("A003") == [("course.yaml", course.line_of("contact:"))]
    assert "contact.phone" in run.findings("A003")[0]["message"]
    assert run.exit_code == 1


def test_a_mistyped_phone_is_an_a004_warning_in_check(course: Course) -> None:
    course.manifest["contact"]["phone"] = "1380013800"
    root = course.build()
    run = check_json(root)
    assert [(f["rule"], f["severity"]) for f in run.findings()] == [("A004", "warning")]
    assert run.where("A004") == [("course.yaml", course.line_of("phone:"))]
    assert run.exit_code == 0
    assert check_json(root, "--strict").exit_code == 1


def test_a_complete_course_has_no_province_findings_in_check(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings() == [] and run.exit_code == 0


def _comparable(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((f["rule"], f["severity"], f["file"], f["line"], f["message"])
                  for f in findings)


def test_one_course_alone_and_inside_an_audit_gets_the_same_findings(
        tmp_path: Path, media: Media) -> None:
    first = Course.good(tmp_path / "submission" / "a", media)
    del first.manifest["level"]
    first.manifest["contact"]["phone"] = "010-6609"
    second = Course.good(tmp_path / "submission" / "b", media)  # the same name as the first
    first.build(), second.build()
    alone = check_json(first.root)
    audited = run_cli("audit", tmp_path / "submission", "--format", "json", "--lang", "en",
                      "--jobs", "1")
    in_audit = next(c for c in audited.report["courses"] if c["path"].endswith("/a"))
    assert {f["rule"] for f in alone.findings()} == {"A003", "A004"}
    assert _comparable(alone.findings()) == _comparable(in_audit["findings"])
    assert "A002" not in {f["rule"] for f in check_json(second.root).findings()}
    province_rules = {f["rule"] for p in audited.report["audit"]["provinces"]
                      for f in p["findings"]}
    assert province_rules == {"A002"}  # several courses: only audit says it
    assert alone.exit_code == 1 and audited.exit_code == 1


def test_a003_follows_the_configured_severity_in_check(course: Course) -> None:
    del course.manifest["province"]
    root = course.build()
    (root / ".coursecheck.yaml").write_text("rules:\n  A003: warning\n", encoding="utf-8")
    run = check_json(root)
    assert [(f["rule"], f["severity"]) for f in run.findings()] == [("A003", "warning")]
    assert run.exit_code == 0

"""The baseline every rule test starts from: a good course passes, cleanly."""

from __future__ import annotations

from tests.helpers import Course, check_json


def test_good_course_passes_every_rule(course: Course) -> None:
    run = check_json(course.build())
    assert run.findings() == []
    assert run.exit_code == 0
    assert run.report["courses"][0]["verdict"] == "pass"
    assert len(run.report["courses"][0]["lessons"]) == 10

"""A kept course's JSON gives back exactly what was checked, or is refused (issue 13).

The manifests here are real files read by :func:`coursecheck.gather.read_manifest`; their facts
go through JSON text and back, and must compare equal, types included.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coursecheck.audit.snapshotjson import (
    Unkept,
    manifest_from_json,
    manifest_to_json,
    result_from_json,
    result_to_json,
)
from coursecheck.findings import CourseResult, Finding, LessonSummary, Severity
from coursecheck.gather import read_manifest

HEAD = "name: 课程\ntheme: 老年智慧生活\nintro: 简介\n"


def through_text(value: Any) -> Any:
    return json.loads(json.dumps(value, allow_nan=False))


@pytest.mark.parametrize("text", [
    HEAD + "created: 2023-03-15\n",  # a date
    HEAD + "created: 2023-03-15 08:30:00+08:00\n",  # a timestamp with its zone
    HEAD + "contact:\n  phone: 02164321765\n",  # YAML 1.1 reads an octal number; typed keeps it
    HEAD + "lessons:\n- title: 一\n  file: 01.mp4\n- {title: 二, file: 02.mp4, extra: 1.5}\n",
    HEAD + "level：township\n",  # a full-width colon: a slip, read repaired
    HEAD + "intro: [unclosed\n",  # a syntax error: no document, an error with its line
    HEAD + "declarations: {public_welfare: yes, open_sharing_consent: ~}\n",
], ids=["date", "datetime", "octal", "lessons", "slip", "syntax", "booleans"])
def test_manifest_facts_come_back_equal(tmp_path: Path, text: str) -> None:
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    facts = read_manifest(path)
    again = manifest_from_json(through_text(manifest_to_json(facts)))
    assert again == facts
    if facts.doc is not None:
        assert repr(again.doc.data) == repr(facts.doc.data)  # 1 stays 1, 1.5 stays 1.5


@pytest.mark.parametrize("line", [
    "cover: !!binary aGVsbG8=", "tags: !!set {a, b}", "order: 1000000000000000000000",
    "ratio: .nan",
])
def test_what_json_cannot_hold_exactly_is_not_kept(tmp_path: Path, line: str) -> None:
    path = tmp_path / "course.yaml"
    path.write_text(HEAD + line + "\n", encoding="utf-8")
    facts = read_manifest(path)
    assert facts.doc is not None
    with pytest.raises(Unkept):
        manifest_to_json(facts)


def good_manifest(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "course.yaml"
    path.write_text(HEAD + "created: 2023-03-15\n", encoding="utf-8")
    return dict(through_text(manifest_to_json(read_manifest(path))))


@pytest.mark.parametrize("damage", [
    lambda m: m.update(extra=1),
    lambda m: m["doc"]["lines"].append([["name"], True]),  # a boolean for a line
    lambda m: m["doc"]["data"].update(created={"\x00time": "08:30"}),  # a tag that is no date
    lambda m: m["doc"]["data"].update(created={"\x00date": "2023-02-30"}),
    lambda m: m.update(error=["syntax", "x", None]),  # both read and not read
    lambda m: m["slips"].append([1, "tab"]),
], ids=["key", "line", "tag", "date", "both", "slip"])
def test_a_damaged_manifest_entry_is_refused(tmp_path: Path, damage: Any) -> None:
    value = good_manifest(tmp_path)
    damage(value)
    with pytest.raises((ValueError, TypeError)):
        manifest_from_json(value)


def test_a_result_comes_back_equal_and_a_damaged_one_is_refused() -> None:
    result = CourseResult("tree/a", "课程", (
        LessonSummary("第1课", "lessons/01.mp4", 420, 1280, 720, 25.0, "AVC"),
        LessonSummary("第2课", "lessons/02.mp4", None, None, None, None, None)), (
        Finding("V104", Severity.ERROR, "lessons/01.mp4", "The picture is …", None,
                "1280×720", "1920×1080", "V104", (("width", "1920"),)),
        Finding("C103", Severity.WARNING, "course.yaml", "…", 4)))
    value = through_text(result_to_json(result))
    again = result_from_json(value, "tree/a")
    assert again == result
    assert type(again.lessons[0].duration_s) is int  # prints as 420, as the cold run did
    value["findings"][0][1] = "off"
    with pytest.raises(ValueError):
        result_from_json(value, "tree/a")
    with pytest.raises(Unkept):
        result_to_json(CourseResult("a", None, (LessonSummary("t", "f", float("inf")),)))


@pytest.mark.parametrize("lesson", [
    LessonSummary("t", "f", 1e308),  # finite, but ten of them add up to infinity
    LessonSummary("t", "f", -1.0),
    LessonSummary("t", "f", 1.0, -1280, 720),
    LessonSummary("t", "f", 1.0, 1280, 720, 2.0**64),
    LessonSummary("t", "f", 1.0, 10**400, 720),  # beyond a float: compared, never converted
], ids=["huge", "negative", "width", "fps", "beyond"])
def test_numbers_out_of_the_probe_caches_range_are_neither_kept_nor_read(
        lesson: LessonSummary) -> None:
    result = CourseResult("a", None, (lesson,))
    with pytest.raises(Unkept):
        result_to_json(result)
    value = through_text(result_to_json(CourseResult("a", None, (LessonSummary("t", "f"),))))
    value["lessons"][0][2:7] = [lesson.duration_s, lesson.width, lesson.height, lesson.fps,
                                None]
    with pytest.raises(ValueError):
        result_from_json(value, "a")

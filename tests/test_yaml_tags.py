"""A YAML tag whose value it cannot hold (issue 15 §3) is C002 on its line, never X001."""

from __future__ import annotations

import pytest
import yaml

from tests.helpers import Course, check_json


@pytest.mark.parametrize("tagged", ["!!timestamp nope", "!!bool maybe"])
def test_a_tag_with_an_impossible_value_is_c002_on_its_line(course: Course, tagged: str) -> None:
    text = yaml.safe_dump(course.manifest, allow_unicode=True, sort_keys=False)
    course.manifest_text = text.replace("\nintro:", f"\nnote: {tagged}\nintro:", 1)
    root = course.build()
    run = check_json(root)
    assert run.where("C002") == [("course.yaml", course.line_of("note:"))]
    assert tagged.split()[1] in run.findings("C002")[0]["message"]
    assert run.findings("X001") == [] and run.exit_code == 1

"""schemas/course.schema.json is generated from the pydantic model and matches the samples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from coursecheck.manifest import json_schema
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "schemas" / "course.schema.json"


def test_committed_schema_matches_the_model() -> None:
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == json_schema(), (
        "schemas/course.schema.json is stale: run `make schema`")


def test_schema_command_prints_the_schema() -> None:
    run = run_cli("schema")
    assert json.loads(run.stdout) == json_schema()
    assert run.exit_code == 0


@pytest.mark.parametrize("sample", ["good-course"])
def test_sample_manifest_is_valid_against_the_schema(sample: str) -> None:
    data = yaml.safe_load((REPO / "sample_courses" / sample / "course.yaml").read_text("utf-8"))
    data["created"] = str(data["created"])
    jsonschema.validate(data, json_schema())


def test_schema_rejects_unknown_keys_and_lists_themes() -> None:
    schema = json_schema()
    assert schema["additionalProperties"] is False
    assert len(schema["properties"]["theme"]["enum"]) == 10
    assert schema["properties"]["intro"]["maxLength"] == 100
    assert set(schema["required"]) >= {"name", "theme", "intro", "created", "instructor",
                                       "cover", "lessons"}

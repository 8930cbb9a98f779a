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


CASE_SCHEMA = REPO / "schemas" / "case.schema.json"


def test_committed_case_schema_matches_the_model() -> None:
    from coursecheck.case import json_schema as case_schema

    assert json.loads(CASE_SCHEMA.read_text(encoding="utf-8")) == case_schema(), (
        "schemas/case.schema.json is stale: run `make schema`")


def test_schema_kind_case_prints_the_case_schema_and_accepts_a_passing_case() -> None:
    from coursecheck.case import json_schema as case_schema
    from coursecheck.synth import passing_case

    run = run_cli("schema", "--kind", "case")
    assert run.exit_code == 0 and json.loads(run.stdout) == case_schema()
    schema = case_schema()
    assert schema["properties"]["highlights"]["maxLength"] == 1000
    assert schema["properties"]["promotion"]["maxLength"] == 300
    jsonschema.validate(passing_case(recommendation_order=1), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(passing_case(recommendation_order=0), schema)

"""A submitted course cannot configure its own audit (issue 15 §1): C006, the auditor's settings
for every course and for the province rules, and ``check --no-course-config``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import run_cli

SAMPLE = Path(__file__).resolve().parent.parent / "sample_courses" / "needs-work"
DISABLE = "rules: {C105: off, C101: off, C106: off, V104: off, V105: off, V203: off, " \
          "V101: off, V205: off, C204: off}\n"


def _findings(report: dict[str, Any], course: str) -> list[tuple[str, str]]:
    found = [c for c in report["courses"] if Path(c["path"]).name == course]
    assert len(found) == 1
    return [(f["rule"], f["file"]) for f in found[0]["findings"]]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample that fails, twice: ``plain`` as submitted, ``aaa-sneaky`` (sorting first)
    shipping a .coursecheck.yaml that turns off every rule it fails and the province rules."""
    root = tmp_path_factory.mktemp("trust") / "浙江省"
    shutil.copytree(SAMPLE, root / "plain")
    shutil.copytree(SAMPLE, root / "aaa-sneaky")
    (root / "aaa-sneaky" / ".coursecheck.yaml").write_text(
        DISABLE.replace("}", ", A002: off}"), encoding="utf-8")
    return root


def test_a_course_cannot_turn_off_the_rules_it_fails_in_an_audit(province: Path) -> None:
    run = run_cli("audit", province, "--format", "json", "--lang", "en", "--jobs", "1")
    assert run.exit_code == 1
    plain = _findings(run.report, "plain")
    sneaky = _findings(run.report, "aaa-sneaky")
    assert ("V104", "lessons/03.mp4") in plain
    assert sorted(sneaky) == sorted([("C006", ".coursecheck.yaml"), *plain])
    # the province rules ran with the auditor's settings: the same name twice is A002
    province_rules = [f["rule"] for p in run.report["audit"]["provinces"] for f in p["findings"]]
    assert "A002" in province_rules


def test_an_invalid_configuration_inside_a_course_does_not_stop_the_audit(
        province: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    shutil.copytree(province / "plain", root / "broken")
    (root / "broken" / ".coursecheck.yaml").write_text("rules: {V999: sometimes}\n",
                                                       encoding="utf-8")
    run = run_cli("audit", root, "--format", "json", "--lang", "en", "--jobs", "1")
    assert run.exit_code == 1, run.stderr
    assert ("C006", ".coursecheck.yaml") in _findings(run.report, "broken")


def test_the_auditors_configuration_above_the_courses_applies(province: Path,
                                                               tmp_path: Path) -> None:
    root = tmp_path / "audit-root"
    shutil.copytree(province / "plain", root / "plain")
    (root / ".coursecheck.yaml").write_text("rules: {V104: off}\n", encoding="utf-8")
    run = run_cli("audit", root, "--format", "json", "--lang", "en", "--jobs", "1")
    rules = [rule for rule, _ in _findings(run.report, "plain")]
    assert "V104" not in rules and "V105" in rules and "C006" not in rules
    assert run.exit_code == 1


def test_check_reads_the_authors_own_configuration(province: Path) -> None:
    run = run_cli("check", province / "aaa-sneaky", "--format", "json", "--lang", "en")
    assert run.exit_code == 0
    assert run.findings() == []


def test_check_without_the_course_configuration_behaves_like_the_audit(province: Path) -> None:
    run = run_cli("check", province / "aaa-sneaky", "--no-course-config", "--format", "json",
                  "--lang", "en")
    assert run.exit_code == 1
    found = [(f["rule"], f["file"]) for f in run.findings()]
    assert ("C006", ".coursecheck.yaml") in found and ("V104", "lessons/03.mp4") in found
    quiet = run_cli("check", province / "plain", "--no-course-config", "--format", "json")
    assert "C006" not in [f["rule"] for f in quiet.findings()]

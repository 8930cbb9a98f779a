"""D001–D107 on real lessons with planted defects: each fires on its defect and nowhere else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from coursecheck.synth import link_or_copy, passing_manifest
from tests.deep_corpus import DeepCorpus
from tests.helpers import Run, run_cli

pytestmark = pytest.mark.timeout(300)
DEFECTS = ["clean", "black", "freeze", "mute", "silent", "quiet", "loud", "clipped",
           "short_audio", "dropped", "corrupt", "cut"]


def build(root: Path, corpus: DeepCorpus, names: list[str], config: str = "") -> Path:
    """A course whose lessons are ``lessons/NAME.mp4``."""
    files = [f"lessons/{name}.mp4" for name in names]
    for name, rel in zip(names, files, strict=True):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(corpus[name], root / rel)
    (root / "course.yaml").write_text(yaml.safe_dump(passing_manifest(files), allow_unicode=True,
                                                     sort_keys=False), encoding="utf-8")
    if config:
        (root / ".coursecheck.yaml").write_text(config, encoding="utf-8")
    return root


def deep_check(*paths: Path, level: str = "full") -> Run:
    return run_cli("check", *paths, "--format", "json", "--lang", "en", "--deep", level,
                   "--select", "D")


@pytest.fixture(scope="module")
def defects(tmp_path_factory: pytest.TempPathFactory, deep_corpus: DeepCorpus) -> Run:
    """One deep check of a course holding every planted defect (frozen stretches over 3 s)."""
    root = build(tmp_path_factory.mktemp("deep") / "defects", deep_corpus, DEFECTS,
                 "freeze_min_seconds: 3\n")
    return deep_check(root)


def by_file(run: Run, rule: str) -> dict[str, dict[str, Any]]:
    return {f["file"]: f for f in run.findings(rule)}


def lesson(run: Run, name: str) -> dict[str, Any]:
    found = [x for c in run.report["courses"] for x in c["lessons"]
             if x["file"] == f"lessons/{name}.mp4"]
    return dict(found[0])


@pytest.mark.parametrize(("rule", "name", "words"), [
    ("D001", "corrupt", "decode errors"),
    ("D002", "cut", "the header claims 0:08.0"),
    ("D003", "dropped", "jump"),
    ("D101", "black", "0:02.0–0:05.0"),
    ("D102", "freeze", "0:0"),
    ("D103", "mute", "0:02.0–0:14.0"),
    ("D103", "silent", "whole lesson is silent"),
    ("D104", "quiet", "-30.0 LUFS, quieter"),
    ("D104", "loud", "louder"),
    ("D105", "clipped", "clipped"),
    ("D106", "short_audio", "audio 0:00.0–0:05.0"),
])
def test_each_rule_fires_on_its_planted_defect(defects: Run, rule: str, name: str,
                                                words: str) -> None:
    found = by_file(defects, rule)
    assert f"lessons/{name}.mp4" in found, defects.findings(rule)
    finding = found[f"lessons/{name}.mp4"]
    assert words in finding["message"] and finding["line"] is None
    assert defects.exit_code == 1


@pytest.mark.parametrize(("rule", "only"), [
    ("D001", {"corrupt", "cut"}), ("D002", {"cut"}), ("D003", {"dropped"}), ("D101", {"black"}),
    ("D102", {"freeze"}), ("D103", {"mute", "silent"}), ("D104", {"quiet", "loud", "clipped"}),
    ("D105", {"clipped"}), ("D106", {"short_audio"}),
])
def test_each_rule_stays_quiet_elsewhere(defects: Run, rule: str, only: set[str]) -> None:
    assert {Path(f).stem for f in by_file(defects, rule)} == only


def test_spans_and_loudness_are_measured_accurately(defects: Run) -> None:
    assert lesson(defects, "clean")["deep"]["loudness_lufs"] == pytest.approx(-18.0, abs=0.5)
    (black,) = lesson(defects, "black")["deep"]["black"]
    assert black == pytest.approx([2.0, 5.0], abs=0.2)
    (frozen,) = lesson(defects, "freeze")["deep"]["frozen"]
    assert frozen == pytest.approx([2.0, 7.0], abs=0.2)
    (silent,) = lesson(defects, "mute")["deep"]["silent"]
    assert silent == pytest.approx([2.0, 14.0], abs=0.2)
    corrupt = lesson(defects, "corrupt")["deep"]
    assert corrupt["decode_errors"] > 0 and corrupt["first_error_s"] is not None


def test_a_clean_course_has_no_deep_finding_and_a_spread_course_gets_d107(
        tmp_path: Path, deep_corpus: DeepCorpus) -> None:
    clean = build(tmp_path / "clean", deep_corpus, ["clean"])
    spread = build(tmp_path / "spread", deep_corpus, ["minus16", "minus21"])
    run = deep_check(clean, spread)
    assert [f["rule"] for f in run.report["courses"][0]["findings"]] == []
    (d107,) = run.findings("D107")
    assert d107["file"] == "course.yaml" and d107["line"] is not None
    assert "lessons/minus16.mp4" in d107["message"] and "lessons/minus21.mp4" in d107["message"]
    assert run.exit_code == 0  # D107 is a warning


def test_quick_decodes_audio_only(tmp_path: Path, deep_corpus: DeepCorpus) -> None:
    root = build(tmp_path / "c", deep_corpus, ["black", "quiet"])
    run = deep_check(root, level="quick")
    assert run.findings("D101") == []  # the picture is not decoded
    assert [Path(f).stem for f in by_file(run, "D104")] == ["quiet"]
    assert lesson(run, "black")["deep"]["level"] == "quick"


def test_without_deep_nothing_is_decoded(tmp_path: Path, deep_corpus: DeepCorpus) -> None:
    root = build(tmp_path / "c", deep_corpus, ["quiet"])
    run = run_cli("check", root, "--format", "json", "--select", "D")
    assert run.exit_code == 0 and run.findings() == []
    assert lesson(run, "quiet")["deep"] is None

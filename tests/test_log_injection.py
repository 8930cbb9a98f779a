"""File names from a submission cannot act on a CI log or a reader (issue 15 §3): control and
bidirectional-override characters are escaped or shown in every report format."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.helpers import Course, Media, run_cli

EVIL = "evil\u202e4pm.mp4"  # reads as "evilmp4.exe" where the override acts
ESC = "red\x1b[31m\x07.mp4"
CR = "two\rlines.mp4"
RAW = ("\u202e", "\x1b", "\x07", "\r")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Path:
    built = Course.good(tmp_path_factory.mktemp("inject") / "course", media)
    root = built.build()
    for name in (EVIL, ESC, CR):  # unlisted videos: C204 names each one
        os.link(media.clip(), root / "lessons" / name)
    return root


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "gitlab", "junit"])
def test_no_format_carries_a_raw_control_or_bidi_character(course: Path, fmt: str) -> None:
    run = run_cli("check", course, "--format", fmt, "--lang", "en")
    assert run.exit_code == 0  # C204 is a warning
    assert "C204" in run.stdout
    body = run.stdout.replace("\n", "")
    for char in RAW:
        assert char not in body, (fmt, repr(char))


def test_the_machine_formats_keep_the_real_names_when_parsed(course: Path) -> None:
    report = json.loads(run_cli("check", course, "--format", "json").stdout)
    files = {f["file"] for c in report["courses"] for f in c["findings"] if f["rule"] == "C204"}
    assert files == {f"lessons/{name}" for name in (EVIL, ESC, CR)}
    junit = ET.fromstring(run_cli("check", course, "--format", "junit").stdout)
    names = {case.get("name") for case in junit.iter("testcase")}
    assert f"lessons/{CR}" in names and f"lessons/{EVIL}" in names


def test_github_and_text_show_the_characters_instead(course: Path) -> None:
    github = run_cli("check", course, "--format", "github").stdout
    assert "evil\\u202e4pm.mp4" in github and "red\\u001b[31m\\u0007.mp4" in github
    assert "two%0Dlines.mp4" in github
    text = run_cli("check", course, "--format", "text", "--lang", "en").stdout
    assert "evil\ufffd4pm.mp4" in text

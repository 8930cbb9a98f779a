"""check on small media files other tools made (CPython's test data, see tests/data/others):
readable audio reaches the rules as audio in the wrong container, the rest is V001."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import Course, Run, check_json, run_cli

OTHERS = Path(__file__).parent / "data" / "others"
AUDIO = {"pluck-pcm16.aiff": "AIFF", "pluck-alaw.aifc": "AIFF", "pluck-pcm16.au": "AU",
         "pluck-pcm16.wav": "Wave", "Sine-1000Hz-300ms.aif": "AIFF", "sndhdr.aiff": "AIFF"}
NOT_MEDIA = {"sndhdr.8svx": "V001.not_media", "sndhdr.voc": "V001.not_media",
             "python.gif": "V001.still"}


@pytest.fixture
def course_with_all(course: Course, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The good course with its lessons 1–9 replaced by the files of other tools."""
    where = {}
    for number, name in enumerate([*AUDIO, *NOT_MEDIA], 1):
        copy = tmp_path / "copies" / name
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(OTHERS / name, copy)
        where[name] = course.set_lesson(number, copy, f"lessons/{name}")
    return course.build(), where


def test_other_tools_media_gets_sensible_verdicts(
        course_with_all: tuple[Path, dict[str, str]]) -> None:
    root, where = course_with_all
    run = check_json(root)
    assert run.exit_code == 1
    by_file: dict[str, dict[str, dict[str, object]]] = {}
    for finding in run.findings():
        by_file.setdefault(finding["file"], {})[finding["rule"]] = finding
    for name, container in AUDIO.items():
        found = by_file[where[name]]
        assert "V001" not in found, name
        assert found["V101"]["actual"] == container and "V102" in found, name
    for name in NOT_MEDIA:
        assert list(by_file[where[name]]) == ["V001"], name
    en = {f["file"]: f["message"] for f in run.findings("V001")}
    assert "still picture" in str(en[where["python.gif"]])
    assert "not a media file" in str(en[where["sndhdr.voc"]])


@pytest.mark.timeout(300)
def test_deep_checks_on_other_tools_audio(
        course_with_all: tuple[Path, dict[str, str]]) -> None:
    """Decoded: CPython's plucks peak at full scale (clipped, D105) and are far too short for a
    gated loudness, so they are neither silent (D103) nor quiet (D104); its 1 kHz sine peaks at
    −3 dBFS; the AIFF of five silent frames is silent. Files MediaInfo cannot read are not
    decoded."""
    root, where = course_with_all
    run = check_json(root, "--deep", "full", "--select", "D", "--no-cache")
    assert run.exit_code == 0  # D-rules are warnings
    found: dict[str, set[str]] = {}
    for finding in run.findings():
        found.setdefault(finding["file"], set()).add(finding["rule"])
    plucks = ["pluck-pcm16.aiff", "pluck-alaw.aifc", "pluck-pcm16.au", "pluck-pcm16.wav"]
    for name in plucks:
        assert found.get(where[name]) == {"D105"}, name
    assert where["Sine-1000Hz-300ms.aif"] not in found
    assert found.get(where["sndhdr.aiff"]) == {"D103"}
    lessons = {x["file"]: x for c in run.report["courses"] for x in c["lessons"]}
    for name in plucks:
        deep = lessons[where[name]]["deep"]
        assert deep["loudness_lufs"] is None and deep["sample_peak_dbfs"] >= -0.2, name
        assert deep["decode_errors"] == 0 and abs(deep["decoded_s"] - 0.3) < 0.05, name
    for name in NOT_MEDIA:
        assert lessons[where[name]]["deep"] is None, name


def test_a_warm_audit_of_other_tools_media_is_answered_whole_and_equals_a_cold_one(
        course_with_all: tuple[Path, dict[str, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The course cache keeps what MediaInfo said of files other tools made (audio in other
    containers, files it cannot read) and gives it back exactly, without running a rule."""
    import coursecheck.audit.run

    root, where = course_with_all
    cache = tmp_path / "cache"

    def audit(*extra: str) -> Run:
        return run_cli("audit", root, "--format", "json", "--lang", "en", *extra)

    cold = audit("--no-cache")
    audit("--cache-dir", str(cache))
    assert len(list((cache / "course").glob("*.json"))) == 1

    def fail(*args: object) -> object:
        raise AssertionError("the course cache should have answered")

    monkeypatch.setattr(coursecheck.audit.run, "evaluate", fail)
    warm = audit("--cache-dir", str(cache))
    assert warm.exit_code == cold.exit_code == 1
    assert warm.report["courses"] == cold.report["courses"]
    found = {(f["rule"], f["file"]) for c in warm.report["courses"] for f in c["findings"]}
    assert ("V001", where["sndhdr.voc"]) in found and ("V101", where["pluck-pcm16.wav"]) in found


@pytest.mark.skipif(os.name != "posix", reason="the counting ffmpeg wrapper is a shell script")
def test_a_warm_html_report_of_other_tools_media_starts_no_ffmpeg(
        course_with_all: tuple[Path, dict[str, str]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Thumbnails of files other tools made (audio only, a GIF, files MediaInfo cannot read):
    made once, and a re-run takes them, and the verdict that none could be made, from the
    cache without one ffmpeg process."""
    from tests.test_html_scale import ffmpeg_wrapper, runs, thumbs

    root, _ = course_with_all
    wrapper, log = ffmpeg_wrapper(tmp_path)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(wrapper))
    cache, cold_html, warm_html = tmp_path / "cache", tmp_path / "cold.html", tmp_path / "w.html"
    cold = run_cli("audit", root, "--html", cold_html, "--cache-dir", cache)
    assert cold.exit_code == 1 and runs(log) >= 1, cold.stderr
    before = runs(log)
    warm = run_cli("audit", root, "--html", warm_html, "--cache-dir", cache)
    assert warm.exit_code == 1, warm.stderr
    assert runs(log) == before  # not one ffmpeg process
    assert thumbs(warm_html) == thumbs(cold_html)
    assert warm_html.read_text("utf-8") == cold_html.read_text("utf-8")

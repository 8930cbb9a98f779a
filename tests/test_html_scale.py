"""The HTML report at scale (issue 13): cached thumbnails, Ctrl-C while making them, and a
500-lesson report that loads in headless Chromium and can be filtered and searched.

ffmpeg runs are counted through a wrapper script set in ``COURSECHECK_FFMPEG``.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from PIL import Image

from coursecheck.audit.html import render
from coursecheck.audit.html_thumbs import data_uri
from coursecheck.audit.model import AuditCourse, AuditResult
from coursecheck.facts import ManifestFacts
from coursecheck.findings import CourseResult, Finding, LessonSummary, Severity
from coursecheck.manifest import ManifestView
from coursecheck.tools import find_ffmpeg
from tests.helpers import SCRIPTS, Course, run_cli
from tests.test_audit_html import Browser, _as_error, parse
from tests.test_audit_html import browser as browser  # the module's Chromium, for this module
from tests.test_audit_html import chromium as chromium


def ffmpeg_wrapper(folder: Path, slow_marker: Path | None = None) -> tuple[Path, Path]:
    """A script that logs each run to a file, then runs the real ffmpeg (after a long sleep,
    when ``slow_marker`` is given, having written its pid there)."""
    real, _ = find_ffmpeg()
    assert real is not None
    log = folder / "ffmpeg-runs.log"
    script = folder / "ffmpeg-wrapper.sh"
    slow = f'echo $$ > "{slow_marker}"; sleep 60\n' if slow_marker else ""
    script.write_text(f'#!/bin/sh\necho run >> "{log}"\n{slow}exec "{real}" "$@"\n',
                      encoding="utf-8")
    script.chmod(0o755)
    return script, log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def thumbs(html: Path) -> list[str]:
    return [img.attrs["src"] for img in parse(html.read_text("utf-8")).all("img", "thumb")]


@pytest.mark.timeout(300)
def test_a_warm_run_with_html_starts_no_ffmpeg(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    wrapper, log = ffmpeg_wrapper(tmp_path)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(wrapper))
    cache, cold_html, warm_html = tmp_path / "cache", tmp_path / "cold.html", tmp_path / "w.html"
    cold = run_cli("audit", root, "--html", cold_html, "--cache-dir", cache, "--jobs", "2")
    assert cold.exit_code == 0, cold.stderr
    assert runs(log) >= 10
    assert len(thumbs(cold_html)) == 10
    assert len(list((cache / "thumb").glob("*.json"))) == 10
    before = runs(log)
    warm = run_cli("audit", root, "--html", warm_html, "--cache-dir", cache, "--jobs", "2")
    assert warm.exit_code == 0, warm.stderr
    assert runs(log) == before  # not one ffmpeg process
    assert thumbs(warm_html) == thumbs(cold_html)
    assert "thumb cache" not in warm.stderr


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
@pytest.mark.timeout(300)
def test_ctrl_c_while_making_thumbnails_says_the_html_report_was_not_written(
        course: Course, tmp_path: Path) -> None:
    root = course.build()
    marker = tmp_path / "ffmpeg-started"
    wrapper, _ = ffmpeg_wrapper(tmp_path, slow_marker=marker)
    out = tmp_path / "report.html"
    env = {**os.environ, "COURSECHECK_FFMPEG": str(wrapper), "COURSECHECK_LANG": "en"}
    proc = subprocess.Popen(
        [str(SCRIPTS / "coursecheck"), "audit", str(root), "--html", str(out), "--jobs", "1",
         "--cache-dir", str(tmp_path / "cache")], env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (marker.exists() and marker.read_text().strip()):
            assert proc.poll() is None and time.monotonic() < deadline, "no ffmpeg started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "the HTML report" in stderr and "was not written" in stderr
    assert "thumbnails (0 of 10 made" in stderr
    assert not out.exists()
    with pytest.raises(ProcessLookupError):  # the sleeping "ffmpeg" was stopped with it
        for _ in range(50):
            os.kill(int(marker.read_text()), 0)
            time.sleep(0.1)


def _jpeg() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), (30, 120, 200)).save(buffer, "JPEG")
    return data_uri(buffer.getvalue())


def _big_result(root: Path, courses: int = 50, lessons: int = 10) -> AuditResult:
    provinces = ["浙江省", "江苏省", ""]
    made = []
    for n in range(courses):
        findings = (Finding("V105", Severity.ERROR, "lessons/03.mp4", "30 fps"),) if n % 5 == 0 \
            else (Finding("V108", Severity.WARNING, "lessons/02.mp4", "long"),) if n % 5 == 1 \
            else ()
        name = f"社区课程 {n:03d}" + (" 智能手机" if n % 10 == 7 else "")
        summary = tuple(LessonSummary(f"第{i}课", f"lessons/{i:02d}.mp4", 400.0, 1280, 720, 25.0,
                                      "AVC") for i in range(1, lessons + 1))
        result = CourseResult(f"tree/c{n:03d}", name, summary, findings)
        view = ManifestView({}, province=provinces[n % 3] or None)
        made.append(AuditCourse(result, root / f"c{n:03d}", _manifest(view)))
    return AuditResult(tuple(sorted(made, key=lambda c: (c.province == "", c.province))))


def _manifest(view: ManifestView) -> ManifestFacts:
    return ManifestFacts("course.yaml", view=view)


def test_a_500_lesson_report_loads_and_filters_in_chromium(
        browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = _big_result(tmp_path)
    uri = _jpeg()
    page = tmp_path / "big.html"
    thumbs_for = {(c.root, lesson.file): uri for c in result.courses
                  for lesson in c.result.lessons}
    page.write_text(render(result, "zh", thumbs_for), encoding="utf-8")
    begun = time.perf_counter()
    errors = browser.load(page.as_uri(), settle_s=0.2)
    load_s = time.perf_counter() - begun
    with capsys.disabled():
        size = page.stat().st_size / 1e6
        print(f"\n500-lesson HTML report ({size:.1f} MB) loaded in Chromium in {load_s:.2f} s")
    assert errors == []
    shown = ("[...document.querySelectorAll('section.card')].filter(c => !c.hidden)"
             ".map(c => c.querySelector('h2').textContent)")
    rows = "[...document.querySelectorAll('tr[data-course]')].filter(r => !r.hidden).length"
    assert len(browser.evaluate(shown)) == 50
    assert browser.evaluate("document.getElementById('filters').hidden") is False
    assert browser.evaluate("document.getElementById('f-shown').textContent") == \
        "共 50 门课程，显示 50 门"

    def set_value(element: str, value: str, event: str) -> None:
        browser.evaluate(f"(e => {{ e.value = {value!r}; e.dispatchEvent(new Event('{event}')) }})"
                         f"(document.getElementById('{element}'))")

    set_value("f-q", "智能手机", "input")
    assert sorted(browser.evaluate(shown)) == [f"社区课程 {n:03d} 智能手机"
                                               for n in (7, 17, 27, 37, 47)]
    assert browser.evaluate(rows) == 5
    set_value("f-q", "", "input")
    set_value("f-verdict", "fail", "change")
    failing = browser.evaluate(shown)
    assert len(failing) == 10 and all(int(n.split()[1]) % 5 == 0 for n in failing)
    set_value("f-province", "p:江苏省", "change")  # failing and in Jiangsu: n % 5 == 0, n % 3 == 1
    assert sorted(browser.evaluate(shown)) == [f"社区课程 {n:03d}" for n in (10, 25, 40)]
    set_value("f-province", "p:", "change")  # courses without a province
    assert sorted(browser.evaluate(shown)) == [f"社区课程 {n:03d}" for n in (5, 20, 35)]
    assert browser.evaluate(rows) == 3
    assert [line for e in browser.events if (line := _as_error(e))] == []

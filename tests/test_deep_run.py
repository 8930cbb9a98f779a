"""Running deep checks: the cache, Ctrl-C, and the JSON ``deep`` object."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coursecheck.tools import find_ffmpeg
from tests.deep_corpus import DeepCorpus
from tests.helpers import SCRIPTS, run_cli
from tests.test_deep_rules import build

pytestmark = [pytest.mark.timeout(300),
              pytest.mark.skipif(sys.platform == "win32", reason="uses a POSIX shell wrapper")]


def counting_ffmpeg(folder: Path) -> tuple[Path, Path]:
    """A wrapper around the real ffmpeg that logs each start's pid, and that log."""
    real, _ = find_ffmpeg()
    assert real is not None
    log = folder / "started.log"
    wrapper = folder / "ffmpeg-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho $$ >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper, log


def starts(log: Path) -> list[int]:
    return [int(x) for x in log.read_text().split()] if log.exists() else []


def test_a_warm_deep_run_starts_no_ffmpeg(tmp_path: Path, deep_corpus: DeepCorpus,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path / "c", deep_corpus, ["clean", "quiet"])
    wrapper, log = counting_ffmpeg(tmp_path)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(wrapper))
    args = ("check", root, "--format", "json", "--deep", "full", "--select", "D")
    cold = run_cli(*args)
    assert len(starts(log)) == 2
    warm = run_cli(*args)
    assert len(starts(log)) == 2  # nothing decoded again
    assert warm.report == cold.report
    assert warm.where("D104") == [("lessons/quiet.mp4", None)]
    entries = list((Path(os.environ["COURSECHECK_CACHE_DIR"]) / "deep").glob("*.json"))
    assert len(entries) == 2
    for entry in entries:  # damaged entries are decoded again, never believed
        entry.write_text('{"key": {}, "value": [1, 2]}', encoding="utf-8")
    assert run_cli(*args).report == cold.report
    assert len(starts(log)) == 4


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not running
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("command", "jobs"), [("check", "1"), ("check", "2"), ("audit", "2")])
def test_ctrl_c_during_a_deep_run_stops_every_ffmpeg_and_exits_130(
        tmp_path: Path, deep_corpus: DeepCorpus, command: str, jobs: str) -> None:
    root = build(tmp_path / "c", deep_corpus, ["clean", "black", "mute", "quiet"])
    wrapper, log = counting_ffmpeg(tmp_path)
    slow = tmp_path / "slow-ffmpeg"  # ffmpeg that takes its time: sleep first, then decode
    slow.write_text(f'#!/bin/sh\necho $$ >> "{log}"\nsleep 30 & wait\nexec "{wrapper}" "$@"\n',
                    encoding="utf-8")
    slow.chmod(0o755)
    env = {**os.environ, "COURSECHECK_FFMPEG": str(slow), "COURSECHECK_LANG": "en"}
    target = root if command == "check" else root.parent
    proc = subprocess.Popen([str(SCRIPTS / "coursecheck"), command, str(target), "--deep",
                             "--jobs", jobs, "--no-cache"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(starts(log)) < int(jobs) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert starts(log), "no ffmpeg started"
    children = _descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    if command == "audit":
        assert b"interrupted" in (out + err).lower()
    time.sleep(0.5)
    left = [pid for pid in starts(log) + children if alive(pid)]
    assert left == [], f"still running: {left} of {starts(log)} and {children}"


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
            if parent == pid:
                found += [int(entry), *_descendants(int(entry))]
    return found


def test_audit_deep_reports_loudness_spans_and_errors_in_every_format(
        tmp_path: Path, deep_corpus: DeepCorpus) -> None:
    import openpyxl

    build(tmp_path / "province" / "c1", deep_corpus, ["black", "quiet", "corrupt"])
    html, xlsx = tmp_path / "r.html", tmp_path / "r.xlsx"
    run = run_cli("audit", tmp_path / "province", "--format", "json", "--deep", "full",
                  "--select", "D", "--jobs", "2", "--html", html, "--xlsx", xlsx, "--lang", "en")
    assert '"loudness_lufs"' in run.stdout and "D104" in run.stdout and "D001" in run.stdout
    page = html.read_text(encoding="utf-8")
    assert 'class="strip"' in page and '<span class="black" style="left:25.00%;width:37.50%"' \
        in page
    assert 'class="legend' in page and "loudness -30.0 LUFS" in page
    assert "Loudness of the lessons: -30.0 to -18.0 LUFS (12.0 LU apart)" in page
    sheet = openpyxl.load_workbook(xlsx)["课程核查"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("Loudness (LUFS)", "Decode errors")
    assert rows[1][-2] == "-30.0 … -18.0" and int(rows[1][-1]) > 0


def test_doctor_names_the_filters_an_ffmpeg_lacks(tmp_path: Path) -> None:
    from coursecheck.deep.needs import missing_parts

    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\ncase \"$2\" in\n -filters) printf ' ... ebur128 A->A\\n"
                    " ... settb V->V\\n';;\n *) printf ' E framecrc x\\n E null y\\n';;\nesac\n",
                    encoding="utf-8")
    fake.chmod(0o755)
    missing = missing_parts(str(fake))
    assert missing is not None and "blackdetect" in missing and "ebur128" not in missing
    assert "framecrc" not in missing
    real, _ = find_ffmpeg()
    assert real is not None and missing_parts(real) == []


def test_deep_workers_also_start_by_spawn(tmp_path: Path, deep_corpus: DeepCorpus,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows and macOS do: the work unit and its arguments survive pickling."""
    monkeypatch.setenv("COURSECHECK_START_METHOD", "spawn")
    root = build(tmp_path / "c", deep_corpus, ["quiet", "loud"])
    run = run_cli("check", root, "--format", "json", "--deep", "quick", "--jobs", "2",
                  "--select", "D", "--no-cache")
    assert sorted(f for f, _ in run.where("D104")) == ["lessons/loud.mp4", "lessons/quiet.mp4"]


def test_an_ffmpeg_that_hangs_or_floods_is_stopped_and_reported(tmp_path: Path) -> None:
    from coursecheck.deep.runner import _run

    hang = tmp_path / "hang"
    hang.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    flood = tmp_path / "flood"
    flood.write_text("#!/bin/sh\nexec yes '0,          0,          0,     1024,      4, 0x0'\n",
                     encoding="utf-8")
    for script in (hang, flood):
        script.chmod(0o755)
    hung = _run([str(hang)], "full", 1.0, 1.0)
    assert hung.failure == "timeout" and "did not finish within 1 s" in hung.failure_detail
    flooded = _run([str(flood)], "full", 60.0, 1.0)
    assert flooded.failure == "output_cap"


def test_a_bug_in_a_deep_analysis_is_d002_crashed_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from coursecheck.deep.batch import Job, run_in_worker
    from coursecheck.deep.runner import DeepParams

    def broken(self: Job) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(Job, "run", broken)
    job = Job("lesson.mp4", "full", DeepParams(), True, True, 10.0)
    before = signal.getsignal(signal.SIGTERM)
    facts = run_in_worker(job)
    assert facts.failure == "crashed" and "ZeroDivisionError: a bug" in facts.failure_detail
    assert signal.getsignal(signal.SIGTERM) is before  # the worker's handler is put back

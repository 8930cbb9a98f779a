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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not running
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_during_a_deep_check_stops_every_ffmpeg_and_exits_130(
        tmp_path: Path, deep_corpus: DeepCorpus, jobs: str) -> None:
    root = build(tmp_path / "c", deep_corpus, ["clean", "black", "mute", "quiet"])
    wrapper, log = counting_ffmpeg(tmp_path)
    slow = tmp_path / "slow-ffmpeg"  # ffmpeg that takes its time: sleep first, then decode
    slow.write_text(f'#!/bin/sh\necho $$ >> "{log}"\nsleep 30 & wait\nexec "{wrapper}" "$@"\n',
                    encoding="utf-8")
    slow.chmod(0o755)
    env = {**os.environ, "COURSECHECK_FFMPEG": str(slow), "COURSECHECK_LANG": "en"}
    proc = subprocess.Popen([str(SCRIPTS / "coursecheck"), "check", str(root), "--deep",
                             "--jobs", jobs, "--no-cache"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(starts(log)) < int(jobs) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert starts(log), "no ffmpeg started"
    children = _descendants(proc.pid)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
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

"""Temporary folders of killed runs are removed by the next run; those in use never are.

The folders are made by real processes (``python -c``) that are then SIGKILLed or kept alive,
in a temp folder of the test's own (``TMPDIR``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from coursecheck import scratch
from coursecheck.zipcourse import PREFIX
from coursecheck.zipsession import ZipSession

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
MAKE = ("import os, sys, signal\nfrom coursecheck import scratch\n"
        "folder = scratch.make(sys.argv[1])\n(folder / 'lesson.mp4').write_bytes(b'x' * 1000)\n"
        "print(folder, flush=True)\n")


@pytest.fixture
def tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp folder of this test, for this process and the ones it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def started(then: str) -> tuple[subprocess.Popen[str], Path]:
    """A process that makes a scratch folder, then runs ``then``; it and its folder."""
    proc = subprocess.Popen([sys.executable, "-c", MAKE + then, PREFIX],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, Path(proc.stdout.readline().strip())


def aged(folder: Path, seconds: float = 120.0) -> None:
    """Make ``folder`` look last changed ``seconds`` ago."""
    when = time.time() - seconds
    os.utime(folder, (when, when))


def test_a_killed_runs_folder_is_removed_and_a_live_ones_is_not(tmp: Path) -> None:
    killed, gone = started("os.kill(os.getpid(), signal.SIGKILL)")
    killed.wait(30)
    live, kept = started("sys.stdin.read()")  # lives until its stdin closes
    try:
        for folder in (gone, kept):
            assert folder.parent == tmp.resolve() and (folder / "lesson.mp4").exists()
            aged(folder)
        assert scratch.sweep(PREFIX) == 1
        assert not gone.exists() and not Path(f"{gone}.lock").exists()
        assert (kept / "lesson.mp4").exists()  # its run still holds the lock
    finally:
        live.communicate(timeout=30)
    aged(kept)
    assert scratch.sweep(PREFIX) == 1  # that run ended on its own, without cleaning up
    assert sorted(tmp.iterdir()) == []


def test_young_folders_and_what_is_not_a_folder_of_ours_are_left_alone(tmp: Path) -> None:
    killed, young = started("os.kill(os.getpid(), signal.SIGKILL)")
    killed.wait(30)
    elsewhere = tmp.parent / "elsewhere"
    elsewhere.mkdir()
    (tmp / f"{PREFIX}link").symlink_to(elsewhere)  # a symlink that looks like ours
    aged(elsewhere)
    (tmp / f"{PREFIX}file").write_text("not a folder", encoding="utf-8")
    unlocked = tmp / f"{PREFIX}older"  # no lock file: only a day later
    unlocked.mkdir()
    aged(unlocked)
    assert scratch.sweep(PREFIX) == 0
    assert young.exists() and elsewhere.exists() and (tmp / f"{PREFIX}file").exists()
    aged(unlocked, 2 * 24 * 3600)
    assert scratch.sweep(PREFIX) == 1 and not unlocked.exists()


def test_a_zip_is_unpacked_beside_a_held_lock_and_both_go_with_the_session(
        tmp: Path, tmp_path: Path) -> None:
    archive = tmp_path / "course.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("course/course.yaml", "name: 课程\n")
    with ZipSession() as zips:
        opened = zips.open(archive, "course.zip", 10**9, 100.0)
        lock = Path(f"{opened.folder}{scratch.LOCK_SUFFIX}")
        assert lock.exists() and (opened.folder / "course" / "course.yaml").exists()
        aged(opened.folder)
        assert scratch.sweep(PREFIX) == 0  # in use by this very run
    assert list(tmp.iterdir()) == []


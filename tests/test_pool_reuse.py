"""The worker pool keeps its workers between files, and never hands a file to a worker that
died while it had none."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from coursecheck.options import RunOptions
from coursecheck.workers import ProbePool


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.mp4"  # not media: refused before MediaInfo, in a moment
    path.write_text("not a video\n", encoding="utf-8")
    return path


@pytest.mark.timeout(60)
def test_probing_one_file_at_a_time_keeps_one_worker(tmp_path: Path) -> None:
    """``pool.probe`` (check probes each file so) reuses its worker instead of ending it."""
    path = _text(tmp_path)
    with ProbePool(RunOptions(), 1) as pool:
        answers = [pool.probe(path).error for _ in range(3)]
        assert answers == ["not_media"] * 3
        assert pool.started == 1
        assert len(pool._idle) == 1


@pytest.mark.timeout(60)
@pytest.mark.skipif(not hasattr(signal, "SIGXCPU"), reason="needs POSIX signals")
def test_a_worker_that_died_while_idle_is_not_blamed_on_the_next_file(tmp_path: Path) -> None:
    """A worker that died between two files (here SIGXCPU, as when the CPU limit fires just
    after its last answer) takes no file: the next file is probed, not called too slow."""
    path = _text(tmp_path)
    with ProbePool(RunOptions(), 1) as pool:
        assert pool.probe(path).error == "not_media"
        (idle,) = pool._idle
        os.kill(idle.process.pid, signal.SIGXCPU)
        idle.process.join(30)
        assert not idle.process.is_alive()
        facts = pool.probe(path)
    assert facts.error == "not_media", facts

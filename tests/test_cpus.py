"""Deep decodes are tied to one CPU each, claimed so that no two share one (issue 11 §1)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest

from coursecheck import cpus
from coursecheck.tools import find_ffmpeg
from tests.deep_corpus import DeepCorpus
from tests.helpers import run_cli
from tests.test_deep_rules import build

pytestmark = [pytest.mark.timeout(300),
              pytest.mark.skipif(not cpus.CAN_PIN, reason="CPU affinity is Linux only")]


@pytest.fixture(autouse=True)
def own_claims(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own set of claims, so parallel test processes cannot take its CPUs."""
    monkeypatch.setenv(cpus.CLAIMS_VAR, f"test-{uuid.uuid4().hex}")
    cpus.release()


def claim_in_thread() -> int | None:
    """What a new thread claims, while this one keeps its own claim."""
    got: list[int | None] = []
    started, stop = threading.Event(), threading.Event()

    def hold() -> None:
        got.append(cpus.claimed_cpu())
        started.set()
        stop.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait(10)
    stop.set()
    thread.join()
    return got[0]


def test_two_threads_claim_different_cpus_and_a_claim_ends_with_its_thread() -> None:
    allowed = cpus.allowed()
    mine = cpus.claimed_cpu()
    assert mine == allowed[0] and cpus.claimed_cpu() == mine  # claimed once, then kept
    if len(allowed) >= 2:
        assert claim_in_thread() == allowed[1]
        assert claim_in_thread() == allowed[1]  # the first thread's claim ended with it
    else:
        assert claim_in_thread() is None  # every CPU is held: ffmpeg runs free
    cpus.release()


def test_a_cpu_held_by_another_process_is_skipped_until_that_process_dies() -> None:
    allowed = cpus.allowed()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from coursecheck import cpus; "
         "print(cpus.claimed_cpu(), flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert int(holder.stdout.readline()) == allowed[0]
        assert cpus.claimed_cpu() == (allowed[1] if len(allowed) >= 2 else None)
        cpus.release()
    finally:
        holder.kill()  # however it ends, the kernel frees its claim
        holder.wait()
    assert cpus.claimed_cpu() == allowed[0]
    cpus.release()


def test_a_forked_child_does_not_inherit_its_parents_claim() -> None:
    allowed = cpus.allowed()
    assert cpus.claimed_cpu() == allowed[0]
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.write(write, str(cpus.claimed_cpu()).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    assert child == str(allowed[1] if len(allowed) >= 2 else None)
    cpus.release()


def affinity_ffmpeg(folder: Path) -> tuple[Path, Path]:
    """A wrapper around the real ffmpeg that logs the CPUs each start may run on."""
    real, _ = find_ffmpeg()
    assert real is not None
    log = folder / "affinity.log"
    wrapper = folder / "ffmpeg-wrapper"
    wrapper.write_text(f'#!/bin/sh\ngrep Cpus_allowed_list: /proc/$$/status >> "{log}"\n'
                       f'exec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper, log


def allowed_lists(log: Path) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in log.read_text().splitlines()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_deep_ffmpeg_runs_on_one_cpu_and_two_jobs_use_two(
        jobs: int, tmp_path: Path, deep_corpus: DeepCorpus,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path / "c", deep_corpus, ["clean", "quiet", "loud"])
    wrapper, log = affinity_ffmpeg(tmp_path)
    monkeypatch.setenv("COURSECHECK_FFMPEG", str(wrapper))
    run = run_cli("check", root, "--format", "json", "--deep", "quick", "--jobs", str(jobs),
                  "--select", "D", "--no-cache")
    assert run.exit_code == 0  # D104 is a warning
    assert sorted(f for f, _ in run.where("D104")) == ["lessons/loud.mp4", "lessons/quiet.mp4"]
    used = allowed_lists(log)
    assert len(used) == 3
    assert all(entry.isdigit() for entry in used), used  # one CPU each, never a range
    allowed = cpus.allowed()
    assert len(set(used)) == min(jobs, len(allowed))
    cpus.release()


def test_without_sockets_ffmpeg_runs_free(monkeypatch: pytest.MonkeyPatch) -> None:
    """A sandbox that forbids sockets must not stop the analysis: nothing is claimed."""
    def refused(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(socket, "socket", refused)  # cpus imports it when it claims
    assert cpus.claimed_cpu() is None

"""coursecheck.proc: children are bounded in time, memory and output, and die with the parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coursecheck.proc import MiB, popen_bounded, run_bounded

pytestmark = pytest.mark.timeout(60)
PY = sys.executable
posix_only = pytest.mark.skipif(os.name != "posix", reason="rlimits and signals are POSIX")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="PR_SET_PDEATHSIG is Linux-only")


def alive(pid: int) -> bool:
    """``pid`` exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return not sys.platform.startswith("linux")


def gone_within(pid: int, seconds: float) -> bool:
    """Poll (bounded) until ``pid`` is gone."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


def test_a_normal_child_reports_code_output_and_usage() -> None:
    done = run_bounded([PY, "-c", "import sys; print('hi'); sys.stderr.write('warn'); "
                        "sys.exit(3)"], timeout_s=30, capture_stdout=True)
    assert (done.returncode, done.stdout, done.stderr) == (3, b"hi\n", "warn")
    assert not done.timed_out and not done.killed_by_limit and not done.ok
    assert done.max_rss > 0 or os.name != "posix"  # Windows reports no rusage


@posix_only
def test_a_sleeper_is_killed_at_the_timeout() -> None:
    done = run_bounded([PY, "-c", "import time; time.sleep(60)"], timeout_s=0.5)
    assert done.timed_out and done.killed_by_limit and done.limit == "time"
    assert done.returncode == -signal.SIGTERM


@posix_only
def test_a_child_that_ignores_sigterm_is_killed() -> None:
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    done = run_bounded([PY, "-c", code], timeout_s=0.5)
    assert done.timed_out and done.returncode == -signal.SIGKILL


@posix_only
def test_a_memory_hog_hits_the_cap() -> None:
    hog = "blocks = []\nwhile True: blocks.append(bytearray(16 * 2**20))"
    done = run_bounded([PY, "-c", hog], timeout_s=30, mem_bytes=512 * MiB)
    assert done.returncode != 0 and done.limit == "memory" and done.killed_by_limit
    assert "MemoryError" in done.stderr


def test_a_flood_of_stderr_keeps_only_the_cap() -> None:
    flood = ("import sys\nchunk = b'x' * 2**20 + b'\\n'\n"
             "for _ in range(100): sys.stderr.buffer.write(chunk)\nsys.stderr.write('LAST')")
    done = run_bounded([PY, "-c", flood], timeout_s=60, stderr_cap=MiB)
    assert done.returncode == 0
    assert len(done.stderr) < 2 * MiB and done.stderr.endswith("LAST")
    assert "bytes left out" in done.stderr


def test_captured_stdout_is_capped() -> None:
    done = run_bounded([PY, "-c", "import sys; sys.stdout.buffer.write(b'y' * 3 * 2**20)"],
                       timeout_s=30, capture_stdout=True, stdout_cap=MiB)
    assert done.returncode == 0 and done.stdout == b"y" * MiB


def test_a_streaming_child_is_read_then_waited() -> None:
    proc = popen_bounded([PY, "-c", "for i in range(3): print(i)"], timeout_s=30)
    assert proc.stdout is not None
    lines = proc.stdout.read().decode().split()
    assert lines == ["0", "1", "2"] and proc.wait().returncode == 0


@posix_only
def test_kill_reaches_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    code = (f"import subprocess, sys, time\np = subprocess.Popen([sys.executable, '-c', "
            f"'import time; time.sleep(60)'])\nopen({str(pidfile)!r}, 'w').write(str(p.pid))\n"
            "time.sleep(60)")
    proc = popen_bounded([PY, "-c", code], timeout_s=30, stdout_pipe=False)
    end = time.monotonic() + 20
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < end, "the child never started its own child"
        time.sleep(0.05)
    proc.kill()
    assert proc.wait().returncode == -signal.SIGKILL
    assert gone_within(int(pidfile.read_text()), 10)


@linux_only
def test_the_child_dies_when_the_parent_is_sigkilled(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    child = f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    parent = ("import sys\nfrom coursecheck.proc import run_bounded\n"
              f"run_bounded([sys.executable, '-c', {child!r}], timeout_s=120)")
    runner = subprocess.Popen([PY, "-c", parent])
    try:
        end = time.monotonic() + 30
        while not pidfile.exists() or not pidfile.read_text():
            assert time.monotonic() < end and runner.poll() is None, "the child never started"
            time.sleep(0.05)
        pid = int(pidfile.read_text())
        assert alive(pid)
        runner.kill()
        runner.wait(10)
        assert gone_within(pid, 10), "the child outlived its SIGKILLed parent"
    finally:
        runner.kill()
        runner.wait(10)


def test_a_missing_program_raises_oserror() -> None:
    with pytest.raises(OSError):
        run_bounded(["/nonexistent/coursecheck-no-such-tool"], timeout_s=5)


def test_last_lines_drop_ffmpegs_address_tags() -> None:
    done = run_bounded([PY, "-c", "import sys; sys.stderr.write('one\\n\\n[out#0/framecrc @ "
                        "0x55aa] Output file does not contain any stream\\n')"], timeout_s=30)
    assert done.last_lines() == "one Output file does not contain any stream"


@posix_only
def test_a_cap_above_the_callers_own_hard_limit_is_lowered_not_an_error() -> None:
    code = ("import resource, subprocess, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (2**31, 2**31))\n"
            "from coursecheck.proc import run_bounded\n"
            "done = run_bounded([sys.executable, '-c', 'import resource; "
            "print(resource.getrlimit(resource.RLIMIT_AS)[1])'], timeout_s=30, "
            "mem_bytes=2**40, capture_stdout=True)\n"
            "sys.stdout.write(done.stdout.decode())")
    done = run_bounded([PY, "-c", code], timeout_s=60, capture_stdout=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout or b"0") == 2**31


@posix_only
def test_a_child_killed_on_request_is_not_reported_as_a_limit() -> None:
    proc = popen_bounded([PY, "-c", "import time; time.sleep(60)"], timeout_s=30,
                         stdout_pipe=False)
    proc.kill()
    done = proc.wait()
    assert done.returncode == -signal.SIGKILL and not done.killed_by_limit

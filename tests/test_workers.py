"""Bounded probe workers (issue 10 §3, issue 15 §2-3): a dead worker, limits, signals.

Each test runs the real ``coursecheck`` script with a test-only ``sitecustomize`` on PYTHONPATH
that makes MediaInfo misbehave on lessons with a given name, in whatever process reads them:
``killer.mp4`` SIGKILLs its process, ``spinner.mp4`` spins on the CPU, ``hog.mp4`` asks for
8 GiB, any lesson sleeps ``HOOK_SLEEP`` seconds first. Every run has a timeout, so a hang fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import SCRIPTS, Course, Media

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and rlimits")

HOOK = '''
import os, signal, sys, time
import coursecheck.probe as _probe

_real = _probe.run_mediainfo

def _hooked(path):
    name = os.path.basename(str(path))
    log = os.environ.get("HOOK_LOG")
    if log:
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()} {name}\\n")
    time.sleep(float(os.environ.get("HOOK_SLEEP", "0")))
    if name == "killer.mp4":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "spinner.mp4":
        while True:
            pass
    if name == "hog.mp4":
        bytearray(8 << 30)
    return _real(path)

_probe.run_mediainfo = _hooked

if "--multiprocessing-fork" in sys.argv and os.environ.get("HOOK_SPAWN_MARK"):
    open(os.environ["HOOK_SPAWN_MARK"], "a").close()  # a spawned worker is starting up
    time.sleep(2)
'''


def hook_env(folder: Path, **extra: str) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    return {**os.environ, "PYTHONPATH": str(folder), "COURSECHECK_LANG": "en", **extra}


def start(args: list[str | Path], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([str(SCRIPTS / "coursecheck"), *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[str, str]:
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("coursecheck hung")


def wait_for(check: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail("the run never got there")


def findings(report: dict[str, object], course: str) -> list[tuple[str, str]]:
    entry = next(c for c in report["courses"] if c["path"].endswith("/" + course))  # type: ignore[attr-defined]
    return [(f["rule"], f["file"]) for f in entry["findings"]]


def test_a_worker_killed_on_one_lesson_is_x001_there_and_the_audit_goes_on(
        tmp_path: Path, media: Media) -> None:
    tree = tmp_path / "tree"
    bad = Course.good(tree / "a", media)
    bad.set_lesson(5, media.clip(), name="lessons/killer.mp4")
    bad.build()
    Course.good(tree / "b", media).build()
    log = tmp_path / "hook.log"
    env = hook_env(tmp_path / "hook", HOOK_LOG=str(log))
    proc = start(["audit", tree, "--format", "json", "--jobs", "2", "--no-cache"], env)
    out, err = finish(proc)
    assert proc.returncode == 1, err
    report = json.loads(out)
    assert findings(report, "a") == [("X001", "lessons/killer.mp4")]
    x001 = report["courses"][0]["findings"][0]
    assert "SIGKILL" in x001["message"] and "died twice" in x001["message"]
    assert findings(report, "b") == []
    assert report["summary"]["courses"] == 2 and "Traceback" not in err
    killers = [line.split()[0] for line in log.read_text().splitlines() if "killer" in line]
    assert len(killers) == 2 and killers[0] != killers[1]  # tried once more, in a new process
    assert str(os.getpid()) not in killers and str(proc.pid) not in killers
    # files go to workers in batches: the first killed worker had read others before it, and
    # only the file it died on was blamed (the rest of its batch went to another worker)
    reads = [line.split() for line in log.read_text().splitlines()]
    assert len([name for pid, name in reads if pid == killers[0]]) > 1
    assert {name for _, name in reads} >= {f"{i:02d}.mp4" for i in range(1, 11)} - {"05.mp4"}


def test_check_reports_a_killed_worker_on_its_lesson_too(tmp_path: Path, media: Media) -> None:
    course = Course.good(tmp_path / "c", media)
    course.set_lesson(2, media.clip(), name="lessons/killer.mp4")
    root = course.build()
    proc = start(["check", root, "--format", "json", "--no-cache"], hook_env(tmp_path / "hook"))
    out, err = finish(proc)
    assert proc.returncode == 1, err
    assert [(f["rule"], f["file"]) for f in json.loads(out)["courses"][0]["findings"]] == [
        ("X001", "lessons/killer.mp4")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_a_lesson_over_the_cpu_or_memory_limit_is_v001_within_the_limits(
        tmp_path: Path, media: Media) -> None:
    course = Course.good(tmp_path / "c", media)
    course.set_lesson(3, media.clip(), name="lessons/spinner.mp4")
    course.set_lesson(4, media.clip(), name="lessons/hog.mp4")
    root = course.build()
    env = hook_env(tmp_path / "hook", COURSECHECK_PROBE_CPU_SECONDS="1",
                   COURSECHECK_PROBE_MEMORY_MB="64")
    proc = start(["check", root, "--format", "json", "--no-cache"], env)
    _pid, status, usage = os.wait4(proc.pid, 0)  # the CPU time of the run and its workers
    proc.returncode = os.waitstatus_to_exitcode(status)
    out, err = finish(proc)
    assert proc.returncode == 1, err
    found = json.loads(out)["courses"][0]["findings"]
    assert [(f["rule"], f["file"]) for f in found] == [("V001", "lessons/spinner.mp4"),
                                                       ("V001", "lessons/hog.mp4")]
    assert "took too long to read (more than 1 s of CPU time)" in found[0]["message"]
    assert "needed too much memory to read (more than 64 MB)" in found[1]["message"]
    # One second for the spinner, tried once; the rest is start-up and ten small probes.
    assert usage.ru_utime + usage.ru_stime < 1 + 6


def _slow_tree(root: Path, media: Media, courses: int) -> Path:
    for i in range(courses):
        Course.good(root / f"c{i}", media).build()
    return root


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_sigterm_gives_a_partial_report_and_exit_143(tmp_path: Path, media: Media) -> None:
    tree = _slow_tree(tmp_path / "tree", media, 3)
    log = tmp_path / "hook.log"
    env = hook_env(tmp_path / "hook", HOOK_LOG=str(log), HOOK_SLEEP="0.3")
    proc = start(["audit", tree, "--format", "json", "--jobs", "2", "--no-cache"], env)
    wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 4)
    workers = {int(line.split()[0]) for line in log.read_text().splitlines()}
    os.killpg(proc.pid, signal.SIGTERM)  # what a CI timeout or `kill` does to the whole job
    out, err = finish(proc, 60)
    assert proc.returncode == 143, err
    assert "interrupted:" in err and "Traceback" not in err and "BrokenPipe" not in err
    assert json.loads(out)["audit"]["interrupted"] is True
    time.sleep(0.2)
    assert workers and all(not Path(f"/proc/{pid}").exists() for pid in workers)


def test_ctrl_c_before_probing_prints_interrupted_and_exits_130(
        tmp_path: Path, media: Media) -> None:
    tree = _slow_tree(tmp_path / "tree", media, 1)
    mark = tmp_path / "started"
    hook = tmp_path / "hook"
    env = hook_env(hook)
    with (hook / "sitecustomize.py").open("a", encoding="utf-8") as extra:
        extra.write(f"\nimport coursecheck.audit.discover as _d\n_is = _d.is_course\n"
                    f"def _slow(*args, **kwargs):\n    open({str(mark)!r}, 'a').close()\n"
                    f"    time.sleep(30)\n    return _is(*args, **kwargs)\n"
                    f"_d.is_course = _slow\n")
    proc = start(["audit", tree], env)
    wait_for(mark.exists)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = finish(proc, 60)
    assert proc.returncode == 130
    assert err.strip() == "coursecheck: interrupted" and out == ""


def test_ctrl_c_while_python_loads_coursecheck_prints_no_traceback(tmp_path: Path) -> None:
    mark = tmp_path / "loading"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(  # make `import typer` slow, inside coursecheck
        "import sys, time\nclass _Slow:\n    def find_spec(self, name, path=None, target=None):\n"
        f"        if name == 'typer':\n            open({str(mark)!r}, 'a').close()\n"
        "            time.sleep(30)\n        return None\nsys.meta_path.insert(0, _Slow())\n",
        encoding="utf-8")
    proc = start(["--version"], {**os.environ, "PYTHONPATH": str(hook)})
    wait_for(mark.exists)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = finish(proc, 60)
    assert (proc.returncode, err.strip(), out) == (130, "coursecheck: interrupted", "")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_ctrl_c_while_a_spawned_worker_starts_prints_no_traceback(
        tmp_path: Path, media: Media) -> None:
    tree = _slow_tree(tmp_path / "tree", media, 1)
    mark = tmp_path / "spawning"
    env = hook_env(tmp_path / "hook", COURSECHECK_START_METHOD="spawn",
                   HOOK_SPAWN_MARK=str(mark))
    proc = start(["audit", tree, "--no-cache", "--jobs", "1"], env)
    wait_for(mark.exists)
    os.killpg(proc.pid, signal.SIGINT)
    _out, err = finish(proc, 60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted" in err

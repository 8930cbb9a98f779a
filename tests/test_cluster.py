"""``audit --scheduler``: a real Dask cluster (a scheduler and two workers on 127.0.0.1, started
here as processes), a worker killed mid-task, bad set-ups, and ``--shard``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from coursecheck.proc import _pdeathsig
from coursecheck.tools import find_ffmpeg
from tests.deep_corpus import DeepCorpus
from tests.helpers import SCRIPTS
from tests.test_deep_rules import build

distributed = pytest.importorskip("distributed", reason="needs the dask extra (make test has it)")
pytestmark = [pytest.mark.timeout(240),
              pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")]
DASK = str(SCRIPTS / "dask")
RUN_S = 120


@dataclass
class Cluster:
    address: str
    folder: Path
    procs: list[subprocess.Popen[bytes]]

    def started_by_workers(self) -> list[int]:
        """The pids of the worker processes that started an ffmpeg, in order."""
        log = self.folder / "started.log"
        return [int(x) for x in log.read_text().split()] if log.exists() else []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(argv: list[str], folder: Path, env: dict[str, str], name: str,
           cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a process group of its own, killed if this test process dies."""
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True, cwd=cwd, preexec_fn=_pdeathsig())


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """SIGKILL each process's whole group (a worker's nanny, the worker, its ffmpeg)."""
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


@contextlib.contextmanager
def _running(folder: Path, env: dict[str, str], workers: Callable[[str], list[list[str]]],
             cwd: Path | None = None) -> Iterator[tuple[str, list[subprocess.Popen[bytes]]]]:
    """A ``dask scheduler`` on a free local port and the workers ``workers(address)`` gives
    (each an argv, started in ``cwd``), waited for; all killed on the way out."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(_start([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                             "--no-dashboard"], folder, env, "scheduler"))
        argvs = workers(address)
        for n, argv in enumerate(argvs):
            procs.append(_start(argv, folder, env, f"worker{n}", cwd=cwd))
        _wait_for_workers(address, len(argvs))
        yield address, procs
    finally:
        _stop(procs)


def _wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=60)


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    """Workers run an ffmpeg wrapper that logs its worker's pid, and sleeps while a flag
    file exists (so a test can kill a worker in the middle of a task)."""
    real, _ = find_ffmpeg()
    assert real is not None
    wrapper = tmp_path / "ffmpeg-wrapper"
    wrapper.write_text(f'#!/bin/sh\necho $PPID >> "{tmp_path}/started.log"\n'
                       f'echo $$ >> "{tmp_path}/ffmpeg.pids"\n'
                       f'[ -e "{tmp_path}/slow" ] && sleep 2\n'
                       f'[ -e "{tmp_path}/stall" ] && sleep 60\nexec "{real}" "$@"\n',
                       encoding="utf-8")
    wrapper.chmod(0o755)
    return {**os.environ, "COURSECHECK_FFMPEG": str(wrapper)}


@pytest.fixture
def cluster(tmp_path: Path, worker_env: dict[str, str]) -> Iterator[Cluster]:
    """``dask scheduler`` and two ``dask worker`` processes, torn down even when a test fails."""
    def workers(address: str) -> list[list[str]]:
        return [[DASK, "worker", address, "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard"]] * 2

    with _running(tmp_path, worker_env, workers) as (address, procs):
        yield Cluster(address, tmp_path, procs)


@pytest.fixture
def tree(tmp_path: Path, deep_corpus: DeepCorpus) -> Path:
    build(tmp_path / "prov" / "c1", deep_corpus, ["clean", "black", "quiet"])
    build(tmp_path / "prov" / "c2", deep_corpus, ["corrupt", "mute"])
    return tmp_path / "prov"


def audit(*args: str | Path, env: dict[str, str] | None = None,
          cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coursecheck", "audit", *map(str, args),
                           "--lang", "en"], capture_output=True, text=True, timeout=RUN_S,
                          env={**(env or os.environ), "COURSECHECK_LANG": "en"}, cwd=cwd)


def same(one: dict[str, Any], other: dict[str, Any]) -> None:
    """Equal reports (compared line by line, so a failure shows where)."""
    assert json.dumps(one, indent=1, ensure_ascii=False).splitlines() == json.dumps(
        other, indent=1, ensure_ascii=False).splitlines()


def without_engine(run: subprocess.CompletedProcess[str] | str) -> dict[str, Any]:
    """The JSON report without its engine line. D001 quotes the first error line ffmpeg
    printed and where; ffmpeg 7 decodes audio and video in threads of their own, so which of
    the two streams' errors comes first may vary between any two runs: both are left out. On
    such a damaged lesson the count of errors and of frames decoded may differ by one between
    two runs of the same ffmpeg too (seen: 199 and 200), so those are left out as well."""
    report: dict[str, Any] = json.loads(run if isinstance(run, str) else run.stdout)
    del report["audit"]["engine"]
    for course in report["courses"]:
        for finding in course["findings"]:
            if finding["rule"] == "D001":
                finding["message"] = ""
        for lesson in course["lessons"]:
            if lesson.get("deep") and lesson["deep"]["decode_errors"]:
                lesson["deep"].update(first_error_s=None, decode_errors=None, frames=None)
    return report


def test_a_cluster_run_reports_exactly_what_a_local_run_does(tree: Path,
                                                             cluster: Cluster) -> None:
    local = audit(tree, "--deep", "--format", "json", "--no-cache", "--jobs", "2")
    remote = audit(tree, "--deep", "--format", "json", "--no-cache", "--scheduler",
                   cluster.address)
    assert remote.returncode == local.returncode == 1, remote.stderr
    same(without_engine(remote), without_engine(local))
    assert json.loads(remote.stdout)["audit"]["engine"] == {
        "kind": "dask", "scheduler": cluster.address, "workers": 2}
    assert json.loads(local.stdout)["audit"]["engine"] == {"kind": "local", "jobs": 2}
    assert len(set(cluster.started_by_workers())) == 2  # both workers decoded
    text = audit(tree, "--deep", "--scheduler", cluster.address, "--max-readers", "1",
                 "--cache-dir", cluster.folder / "cache")
    assert f"engine: Dask scheduler {cluster.address}, 2 workers" in text.stdout
    assert "D101" in text.stdout and text.returncode == 1


def test_a_worker_killed_mid_task_loses_no_lesson(tree: Path, cluster: Cluster,
                                                  worker_env: dict[str, str]) -> None:
    local = audit(tree, "--deep", "--format", "json", "--no-cache", "--jobs", "2")
    (cluster.folder / "slow").touch()
    proc = subprocess.Popen([sys.executable, "-m", "coursecheck", "audit", str(tree), "--deep",
                             "--format", "json", "--no-cache", "--lang", "en",
                             "--scheduler", cluster.address], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not cluster.started_by_workers() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cluster.started_by_workers(), "no worker started a task"
        os.kill(cluster.started_by_workers()[0], signal.SIGKILL)
        (cluster.folder / "slow").unlink()
        out, err = proc.communicate(timeout=RUN_S)
    finally:
        proc.kill()
    assert proc.returncode == local.returncode == 1, err
    same(without_engine(out), without_engine(local))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_cancels_everything_on_the_workers_and_exits_130(tree: Path,
                                                                cluster: Cluster) -> None:
    (cluster.folder / "stall").touch()
    proc = subprocess.Popen([sys.executable, "-m", "coursecheck", "audit", str(tree), "--deep",
                             "--no-cache", "--lang", "en", "--scheduler", cluster.address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    pids = cluster.folder / "ffmpeg.pids"
    try:
        deadline = time.monotonic() + 60
        while len(cluster.started_by_workers()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(cluster.started_by_workers()) == 2, "the workers did not start"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err
    started = [int(x) for x in pids.read_text().split()]
    deadline = time.monotonic() + 15  # the workers kill them; on a loaded machine not at once
    while [pid for pid in started if _alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in started if _alive(pid)] == []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_nothing_listening_is_a_clear_usage_error(tree: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    run = audit(tree, "--deep", "--scheduler", address)
    assert run.returncode == 2
    assert f"cannot reach the Dask scheduler at {address}" in run.stderr
    assert "Traceback" not in run.stderr


def test_the_environment_variable_names_the_scheduler_too(tree: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    run = audit(tree, "--deep", env={**os.environ, "COURSECHECK_SCHEDULER": address})
    assert run.returncode == 2 and address in run.stderr


BLOCK_DASK = ("import sys; sys.modules['distributed'] = None; sys.modules['dask'] = None; "
              "from coursecheck.cli import main; sys.argv[0] = 'coursecheck'; main()")


def test_scheduler_without_the_extra_names_the_install_command(tree: Path) -> None:
    run = subprocess.run([sys.executable, "-c", BLOCK_DASK, "audit", str(tree), "--deep",
                          "--scheduler", "tcp://127.0.0.1:1"], capture_output=True, text=True,
                         timeout=RUN_S)
    assert run.returncode == 2
    assert 'pip install "coursecheck[dask]"' in run.stderr and "Traceback" not in run.stderr


def test_without_scheduler_dask_is_never_imported(tree: Path) -> None:
    run = subprocess.run([sys.executable, "-c", BLOCK_DASK, "audit", str(tree), "--no-cache",
                          "--format", "json"], capture_output=True, text=True, timeout=RUN_S)
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["audit"]["engine"]["kind"] == "local"


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-Urm", "true"], capture_output=True).returncode == 0


KILLER = """
import os, signal
import coursecheck.probe as probe_module
if not getattr(probe_module.probe, "killer", False):  # a preload may be imported twice
    _real = probe_module.probe
    def probe(path, *args, **kwargs):
        if path.name == "black.mp4":  # this lesson kills every worker that reads it
            os.kill(os.getpid(), signal.SIGKILL)
        return _real(path, *args, **kwargs)
    probe.killer = True
    probe_module.probe = probe
"""


def test_a_lesson_that_kills_every_worker_ends_as_x001_on_that_lesson(
        tmp_path: Path, tree: Path, worker_env: dict[str, str]) -> None:
    preload = tmp_path / "killer_preload.py"
    preload.write_text(KILLER, encoding="utf-8")
    def workers(address: str) -> list[list[str]]:  # each under a nanny, which starts a new
        return [[DASK, "worker", address, "--nthreads", "1", "--no-dashboard",  # worker after
                 "--preload", str(preload)]] * 2  # each death

    with _running(tmp_path, worker_env, workers) as (address, _):
        run = audit(tree, "--format", "json", "--no-cache", "--scheduler", address)
    assert run.returncode == 1, run.stderr
    courses = {Path(c["path"]).name: c for c in json.loads(run.stdout)["courses"]}
    killed = [(f["rule"], f["file"]) for f in courses["c1"]["findings"] if f["rule"] == "X001"]
    assert killed == [("X001", "lessons/black.mp4")]
    assert [x["file"] for x in courses["c1"]["lessons"]] == [
        "lessons/clean.mp4", "lessons/black.mp4", "lessons/quiet.mp4"]
    assert not [f for c in courses.values() for f in c["findings"]
                if f["rule"] == "X001" and f["file"] != "lessons/black.mp4"]


@pytest.mark.skipif(not _can_unshare(), reason="needs unprivileged mount namespaces")
def test_a_worker_that_cannot_see_root_stops_the_run_before_any_work(
        tmp_path: Path, tree: Path, worker_env: dict[str, str]) -> None:
    hidden = tree  # the worker gets an empty folder mounted over the courses

    def workers(address: str) -> list[list[str]]:
        return [["unshare", "-Urm", "sh", "-c",
                 f'mount -t tmpfs none "{hidden}" && exec "$0" "$@"', DASK,
                 "worker", address, "--nthreads", "1", "--no-dashboard"]]

    with _running(tmp_path, worker_env, workers, cwd=Path("/")) as (address, _):
        run = audit(tree.name, "--deep", "--no-cache", "--scheduler", address, cwd=tree.parent)
    assert run.returncode == 2, run.stderr
    assert "Dask worker tcp://" in run.stderr and f"cannot see {tree}/c1/" in run.stderr
    assert "shared file system" in run.stderr
    assert not (tmp_path / "started.log").exists()  # no lesson was decoded


def test_shards_fill_the_cache_and_the_final_audit_decodes_nothing(
        tmp_path: Path, tree: Path, worker_env: dict[str, str]) -> None:
    cache = tmp_path / "cache"
    plain = audit(tree, "--deep", "--format", "json", "--no-cache")
    for shard in ("1/2", "2/2"):
        run = audit(tree, "--deep", "--cache-dir", cache, "--shard", shard, env=worker_env)
        assert run.returncode == 0 and f"shard {shard}" in run.stderr, run.stderr
        assert run.stdout == ""
    decoded = len((tmp_path / "started.log").read_text().split())
    assert decoded >= 5  # every lesson, once (the damaged one twice, to find its first error)
    final = audit(tree, "--deep", "--format", "json", "--cache-dir", cache, env=worker_env)
    assert len((tmp_path / "started.log").read_text().split()) == decoded
    assert final.returncode == plain.returncode == 1
    same(without_engine(final), without_engine(plain))


def test_every_lesson_falls_in_exactly_one_shard_whatever_its_name() -> None:
    """A name with a lone UTF-16 surrogate (Windows keeps them) or a non-UTF-8 byte (Linux's
    surrogate escapes) is sharded too, not a UnicodeEncodeError."""
    from coursecheck.cluster.shard import parse_shard

    shards = [parse_shard(f"{k}/3") for k in (1, 2, 3)]
    for path in ("c1/lessons/01.mp4", "c1/lessons/\ud800.mp4", "c1/lessons/\udcff.mp4"):
        assert sum(shard.holds(path) for shard in shards) == 1, path


def test_a_bad_shard_is_a_usage_error(tree: Path) -> None:
    for args in (("--shard", "3/2", "--deep"), ("--shard", "x", "--deep"), ("--shard", "1/2"),
                 ("--shard", "1/2", "--deep", "--no-cache")):
        run = audit(tree, *args)
        assert run.returncode == 2 and "--shard" in run.stderr, args


def test_a_scheduler_that_goes_away_mid_run_ends_with_one_line_and_exit_2(
        tree: Path, cluster: Cluster) -> None:
    (cluster.folder / "stall").touch()  # every ffmpeg on the workers waits, so the run is long
    proc = subprocess.Popen([sys.executable, "-m", "coursecheck", "audit", str(tree), "--deep",
                             "--no-cache", "--format", "json", "--scheduler", cluster.address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COURSECHECK_LANG": "en"})
    try:
        for _ in range(600):  # until a worker has started an ffmpeg (bounded, not timed)
            if cluster.started_by_workers():
                break
            time.sleep(0.1)
        assert cluster.started_by_workers()
        os.killpg(cluster.procs[0].pid, signal.SIGKILL)  # the scheduler
        _, err = proc.communicate(timeout=RUN_S)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2, err
    assert "lost the Dask scheduler" in err and "Traceback" not in err

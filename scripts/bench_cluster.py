#!/usr/bin/env python3
"""``make bench``, cluster row: the deep corpus through ``audit --deep --scheduler`` with a
scheduler and two single-threaded workers on this machine, against ``audit --deep --jobs 2``.

Usage: ``.venv/bin/python scripts/bench_cluster.py [--corpus DIR]`` (``bench_deep.py`` adds the
row to ``make bench``). Needs the extra: ``pip install "coursecheck[dask]"``; without it the row
is skipped. The target is the Dask run taking at most 1.15× the local run's wall time; the
overhead per lesson is ``(dask wall - local wall) / lessons`` in ms. The cluster is started
(untimed) before the runs and killed, with its process groups, after them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from bench_measure import Run
from bench_report import Row, print_table

BIN = Path(sys.executable).parent
TARGET = 1.15


@contextlib.contextmanager
def local_cluster(workers: int = 2) -> Iterator[str]:
    """A ``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1."""
    from distributed import Client

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    procs = [_spawn("scheduler", "--host", "127.0.0.1", "--port", str(port))]
    try:
        procs += [_spawn("worker", address, "--nthreads", "1") for _ in range(workers)]
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for proc in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "dask"), *args, "--no-dashboard"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def cluster_row(course: Path, lessons: int, audit: Callable[..., Run],
                caches: Iterator[Path]) -> Row:
    """The row: ``--scheduler`` (two local workers) against ``--jobs 2``, both cold."""
    what = "audit --deep --scheduler (2 local workers) vs --jobs 2"
    try:
        import distributed  # noqa: F401
    except ImportError:
        return Row.skipped(what, 'needs pip install "coursecheck[dask]"', f"≤ {TARGET}×")
    with local_cluster() as address:
        audit(course, next(caches), "--deep", "--scheduler", address)  # untimed: warm-up
        local = audit(course, next(caches), "--deep", "--jobs", "2")
        remote = audit(course, next(caches), "--deep", "--scheduler", address)
    overhead_ms = (remote.wall_s - local.wall_s) / lessons * 1000
    print(f"audit --deep --scheduler: wall {remote.wall_s:.1f} s; --jobs 2: wall "
          f"{local.wall_s:.1f} s; overhead {overhead_ms:+.0f} ms per lesson", flush=True)
    row = Row.judged(what, remote.wall_s, local.wall_s, f"≤ {TARGET}×", lambda r: r <= TARGET)
    return Row(row.what, row.measured, row.against, f"{row.ratio} ({overhead_ms:+.0f} ms/lesson)",
               row.target, row.result)


def main(argv: list[str]) -> int:
    """Measure and print the cluster row alone."""
    from bench_deep import ROOT, audit, ensure_corpus

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "bench-corpus-deep")
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    course = ensure_corpus(args.corpus, args.lessons, args.seconds)
    with tempfile.TemporaryDirectory(prefix="coursecheck-bench-cluster-") as tmp:
        caches = iter(Path(tmp) / f"cache-{n}" for n in range(10))
        print_table([cluster_row(course, args.lessons, audit, caches)])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

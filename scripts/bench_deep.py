#!/usr/bin/env python3
"""``make bench``, deep section: ``audit --deep`` against decoding alone, on 20 moving lessons.

Usage: ``.venv/bin/python scripts/bench_deep.py [--lessons N] [--seconds S] [--corpus DIR]``
(``make bench`` runs it with the defaults of issue 11 §5 and adds its rows to the table).

The corpus is one course of N lessons of S seconds (default 20 × 60 s), 1280×720 at 25 fps,
H.264 + AAC, each a different moving picture (testsrc2 with its own noise seed) and tone, so no
two files are alike and nothing can be served from a cache by accident. It is made once and
reused (``bench-corpus-deep/``). Measured in one run, side by side:

- the CPU time of ``ffmpeg -v error -i F -f null -`` on every lesson, one after another;
- a cold ``audit --deep --jobs 1`` (an empty cache), its CPU time with every child's;
- a cold ``audit --deep quick --jobs 1``: seconds of video per CPU second;
- a cold ``audit --deep --jobs 2``: wall time against ``--jobs 1``; then another, sampled, for the
  peak memory of the whole process tree and of its largest process (the sampler costs CPU, so it
  is not in the timed run);
- a warm ``audit --deep`` (the cache of the cold run) against the cold one, by CPU time (the
  machine may be shared; its wall time is shown for reference);
- ``audit --deep --scheduler`` with two local Dask workers against ``--jobs 2``
  (``bench_cluster.py``; skipped without the ``dask`` extra).

The load average before and after is printed: ``--jobs 2`` against ``--jobs 1`` only means
something on a machine with two idle cores.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml
from bench_cluster import cluster_row
from bench_measure import Run, run
from bench_report import Row, print_table

from coursecheck.synth import passing_manifest
from coursecheck.synth_deep import DeepClip, make_deep_clip
from coursecheck.tools import find_ffmpeg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MB = 1e6


def ensure_corpus(folder: Path, lessons: int, seconds: float) -> Path:
    """The course folder of the deep corpus, made unless the stamp says it exists."""
    course = folder / "course"
    stamp = folder / "stamp.json"
    wanted = {"lessons": lessons, "seconds": seconds, "layout": 1}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return course
    files = [f"lessons/{i:02d}.mp4" for i in range(1, lessons + 1)]
    for i, rel in enumerate(files, 1):
        print(f"making deep corpus lesson {i}/{lessons} ...", flush=True)
        make_deep_clip(DeepClip(seconds=seconds, size="1280x720", lufs=-17.0 - i % 3, seed=i),
                       course / rel, crf=26)
    (course / "course.yaml").write_text(
        yaml.safe_dump(passing_manifest(files), allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    stamp.write_text(json.dumps(wanted))
    return course


def audit(course: Path, cache: Path, *args: str, sample: bool = False) -> Run:
    """One ``coursecheck audit`` of the corpus; stops the bench if it failed."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = run([str(BIN / "coursecheck"), "audit", str(course.parent), "--format", "json",
                    "--cache-dir", str(cache), *args], stdout=Path(out.name), sample=sample)
        if done.returncode not in (0, 1):
            raise SystemExit(f"bench_deep: audit {' '.join(args)} exited {done.returncode}")
        report = json.loads(Path(out.name).read_text())
    lessons = [x for c in report["courses"] for x in c["lessons"]]
    if any(x["deep"] is None for x in lessons):
        raise SystemExit("bench_deep: a lesson was not decoded")
    return done


def deep_rows(corpus: Path = ROOT / "bench-corpus-deep", lessons: int = 20,
              seconds: float = 60.0) -> list[Row]:
    """Measure and return the deep section's rows (each run is printed)."""
    course = ensure_corpus(corpus, lessons, seconds)
    files = sorted((course / "lessons").glob("*.mp4"))
    media_s = len(files) * seconds
    ffmpeg, _ = find_ffmpeg()
    assert ffmpeg is not None
    with tempfile.TemporaryDirectory(prefix="coursecheck-bench-deep-") as tmp:
        caches = iter(Path(tmp) / f"cache-{n}" for n in range(100))
        audit(course, next(caches), "--deep", "quick")  # page cache and bytecode, untimed
        decode = sum(run([ffmpeg, "-v", "error", "-i", str(f), "-f", "null", "-"]).cpu_s
                     for f in files)
        print(f"decode alone: CPU {decode:.1f} s", flush=True)
        warm_cache = next(caches)
        cold = audit(course, warm_cache, "--deep", "--jobs", "1")
        print(f"audit --deep --jobs 1: wall {cold.wall_s:.1f} s, CPU {cold.cpu_s:.1f} s",
              flush=True)
        warm = audit(course, warm_cache, "--deep", "--jobs", "1")
        print(f"warm audit --deep: wall {warm.wall_s:.2f} s", flush=True)
        quick = audit(course, next(caches), "--deep", "quick", "--jobs", "1")
        print(f"audit --deep quick: wall {quick.wall_s:.1f} s, CPU {quick.cpu_s:.1f} s",
              flush=True)
        two = audit(course, next(caches), "--deep", "--jobs", "2")
        print(f"audit --deep --jobs 2: wall {two.wall_s:.1f} s, CPU {two.cpu_s:.1f} s",
              flush=True)
        # memory in a run of its own: sampling /proc every few ms costs CPU that the timed run's
        # two pinned ffmpegs would otherwise have had
        sampled = audit(course, next(caches), "--deep", "--jobs", "2", sample=True)
        print(f"audit --deep --jobs 2, sampled: tree RSS {sampled.tree_rss / MB:.0f} MB, "
              f"largest process {sampled.max_single_rss / MB:.0f} MB", flush=True)
        cluster = cluster_row(course, len(files), audit, caches)
    per_core = media_s / cold.cpu_s
    return [
        Row.judged("audit --deep --jobs 1 vs ffmpeg decode alone (CPU)", cold.cpu_s, decode,
                   "≤ 1.2×", lambda r: r <= 1.2),
        Row(f"--deep quick, {media_s:.0f} s of video", f"{quick.cpu_s:.2f} s CPU",
            f"{media_s:.0f} s video", f"{media_s / quick.cpu_s:.0f}×", "≥ 40× per core",
            "PASS" if media_s / quick.cpu_s >= 40 else "FAIL"),
        Row.judged("audit --deep --jobs 2 vs --jobs 1 (× faster)", two.wall_s, cold.wall_s,
                   "≥ 1.7×", lambda r: r >= 1.7, ratio=cold.wall_s / two.wall_s),
        Row.judged("warm audit --deep vs cold (CPU)", warm.cpu_s, cold.cpu_s, "≤ 0.05×",
                   lambda r: r <= 0.05),
        Row.judged("warm audit --deep vs cold (wall)", warm.wall_s, cold.wall_s, "≤ 0.05×",
                   lambda r: r <= 0.05).as_reference(),
        Row.judged("peak memory at --jobs 2 (tree RSS)", sampled.tree_rss / MB, 300, "< 300 MB",
                   lambda r: r < 1.0, unit="MB"),
        Row.judged("largest process at --jobs 2 (RSS)", sampled.max_single_rss / MB, 300,
                   "< 300 MB", lambda r: r < 1.0, unit="MB").as_reference(),
        Row(f"--deep full, {media_s:.0f} s of video", f"{cold.cpu_s:.2f} s CPU",
            f"{media_s:.0f} s video", f"{per_core:.1f}×", "(× real time per core)", "INFO"),
        cluster,
    ]


def load() -> str:
    """The 1-, 5- and 15-minute load averages, or ``?``."""
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str]) -> int:
    """Measure and print the deep section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--corpus", type=Path, default=ROOT / "bench-corpus-deep")
    args = parser.parse_args(argv)
    begun = time.monotonic()
    print(f"load average before: {load()}", flush=True)
    rows = deep_rows(args.corpus, args.lessons, args.seconds)
    print(f"load average after: {load()}")
    print()
    print_table(rows)
    print(f"\nbench_deep finished in {time.monotonic() - begun:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

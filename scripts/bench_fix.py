#!/usr/bin/env python3
"""The cost of one still-picture lesson in ``fix``: a 16-minute mp3 put over a 1280×720 JPEG cover.

Usage: ``.venv/bin/python scripts/bench_fix.py [--minutes M] [--preset P] [--runs N]``
(``make bench`` runs it with the defaults and adds its row to the table).

It runs exactly what ``fix`` runs for such a lesson (the packet scan, the picture segment, the
audio over the looped segment), each ffmpeg pinned to one core (``taskset -c 0`` where there is
one), and reports the lesson's length divided by the CPU seconds all of them used: the speed in
"× real time on one core". Issue 10 asks for at least 20×. The median of ``--runs`` runs is shown.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_report import Row

from coursecheck.fix.encode import Target, commands
from coursecheck.fix.geometry import fit
from coursecheck.fix.plan import Encode, Picture
from coursecheck.fix.scan import scan_command
from coursecheck.proc import MiB, run_bounded
from coursecheck.synth import ffmpeg_exe, run_quiet

WHAT = "fix: still-picture lesson (mp3 over the cover), × real time per CPU second"
TARGET = 20.0


def make_inputs(folder: Path, minutes: float) -> tuple[Path, Path]:
    """A ``minutes``-long mp3 (speech-like tones) and a 1280×720 JPEG cover."""
    audio, cover = folder / "lesson.mp3", folder / "cover.jpg"
    run_quiet(["-y", "-f", "lavfi", "-i", f"sine=f=220:b=2:d={minutes * 60}:sample_rate=44100",
               "-c:a", "libmp3lame", "-b:a", "64k", str(audio)])
    run_quiet(["-y", "-f", "lavfi", "-i", "testsrc2=s=1280x720", "-frames:v", "1",
               "-q:v", "3", str(cover)])
    return audio, cover


def one_run(audio: Path, cover: Path, minutes: float, preset: str, work: Path) -> tuple[float,
                                                                                        float]:
    """``(CPU seconds, wall seconds)`` of the scan and the encode of one lesson."""
    pin = ["taskset", "-c", "0"] if shutil.which("taskset") else []
    job = Encode(source=audio, written="lesson.mp3", output="lesson.mp4", rules=("V102",),
                 title="bench", geometry=fit(1280, 720, 1280, 720), picture=Picture.COVER,
                 still=cover, duration_s=minutes * 60)
    steps = [scan_command(ffmpeg_exe(), audio),
             *commands(ffmpeg_exe(), job, work / "lesson.mp4", Target(crf=23, preset=preset),
                       work=work)]
    cpu = 0.0
    begun = time.monotonic()
    for argv in steps:
        done = run_bounded([*pin, *argv], timeout_s=3600, mem_bytes=4096 * MiB,
                           capture_stdout=argv is steps[0], stdout_cap=256 * MiB)
        if done.returncode != 0:
            raise SystemExit(f"bench_fix: {argv[len(pin)]} failed: {done.last_lines()}")
        cpu += done.cpu_s
    return cpu, time.monotonic() - begun


def still_picture_row(minutes: float = 16.0, preset: str = "medium", runs: int = 3) -> Row:
    """Measure, print each run, and return the table row."""
    with tempfile.TemporaryDirectory(prefix="coursecheck-bench-fix-") as tmp:
        audio, cover = make_inputs(Path(tmp), minutes)
        speeds = []
        for i in range(runs):
            cpu, wall = one_run(audio, cover, minutes, preset, Path(tmp))
            speeds.append(minutes * 60 / cpu)
            print(f"fix still picture run {i + 1}/{runs}: {minutes:g} min lesson, CPU {cpu:.2f} s,"
                  f" wall {wall:.2f} s, {speeds[-1]:.0f}× real time per CPU second", flush=True)
    speed = statistics.median(speeds)
    lesson_s = minutes * 60
    return Row(WHAT, f"{lesson_s / speed:.2f} s CPU", f"{lesson_s:.0f} s lesson",
               f"{speed:.0f}×", f"≥ {TARGET:.0f}×", "PASS" if speed >= TARGET else "FAIL")


def main(argv: list[str]) -> int:
    """Measure and print the row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=16.0)
    parser.add_argument("--preset", default="medium", help="fix's --preset (default medium)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    row = still_picture_row(args.minutes, args.preset, max(args.runs, 1))
    print(f"{row.what}: {row.ratio} ({row.measured} for a {row.against}; target {row.target}) "
          f"{row.result}")
    return 0 if row.result == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

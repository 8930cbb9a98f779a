"""``make bench``, issue 13: the audit at national scale, measured side by side as ratios.

Corpus: 200 courses × 10 lessons of 7 minutes (``bench_corpus.py``, every lesson a hard link of
one file), audited whole (2,000 lessons), by its first 20 courses (200 lessons) and by its first
48 (480 lessons). Each round, interleaved so that load from other programs hits all alike:

- cold and warm audits of 200 and of 2,000 lessons (a fresh cache, then the same cache again);
- the MediaInfo baseline over the 2,000-lesson tree: ``mediainfo --Output=JSON`` when the CLI is
  installed, else pymediainfo parsing every file serially in one process;
- 480 lessons: a cold audit, a cold audit with ``--html`` (every thumbnail made), then warm
  audits with and without ``--html`` on that cache.

Then the peak memory of the whole process tree of cold audits of 200 and 2,000 lessons. The
rows: cold 2,000 against MediaInfo (≤ 0.7×); warm against cold cost per lesson,
(warm₂₀₀₀ − warm₂₀₀) / (cold₂₀₀₀ − cold₂₀₀) (≤ 0.1×); warm 480 with ``--html`` against without
(≤ 2×); the cold ``--html`` run with its CPU seconds per thumbnail, (CPU with ``--html`` − CPU
without) / 480; peak memory at 2,000 lessons (< 300 MB) and its ratio to 200.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from bench_corpus import LARGE, LESSONS, course_dirs, ensure_corpus
from bench_measure import Run, median, run
from bench_report import Row

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SMALL, HTML = 20, 48  # courses: 200 and 480 lessons
MB = 1e6


class Scale:
    """The 2,000-lesson corpus, the scratch folder, and the baseline to compare with."""

    def __init__(self, corpus: Path, tmp: Path, env: dict[str, str],
                 mediainfo_cli: str | None) -> None:
        self.corpus = corpus
        self.tmp = tmp
        self.env = env
        self.mediainfo_cli = mediainfo_cli
        self.caches = 0
        self.baseline = ("mediainfo --Output=JSON" if mediainfo_cli else "pymediainfo serial")

    def fresh(self) -> Path:
        self.caches += 1
        return self.tmp / f"scale-cache-{self.caches}"

    def audit(self, courses: int, cache: Path, *extra: str, sample: bool = False) -> Run:
        """``coursecheck audit`` of the first ``courses`` courses; checks every lesson is in."""
        out = self.tmp / "scale.json"
        roots = ([self.corpus] if courses >= LARGE else course_dirs(self.corpus, courses))
        done = run([str(BIN / "coursecheck"), "audit", *map(str, roots), "--format", "json",
                    "--cache-dir", str(cache), *extra], env=self.env, stdout=out, sample=sample)
        if done.returncode not in (0, 1):
            raise SystemExit(f"bench: audit of {courses} courses exited {done.returncode}")
        lessons = sum(len(c["lessons"]) for c in json.loads(out.read_text())["courses"])
        if lessons != courses * LESSONS:
            raise SystemExit(f"bench: the audit reported {lessons} lessons, not "
                             f"{courses * LESSONS}")
        return done

    def mediainfo(self) -> Run:
        """The baseline over the whole tree."""
        args = ([self.mediainfo_cli, "--Output=JSON", str(self.corpus)] if self.mediainfo_cli
                else [sys.executable, str(ROOT / "scripts" / "bench_pymediainfo.py"),
                      str(self.corpus)])
        done = run(args, env=self.env)
        if done.returncode != 0:
            raise SystemExit(f"bench: {args[0]} exited {done.returncode}")
        return done

    def round(self, times: dict[str, list[Run]]) -> None:
        """One run of every contender, recorded under its name."""
        steps: list[tuple[str, Callable[[], Run]]] = []
        for courses in (SMALL, LARGE):
            cache = self.fresh()
            steps += [(f"cold {courses * LESSONS}", lambda c=courses, k=cache: self.audit(c, k)),
                      (f"warm {courses * LESSONS}", lambda c=courses, k=cache: self.audit(c, k))]
        steps.append((self.baseline, self.mediainfo))
        html = self.tmp / "report.html"
        plain, thumbs = self.fresh(), self.fresh()
        steps += [("cold 480", lambda: self.audit(HTML, plain)),
                  ("cold 480 --html", lambda: self.audit(HTML, thumbs, "--html", str(html))),
                  ("warm 480 --html", lambda: self.audit(HTML, thumbs, "--html", str(html))),
                  ("warm 480", lambda: self.audit(HTML, thumbs))]
        for name, measure in steps:
            times.setdefault(name, []).append(measure())
        print("scale round: " + ", ".join(f"{name} {r[-1].wall_s:.2f} s"
                                          for name, r in times.items()), flush=True)

    def peak(self, courses: int, runs: int) -> Run:
        """Of ``runs`` sampled cold audits, the one whose process tree peaked highest."""
        return max((self.audit(courses, self.fresh(), sample=True) for _ in range(runs)),
                   key=lambda r: r.tree_rss)


def measure(corpus: Path, tmp: Path, env: dict[str, str], mediainfo_cli: str | None,
            runs: int) -> tuple[list[Row], dict[str, list[Run]]]:
    """Build (or reuse) the corpus, run ``runs`` rounds and the memory runs; the rows."""
    ensure_corpus(corpus, LARGE)
    scale = Scale(corpus, tmp, env, mediainfo_cli)
    print(f"scale: warming up on {corpus} ...", flush=True)
    warm_up = scale.fresh()
    scale.audit(LARGE, warm_up)
    scale.audit(LARGE, warm_up)
    scale.mediainfo()
    times: dict[str, list[Run]] = {}
    for _ in range(runs):
        scale.round(times)
    memory = {n: scale.peak(n, min(runs, 2)) for n in (SMALL, LARGE)}
    for n, peak in memory.items():
        print(f"memory, {n * LESSONS} lessons: tree RSS {peak.tree_rss / MB:.0f} MB, tree PSS "
              f"{peak.tree_pss / MB:.0f} MB, largest process {peak.max_single_rss / MB:.0f} MB",
              flush=True)
    return rows(times, memory, scale.baseline), times


def rows(times: dict[str, list[Run]], memory: dict[int, Run], baseline: str) -> list[Row]:
    """The issue 13 rows of the table."""
    wall = {name: median([r.wall_s for r in runs]) for name, runs in times.items()}
    cpu = {name: median([r.cpu_s for r in runs]) for name, runs in times.items()}
    table = [Row.judged(f"cold audit 2,000 lessons vs {baseline}", wall["cold 2000"],
                        wall[baseline], "≤ 0.7×", lambda ratio: ratio <= 0.7)]
    warm_cost = wall["warm 2000"] - wall["warm 200"]
    cold_cost = wall["cold 2000"] - wall["cold 200"]
    table.append(Row.judged("warm vs cold cost of 1,800 more lessons", warm_cost, cold_cost,
                            "≤ 0.1×", lambda ratio: ratio <= 0.1))
    table.append(Row.judged("warm 480 lessons: with --html vs without", wall["warm 480 --html"],
                            wall["warm 480"], "≤ 2.0×", lambda ratio: ratio <= 2.0))
    per_thumb = (cpu["cold 480 --html"] - cpu["cold 480"]) / (HTML * LESSONS)
    table.append(Row("cold 480 lessons with --html (thumbnails made)",
                     f"{wall['cold 480 --html']:.2f} s", f"{wall['cold 480']:.2f} s without",
                     f"{wall['cold 480 --html'] / wall['cold 480']:.2f}×",
                     f"({per_thumb:.3f} CPU-s per thumbnail)", "INFO"))
    small, large = memory[SMALL], memory[LARGE]
    table.append(Row.judged("peak memory, 2,000 lessons (tree RSS)", large.tree_rss / MB, 300,
                            "< 300 MB", lambda ratio: ratio < 1.0, unit="MB"))
    table.append(Row("peak memory, 2,000 vs 200 lessons (tree RSS)",
                     f"{large.tree_rss / MB:.0f} MB", f"{small.tree_rss / MB:.0f} MB",
                     f"{large.tree_rss / small.tree_rss:.2f}×", "(printed)", "INFO"))
    return table

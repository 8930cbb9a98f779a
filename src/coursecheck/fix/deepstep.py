"""``fix`` and ``--deep``: measure each lesson's loudness before planning (so D104/D105 can be
fixed), and after writing, measure the normalised lessons again and say before → after."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from coursecheck.deep.batch import Job, run_jobs
from coursecheck.deep.facts import DeepFacts, as_level
from coursecheck.deep.plan import params_for, with_deep
from coursecheck.deep.store import deep_store
from coursecheck.facts import CourseFacts
from coursecheck.fix.plan import Encode
from coursecheck.messages import phrase
from coursecheck.options import RunOptions
from coursecheck.settings import Settings
from coursecheck.text import printable

WORDS = {
    "en": {"heading": "Loudness, before → after:",
           "row": "  {file}: {before} → {after} LUFS (true peak {peak} dBTP)"},
    "zh": {"heading": "响度（修复前 → 修复后）：",
           "row": "  {file}：{before} → {after} LUFS（真峰值 {peak} dBTP）"},
}


def fix_level(settings: Settings) -> Settings:
    """The settings ``fix`` checks the source with: at least the quick deep pass."""
    return settings if settings.deep != "off" else replace(settings, deep="quick")


def measured(facts: CourseFacts, settings: Settings, options: RunOptions,
             root: Path) -> CourseFacts:
    """``facts`` with deep facts on every lesson (from the cache when unchanged)."""
    with deep_store(options, [root]) as store:
        done, interrupted = with_deep([(facts, settings)], store, 1)
    if interrupted or done[0] is None:
        raise KeyboardInterrupt
    return done[0]


def report_loudness(encodes: Sequence[Encode], out: Path, settings: Settings,
                    options: RunOptions, lang: str, stream: TextIO) -> None:
    """Measure each normalised output (keeping the result for the check that follows) and
    print its loudness before and after."""
    level = as_level(settings.deep) or "quick"
    jobs = [(job, Job(str(out / job.output), level, params_for(settings), True, True,
                      job.duration_s)) for job in encodes if job.loudness]
    if not jobs:
        return
    results: dict[Job, DeepFacts] = {}
    with deep_store(options, [out]) as store:
        run_jobs([j for _, j in jobs], store, 1, lambda _: None, results)
    print("\n" + phrase(WORDS, lang, "heading"), file=stream)
    for encode, job in jobs:
        after = results.get(job)
        assert encode.loudness is not None
        print(phrase(WORDS, lang, "row", file=printable(encode.output),
                     before=f"{encode.loudness.measured_i:.1f}",
                     after=_number(after.loudness_lufs if after else None),
                     peak=_number(after.true_peak_dbtp if after else None)), file=stream)


def _number(value: float | None) -> str:
    return f"{value:.1f}" if value is not None else "?"

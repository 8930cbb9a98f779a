"""``check --deep``: gather every course, decode the lessons in one batch, then evaluate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from coursecheck.cover import ImageFacts, read_image
from coursecheck.deep.batch import Runner
from coursecheck.deep.plan import with_deep
from coursecheck.deep.store import deep_store
from coursecheck.engine import crashed, evaluate
from coursecheck.facts import CourseFacts
from coursecheck.findings import CourseResult
from coursecheck.gather import Prober, gather
from coursecheck.options import RunOptions
from coursecheck.settings import Settings
from coursecheck.targets import CourseTarget


def gather_all(targets: Sequence[CourseTarget], settings: Sequence[Settings],
               prober: Prober, read_cover: Callable[[Path], ImageFacts] = read_image
               ) -> list[CourseFacts | CourseResult]:
    """Every course's facts, or its X001 result when gathering crashed."""
    gathered: list[CourseFacts | CourseResult] = []
    for target, course_settings in zip(targets, settings, strict=True):
        try:
            gathered.append(gather(target.root, target.manifest, prober, read_cover))
        except Exception as exc:
            gathered.append(crashed(target.display, course_settings, exc))
    return gathered


def check_deep(targets: Sequence[CourseTarget], settings: Sequence[Settings],
               gathered: Sequence[CourseFacts | CourseResult], options: RunOptions,
               roots: Sequence[Path], runner: Runner | None = None) -> list[CourseResult]:
    """The results of every course, with the D-rules run on their decoded lessons (by
    ``runner``: the worker pool the run probed with). Call it after any live display of the
    gathering has ended (its progress bar is another)."""
    pairs = [(facts, s) for facts, s in zip(gathered, settings, strict=True)
             if isinstance(facts, CourseFacts)]
    with deep_store(options, roots) as store:
        done, interrupted = with_deep(pairs, store, options.jobs, runner=runner)
    if interrupted:
        raise KeyboardInterrupt  # check reports nothing partial: the caller exits 130
    deepened = iter(done)
    results: list[CourseResult] = []
    for target, course_settings, facts in zip(targets, settings, gathered, strict=True):
        if isinstance(facts, CourseResult):
            results.append(facts)
            continue
        try:
            deepened_facts = next(deepened)
            assert deepened_facts is not None
            results.append(evaluate(deepened_facts, course_settings, target.display))
        except Exception as exc:
            results.append(crashed(target.display, course_settings, exc))
    return results

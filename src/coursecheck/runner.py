"""One ``check`` run: targets → results → report → exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from coursecheck.engine import check_course, target_for
from coursecheck.findings import CourseResult
from coursecheck.gather import Prober
from coursecheck.probe import MediaFacts, probe
from coursecheck.reporters import REPORTERS
from coursecheck.settings import Settings


def exit_code(results: Sequence[CourseResult], strict: bool) -> int:
    """1 when any course has an error (or, with ``strict``, a warning); else 0."""
    if any(r.errors for r in results):
        return 1
    return 1 if strict and any(r.warnings for r in results) else 0


def run_check(paths: Sequence[Path], fmt: str, lang: str, strict: bool,
              settings: Settings | None = None) -> int:
    """Check each path, write the report to stdout, return the exit code."""
    settings = settings or Settings(lang=lang)
    results: list[CourseResult] = []
    with _progress() as prober:
        for path in paths:
            results.append(check_course(target_for(path), settings, prober))
    REPORTERS[fmt]().write(results, sys.stdout, lang)
    return exit_code(results, strict)


@contextmanager
def _progress() -> Iterator[Prober]:
    """A prober that shows which file is being read, on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield probe
        return
    from rich.console import Console

    with Console(stderr=True).status("…") as status:
        def prober(path: Path) -> MediaFacts:
            status.update(f"probing {path.name}")
            return probe(path)
        yield prober

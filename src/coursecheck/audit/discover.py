"""Finding course folders under the roots an auditor names."""

from __future__ import annotations

import os
from pathlib import Path

from coursecheck.spec import MANIFEST_NAMES, STATISTICS_NAMES


def is_course(folder: Path) -> bool:
    """A course folder holds ``course.yaml`` or ``course.yml``."""
    return any((folder / name).is_file() for name in MANIFEST_NAMES)


def find_courses(roots: list[Path]) -> list[Path]:
    """Every course folder under ``roots``, sorted, each once.

    The search does not look for courses inside a course folder, skips hidden folders and does
    not follow symlinked folders.
    """
    found: dict[Path, Path] = {}
    for root in roots:
        if is_course(root):
            found.setdefault(root.resolve(), root)
            continue
        for folder, dirs, _files in os.walk(root, followlinks=False):
            here = Path(folder)
            if here != root and is_course(here):
                found.setdefault(here.resolve(), here)
                dirs[:] = []
                continue
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    return sorted(found.values(), key=lambda p: p.as_posix())


def find_cases_and_statistics(roots: list[Path]) -> tuple[list[Path], list[Path]]:
    """Every learning-centre case folder (holding case.yaml) and every statistics.yaml under
    ``roots``, each sorted.

    Like :func:`find_courses`: nothing inside a course or case folder is searched, hidden and
    symlinked folders are skipped. A statistics file sits at the top of a province's folder.
    """
    from coursecheck.case import is_case

    cases: dict[Path, Path] = {}
    stats: dict[Path, Path] = {}
    for root in roots:
        for folder, dirs, files in os.walk(root, followlinks=False):
            here = Path(folder)
            if is_course(here):
                dirs[:] = []
                continue
            if is_case(here):
                cases.setdefault(here.resolve(), here)
                dirs[:] = []
                continue
            for name in STATISTICS_NAMES:
                if name in files:
                    stats.setdefault((here / name).resolve(), here / name)
                    break
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    return (sorted(cases.values(), key=lambda p: p.as_posix()),
            sorted(stats.values(), key=lambda p: p.as_posix()))

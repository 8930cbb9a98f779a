"""Finding course folders under the roots an auditor names."""

from __future__ import annotations

import os
from pathlib import Path

from coursecheck.spec import MANIFEST_NAMES


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

"""Which course folders a list of command-line paths names.

A path may be a course folder, its manifest, a zip holding a course, or any file inside a course
(pre-commit passes the changed files): each course is checked once, in the order first named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coursecheck.facts import ArchiveFacts
from coursecheck.gather import find_manifest


@dataclass(frozen=True, slots=True)
class CourseTarget:
    """A course to check: its folder, its manifest (if found) and the path reports show.

    A zip named on the command line is a target whose ``root`` is the zip itself and ``zip`` is
    true, until :func:`coursecheck.zipsession.open_target` reads it; each course read from it
    has its ``archive`` facts.
    """

    root: Path
    manifest: Path | None
    display: str
    zip: bool = False
    archive: ArchiveFacts | None = None


def display_path(root: Path) -> str:
    """The folder relative to the working directory, in POSIX form (absolute if far away)."""
    try:
        rel = Path(os.path.relpath(root)).as_posix()
    except ValueError:
        return root.resolve().as_posix()
    return root.resolve().as_posix() if rel.startswith("../../..") else rel


def enclosing_course(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder that holds a manifest.

    The search stops at a repository root (a folder with ``.git``).
    """
    for folder in (path.parent.resolve(), *path.parent.resolve().parents):
        if find_manifest(folder) is not None:
            return folder
        if (folder / ".git").exists():
            return None
    return None


def target_for(path: Path) -> CourseTarget | None:
    """The course a path names, or ``None`` for a file that is in no course."""
    if path.is_dir():
        return CourseTarget(path, find_manifest(path), display_path(path))
    if path.suffix.lower() == ".zip":
        return CourseTarget(path, None, display_path(path), zip=True)
    if path.suffix.lower() in (".yaml", ".yml"):  # course.yaml, course.yml or another name
        return CourseTarget(path.parent, path, display_path(path.parent))
    root = enclosing_course(path)
    if root is None:
        return None
    shown = Path(os.path.relpath(root)) if not path.is_absolute() else root
    return CourseTarget(shown, find_manifest(root), display_path(shown))


def targets_for(paths: tuple[Path, ...] | list[Path]) -> tuple[list[CourseTarget], list[Path]]:
    """Distinct courses for ``paths``, and the files that belong to no course."""
    seen: set[Path] = set()
    targets: list[CourseTarget] = []
    strays: list[Path] = []
    for path in paths:
        target = target_for(path)
        if target is None:
            strays.append(path)
            continue
        key = target.root.resolve()
        if key not in seen:
            seen.add(key)
            targets.append(target)
    return targets, strays

"""Finding course folders under the roots an auditor names.

A folder that cannot be listed or entered, or a path longer than the system allows, does not stop
the search: it becomes a note and the rest of the tree is searched.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePath

from coursecheck.gather import MEDIA_EXTENSIONS
from coursecheck.notes import Note, os_words
from coursecheck.paths import Skipped, walk, why
from coursecheck.spec import MANIFEST_NAMES, STATISTICS_NAMES
from coursecheck.text import elide, printable


def is_course(folder: Path, skipped: list[Skipped] | None = None) -> bool:
    """A course folder holds ``course.yaml`` or ``course.yml``: any entry but a folder, so a FIFO or
    a dangling link there is a course whose manifest is C002, as ``check`` reports it. A manifest
    that cannot be looked at goes to ``skipped`` (when given) and the folder does not count."""
    for name in MANIFEST_NAMES:
        path = folder / name
        try:
            if path.is_file() or (os.path.lexists(path) and not path.is_dir()):
                return True
        except OSError as exc:
            if skipped is not None:
                skipped.append(Skipped(folder / name, why(exc)))
            return False
    return False


# A folder of media with one of these names is the lessons folder of the course above it.
LESSON_FOLDER_NAMES = frozenset({
    "lessons", "lesson", "videos", "video", "audio", "media", "mp4", "视频", "微课", "微课视频",
    "课程视频", "音频", "视频文件"})


def find_courses(roots: list[Path], notes: list[str] | None = None,
                 zips: list[Path] | None = None) -> list[Path]:
    """Every course folder under ``roots``, sorted, each once.

    A course folder holds ``course.yaml`` (or ``course.yml``); so, for ``audit``, does a folder
    of video or audio files that has none and is in no course or case (see
    :func:`_unlisted_course`). The search does not look inside a course or case folder, skips
    hidden folders and does not follow symlinked folders. What it could not look at is added to
    ``notes``; every ``*.zip`` file found on the way (not inside a course) to ``zips``.
    """
    from coursecheck.case import is_case

    found: dict[Path, Path] = {}
    loose: set[Path] = set()  # folders of media without a manifest
    skipped: list[Skipped] = []
    for root in roots:
        if is_course(root, skipped):
            found.setdefault(root.resolve(), root)
            continue
        for folder, dirs, files in walk(root, skipped):
            if folder != root and is_course(folder, skipped):
                found.setdefault(folder.resolve(), folder)
                dirs[:] = []
                continue
            if folder != root and _quietly(is_case, folder):  # its videos belong to the case
                dirs[:] = []
                continue
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            if any(_is_media(name) for name in files):
                loose.add(_unlisted_course(folder, root))
            if zips is not None:
                zips.extend(folder / name for name in sorted(files)
                            if name.lower().endswith(".zip") and not name.startswith("."))
    for course in loose:  # a folder inside another one is part of it
        if not any(other != course and course.is_relative_to(other) for other in loose):
            found.setdefault(course.resolve(), course)
    if notes is not None:
        notes.extend(Note("not_searched", path=elide(printable(str(s.path))),
                          reason=os_words(s.reason)) for s in skipped)
    return sorted(found.values(), key=lambda p: p.as_posix())


def _quietly(test: Callable[[Path], bool], folder: Path) -> bool:
    """``test(folder)``, false when the folder cannot be looked at (find_courses notes that)."""
    try:
        return test(folder)
    except OSError:
        return False


def _is_media(name: str) -> bool:
    return not name.startswith(".") and PurePath(name).suffix.lower() in MEDIA_EXTENSIONS


def _unlisted_course(folder: Path, root: Path) -> Path:
    """The course a manifest-less folder of media belongs to: the folder itself, or its parent
    when it is named like a lessons folder (``lessons``, ``视频``, …) and is not ``root``."""
    if folder != root and folder.name.casefold() in LESSON_FOLDER_NAMES:
        return folder.parent
    return folder


def find_cases_and_statistics(roots: list[Path]) -> tuple[list[Path], list[Path]]:
    """Every learning-centre case folder (holding case.yaml) and every statistics.yaml under
    ``roots``, each sorted.

    Like :func:`find_courses`: nothing inside a course or case folder is searched, hidden and
    symlinked folders are skipped. A statistics file sits at the top of a province's folder.
    """
    from coursecheck.case import is_case

    cases: dict[Path, Path] = {}
    stats: dict[Path, Path] = {}
    unseen: list[Skipped] = []  # find_courses has already noted what cannot be looked at
    for root in roots:
        for here, dirs, files in walk(root, unseen):
            if is_course(here):
                dirs[:] = []
                continue
            try:
                case = is_case(here)
            except OSError:
                case = False
            if case:
                cases.setdefault(here.resolve(), here)
                dirs[:] = []
                continue
            for name in STATISTICS_NAMES:
                if name in files:
                    stats.setdefault((here / name).resolve(), here / name)
                    break
            dirs[:] = [d for d in dirs if not d.startswith(".")]
    return (sorted(cases.values(), key=lambda p: p.as_posix()),
            sorted(stats.values(), key=lambda p: p.as_posix()))

"""A zip of several courses (a province's batch): each course folder in it is its own course.

A zip whose top (or whose one top folder) holds ``course.yaml`` or ``case.yaml`` is one course,
and so is a zip in which no folder holds a course manifest (its videos are then checked as one
course without one, C001). Otherwise the course folders, learning-centre case folders and
statistics files are found in the unpacked zip exactly as ``audit`` finds them in a folder tree
(:mod:`coursecheck.audit.discover`), and each course and case is checked on its own, shown as
``batch.zip!/course-a``.

The zip is still read once, as a whole, with every Z-rule: a refused member goes to the course
whose folder holds it, and one in no course folder to the zip's first course, located at that
course (the message names the member).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from coursecheck.audit.discover import find_cases_and_statistics, find_courses
from coursecheck.case import find_case
from coursecheck.facts import ArchiveFacts, Refused
from coursecheck.gather import find_manifest
from coursecheck.zipcourse import OpenedZip


@dataclass(frozen=True, slots=True)
class Batch:
    """What a zip of several courses holds, each list sorted."""

    courses: list[Path]
    cases: list[Path]
    statistics: list[Path]


def find_batch(opened: OpenedZip) -> Batch | None:
    """The courses, cases and statistics files of an opened zip that is a batch of courses;
    ``None`` when it is one course (or none)."""
    if (find_manifest(opened.root) is not None or find_case(opened.root) is not None
            or opened.archive.refused_whole):
        return None
    courses = find_courses([opened.folder])
    if not any(find_manifest(folder) is not None for folder in courses):
        return None  # videos without any manifest: one course, as before
    cases, statistics = find_cases_and_statistics([opened.folder])
    return Batch(courses, cases, statistics)


def inside(opened: OpenedZip, path: Path) -> str:
    """``path``'s name inside the zip (empty for the zip's top)."""
    inner = path.relative_to(opened.folder).as_posix()
    return "" if inner == "." else inner


def split_archive(opened: OpenedZip, roots: list[Path]) -> list[ArchiveFacts]:
    """The zip's facts for each course of ``roots``: the members refused in its folder (in no
    course folder: the first's), with the folder as the part of member names to strip."""
    if roots == [opened.root]:
        return [opened.archive]  # one course: as read
    prefixes = [inside(opened, root) + "/" if root != opened.folder else "" for root in roots]
    own: list[list[Refused]] = [[] for _ in roots]
    for item in opened.archive.refused:
        holders = [i for i, p in enumerate(prefixes) if item.member.startswith(p)]
        own[max(holders, key=lambda i: len(prefixes[i]), default=0)].append(item)
    return [replace(opened.archive, refused=tuple(items), strip=p)
            for items, p in zip(own, prefixes, strict=True)]

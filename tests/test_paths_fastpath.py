"""The fast path of :func:`coursecheck.paths.resolve_inside` (no ``realpath`` when nothing below
the course folder is a link) never lets a path leave the folder."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from coursecheck import paths
from coursecheck.paths import PathStatus, resolve_inside

IO_REPARSE_TAG_MOUNT_POINT = 0xA0000003


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32",
                    reason="models a Windows junction with a POSIX symlink")
def test_a_junction_to_outside_the_folder_is_outside(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' ``lstat`` reports a junction (a directory reparse point) as a directory, not
    a link: a junction in the course folder pointing elsewhere is followed by ``realpath`` only,
    so the fast path must leave any reparse point to it."""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "a.mp4").write_bytes(b"secret")
    course = tmp_path / "course"
    course.mkdir()
    junction = course / "lessons"
    junction.symlink_to(outside, target_is_directory=True)
    real_lstat = os.lstat
    named = os.path.join(os.path.realpath(course), "lessons")

    def like_windows(path: str | os.PathLike[str], *args: object, **kwargs: object) -> object:
        st = real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.fspath(path) == named:
            return SimpleNamespace(st_mode=stat.S_IFDIR | 0o755,
                                   st_reparse_tag=IO_REPARSE_TAG_MOUNT_POINT)
        return st

    class WindowsOs:  # realpath (ntpath's follows junctions) still sees the link
        lstat = staticmethod(like_windows)

        def __getattr__(self, name: str) -> object:
            return getattr(os, name)

    monkeypatch.setattr(paths, "os", WindowsOs())
    found = resolve_inside(course, "lessons/a.mp4")
    assert found.status is PathStatus.OUTSIDE, found


def test_a_course_folder_moved_between_two_runs_in_one_process_is_found_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real path of a course folder is remembered per folder; once the folder has moved
    (same folder, so same inode, named the same way from the new working directory) the
    remembered path is stale and must not make its lessons OUTSIDE."""
    first = tmp_path / "a" / "course"
    first.mkdir(parents=True)
    (first / "lesson.mp4").write_bytes(b"x")
    (first / "same.mp4").symlink_to("lesson.mp4")  # a link inside: the careful path
    monkeypatch.chdir(first)
    assert resolve_inside(Path("."), "same.mp4").status is PathStatus.OK
    (tmp_path / "a").rename(tmp_path / "b")
    monkeypatch.chdir(tmp_path / "b" / "course")
    assert resolve_inside(Path("."), "lesson.mp4").status is PathStatus.OK
    assert resolve_inside(Path("."), "same.mp4").status is PathStatus.OK

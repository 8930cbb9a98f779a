"""coursecheck reads the course folder and nothing else, and never changes a byte of it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.helpers import GOOD, Course, check_json


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every entry under ``root``: content hash (files) and mtime, keyed by relative path."""
    state = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, st.st_mtime_ns)
    return state


def test_every_file_is_byte_identical_after_a_check(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    course.set_lesson(4, GOOD.but(faststart=False))
    root = course.build()
    before = snapshot(root)
    run = check_json(root)
    assert run.exit_code == 1
    assert snapshot(root) == before


def test_fifo_inside_the_folder_is_v001_and_never_opened(course: Course) -> None:
    root = course.build()
    (root / "lessons/07.mp4").unlink()
    os.mkfifo(root / "lessons/07.mp4")
    run = check_json(root)  # opening the FIFO for reading would block forever
    assert run.where("V001") == [("lessons/07.mp4", None)]
    assert "not a regular file" in run.findings("V001")[0]["message"]
    assert run.exit_code == 1


def test_lesson_path_naming_a_folder_is_v001(course: Course) -> None:
    root = course.build()
    (root / "lessons/07.mp4").unlink()
    (root / "lessons/07.mp4").mkdir()
    run = check_json(root)
    assert run.where("V001") == [("lessons/07.mp4", None)]


def test_unreadable_cover_and_lessons_do_not_stop_the_run(course: Course) -> None:
    course.set_lesson(9, GOOD.but(fps="24"))
    root = course.build()
    (root / "cover.jpg").unlink()
    (root / "cover.jpg").write_bytes(b"")
    (root / "lessons/01.mp4").unlink()
    (root / "lessons/01.mp4").write_bytes(b"")
    run = check_json(root)
    assert {f["rule"] for f in run.findings()} == {"C107", "V001", "V105"}
    assert run.exit_code == 1

"""The probe cache against swapped lessons and planted entries (issue 10 §3).

A lesson replaced by another file of the same size with its mtime put back is probed again; an
entry that is a FIFO, a symlink to one, or holds NaN or Infinity is a miss with one note, never a
hang, a wrong verdict or an invalid JSON report.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from coursecheck.fileid import WINDOW, identify
from tests.helpers import GOOD, Course, Media, Run, check_json, check_json_or_fail_if_blocked
from tests.test_cache import Calls, cache_notes, cached_check, entries
from tests.test_cache import mediainfo as mediainfo  # the spy fixture

FREE = b"free"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def padded(source: Path, size: int, target: Path) -> Path:
    """``source`` with a top-level ``free`` box appended so the file is ``size`` bytes."""
    data = source.read_bytes()
    gap = size - len(data)
    assert gap >= 8
    target.write_bytes(data + struct.pack(">I4s", gap, FREE) + b"\0" * (gap - 8))
    return target


def test_a_same_size_swap_with_its_mtime_put_back_is_probed_again(
        course: Course, media: Media, cache: Path, mediainfo: Calls, tmp_path: Path) -> None:
    good, other = media.clip(), media.clip(GOOD.but(fps="30"))
    size = max(good.stat().st_size, other.stat().st_size) + 64
    course.set_lesson(3, padded(good, size, tmp_path / "good.mp4"))
    root = course.build()
    lesson = root / "lessons/03.mp4"
    assert cached_check(root, cache).exit_code == 0
    before = lesson.stat()
    swap = padded(other, size, tmp_path / "other.mp4").read_bytes()
    with lesson.open("r+b") as handle:  # same inode, same size: as `cp -p` over it would
        handle.write(swap)
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (lesson.stat().st_size, lesson.stat().st_mtime_ns) == (before.st_size,
                                                                   before.st_mtime_ns)
    mediainfo.paths.clear()
    run = cached_check(root, cache)
    assert mediainfo.paths == [lesson.resolve()]
    assert run.where("V105") == [("lessons/03.mp4", None)]
    assert run.exit_code == 1


def test_the_fingerprint_sees_the_head_the_tail_and_the_moov_box(tmp_path: Path) -> None:
    size = 5 * WINDOW
    moov_at = 2 * WINDOW  # an mdat, then a moov in the middle, outside the head and tail
    layout = (struct.pack(">I4s", moov_at, b"mdat") + b"\0" * (moov_at - 8)
              + struct.pack(">I4s", size - moov_at, b"moov") + b"\0" * (size - moov_at - 8))
    path = tmp_path / "a.mp4"
    seen = set()
    for change in (None, 100, size - 100, moov_at + 100):
        data = bytearray(layout)
        if change is not None:
            data[change] = 1
        path.write_bytes(bytes(data))
        found = identify(path)
        assert found is not None and found.size == size
        seen.add(found.fingerprint)
    assert len(seen) == 4


def test_identify_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "target").write_bytes(b"x" * 10)
    (tmp_path / "link").symlink_to(tmp_path / "target")
    assert identify(tmp_path / "link") is None
    assert identify(tmp_path) is None
    assert identify(tmp_path / "missing") is None
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "fifo")
        assert identify(tmp_path / "fifo") is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.timeout(120)
@pytest.mark.parametrize("plant", ["fifo", "symlink_to_fifo"])
def test_a_fifo_planted_at_an_entry_is_a_miss_and_never_blocks(
        course: Course, cache: Path, mediainfo: Calls, tmp_path: Path, plant: str) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    root = course.build()
    cold = cached_check(root, cache)
    fifo = tmp_path / "planted-fifo"
    os.mkfifo(fifo)
    for entry in entries(cache):
        entry.unlink()
        if plant == "fifo":
            os.mkfifo(entry)
        else:
            entry.symlink_to(fifo)
    mediainfo.paths.clear()
    some_entry = entries(cache)[0]
    run = check_json_or_fail_if_blocked(root, fifo if plant != "fifo" else some_entry,
                                        "--cache-dir", str(cache))
    assert (run.report, run.exit_code) == (cold.report, 1)
    assert run.where("V105") == [("lessons/05.mp4", None)]
    assert len(mediainfo) == 10
    [note] = cache_notes(run)
    assert "10 damaged entries ignored" in note


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999", "-25.0"])
def test_an_entry_with_a_number_out_of_range_is_a_miss(
        course: Course, cache: Path, mediainfo: Calls, value: str) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    root = course.build()
    cold = cached_check(root, cache)
    for entry in entries(cache):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["value"]["video"]["frame_rate"] = "@@"
        entry.write_text(json.dumps(data).replace('"@@"', value), encoding="utf-8")
    mediainfo.paths.clear()
    run: Run = check_json(root, "--cache-dir", str(cache))
    json.loads(run.stdout, parse_constant=lambda name: pytest.fail(f"{name} in the report"))
    assert (run.report, run.exit_code) == (cold.report, 1)
    assert run.where("V105") == [("lessons/05.mp4", None)]
    assert len(mediainfo) == 10
    assert len(cache_notes(run)) == 1

"""Sample tables that lie (issue 15 §2): refused before MediaInfo sees them, as V001.

Real ffmpeg-made MP4s are byte-edited with ``tests/mp4box.py``: a count raised to 0xFFFFFFFF in
a table, an all-zero ``stsz``, a file cut right after ``moov``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coursecheck.mp4index import index_problem
from coursecheck.tools import find_ffmpeg
from tests.helpers import GOOD, SCRIPTS, Course, Media
from tests.mp4box import edit, table

TABLES = ["stts", "stsc", "stsz", "stco", "stss", "elst"]


def problem(path: Path) -> tuple[str, str] | None:
    data = path.read_bytes()
    return index_problem(io.BytesIO(data), len(data))


def test_a_good_file_has_no_index_problem(media: Media) -> None:
    assert problem(media.clip()) is None


@pytest.mark.parametrize("name", TABLES)
def test_a_count_larger_than_its_table_is_a_damaged_index(
        name: str, media: Media, tmp_path: Path) -> None:
    bad = edit(media.clip(), tmp_path / "bad.mp4", f"count:{name}")
    assert problem(bad) == ("damaged_index", name)


def test_a_ctts_count_larger_than_its_table_is_a_damaged_index(tmp_path: Path) -> None:
    ffmpeg = find_ffmpeg()[0]
    if ffmpeg is None:
        pytest.skip("needs ffmpeg")
    clip = tmp_path / "bframes.mp4"  # B-frames, so the file has composition offsets (ctts)
    subprocess.run([ffmpeg, "-v", "error", "-f", "lavfi", "-i", "testsrc=s=320x180:r=25:d=1",
                    "-c:v", "libx264", "-preset", "veryfast", "-bf", "2", str(clip)],
                   check=True, timeout=60)
    table(clip.read_bytes(), "ctts")
    assert problem(edit(clip, tmp_path / "bad.mp4", "count:ctts")) == ("damaged_index", "ctts")


def test_zero_sample_sizes_and_a_file_cut_after_moov_are_refused(
        media: Media, tmp_path: Path) -> None:
    assert problem(edit(media.clip(), tmp_path / "z.mp4", "zero:stsz")) == ("no_samples", "stsz")
    kind, _table = problem(edit(media.clip(), tmp_path / "c.mp4", "cut:moov")) or ("", "")
    assert kind == "truncated"


@pytest.mark.skipif(sys.platform == "win32", reason="os.wait4")
def test_a_lesson_with_lying_tables_is_v001_within_the_probe_limits(
        media: Media, tmp_path: Path) -> None:
    course = Course.good(tmp_path / "c", media)
    clip = media.clip(GOOD)
    for number, change in ((1, "count:stts"), (2, "count:elst"), (3, "cut:moov"),
                           (4, "zero:stsz")):
        course.set_lesson(number, edit(clip, tmp_path / f"{number}.mp4", change))
    root = course.build()
    env = {**os.environ, "COURSECHECK_LANG": "en"}
    proc = subprocess.Popen([str(SCRIPTS / "coursecheck"), "check", str(root), "--format",
                             "json", "--no-cache"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    out = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)  # CPU time of the run and its workers
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 1
    found = json.loads(out)["courses"][0]["findings"]
    assert [(f["rule"], f["file"]) for f in found] == [
        ("V001", f"lessons/{n:02d}.mp4") for n in (1, 2, 3, 4)]
    assert "its stts table claims more entries" in found[0]["message"]
    assert "its elst table claims more entries" in found[1]["message"]
    assert "truncated" in found[2]["message"]
    assert "size of 0" in found[3]["message"]
    assert usage.ru_utime + usage.ru_stime < 20  # far below one file's 20 s CPU limit


def test_the_near_end_shortcut_agrees_with_the_full_walk() -> None:
    """The fast check of chunks near the end of the file gives the walk's answer (random
    tables, increasing first chunks, chunk offsets in order or not), so the speed-up changes
    no verdict."""
    import random
    from array import array

    from coursecheck.mp4index import _chunks_past_end, _Track, _walk_past_end

    rng = random.Random(7)
    for _ in range(5000):
        chunks = rng.randint(1, 40)
        firsts = sorted(rng.sample(range(1, chunks + 3), rng.randint(1, min(4, chunks + 2))))
        pers = [rng.randint(0, 5) for _ in firsts]
        count = rng.randint(0, 120)
        constant = rng.choice([0, 0, rng.randint(1, 50)])
        sizes = None if constant else array("Q", (rng.randint(0, 50) for _ in range(count)))
        offsets = [rng.randint(0, 3300) for _ in range(chunks)]
        if rng.random() < 0.7:
            offsets.sort()
        track = _Track(array("Q", offsets), array("I", firsts), array("I", pers), sizes,
                       constant, count)
        size = rng.randint(100, 3200)
        walked = max(offsets) >= size or _walk_past_end(track, size)
        assert _chunks_past_end(track, size) == walked, (track, size)


def _box(kind: bytes, body: bytes) -> bytes:
    return (8 + len(body)).to_bytes(4, "big") + kind + body


def test_a_second_stsz_replaces_the_first_sizes_too() -> None:
    """A track whose ``stbl`` holds two ``stsz`` boxes (a list of sizes, then one constant size
    for more samples) is judged by the last one, with no crash reading past the first's list."""
    import struct

    stsc = _box(b"stsc", struct.pack(">II", 0, 2) + struct.pack(">III", 0, 5, 1)
                + struct.pack(">III", 1, 5, 1))
    listed = _box(b"stsz", struct.pack(">III", 0, 0, 1) + struct.pack(">I", 10))
    constant = _box(b"stsz", struct.pack(">III", 0, 10, 5))

    def moov(chunk: int) -> bytes:
        stco = _box(b"stco", struct.pack(">III", 0, 1, chunk))
        stbl = _box(b"stbl", stsc + listed + constant + stco)
        return _box(b"moov", _box(b"trak", _box(b"mdia", _box(b"minf", stbl))))

    data = moov(len(moov(0)) + 8) + _box(b"mdat", bytes(50))  # the chunk: all of mdat's body
    assert index_problem(io.BytesIO(data), len(data)) is None


def test_the_near_end_shortcut_agrees_on_odd_tables_too() -> None:
    """The same agreement on the shapes a crafted file can have: no chunks, no runs, runs
    from chunk 0, runs starting beyond the last chunk, zero samples per chunk, counts and
    offsets near their type's limits."""
    import random
    from array import array

    from coursecheck.mp4index import _chunks_past_end, _Track, _walk_past_end

    rng = random.Random(11)
    for _ in range(4000):
        chunks = rng.randint(0, 12)
        firsts = sorted(rng.sample(range(rng.choice([0, 1]), chunks + 6),
                                   min(rng.randint(0, 5), chunks + 5)))
        pers = [rng.choice([0, 1, rng.randint(0, 5), 2**32 - 1]) for _ in firsts]
        count = rng.randint(0, 60)
        constant = rng.choice([0, 0, rng.randint(1, 50)])
        sizes = None if constant else array(
            "I", (2**32 - 1 if rng.random() < 0.01 else rng.choice([0, rng.randint(0, 50)])
                  for _ in range(count)))
        offsets = [2**64 - 1 if rng.random() < 0.03 else rng.randint(0, 3300)
                   for _ in range(chunks)]
        if rng.random() < 0.6:
            offsets.sort()
        track = _Track(array("Q", offsets), array("I", firsts), array("I", pers), sizes,
                       constant, count)
        size = rng.randint(0, 3200)
        walked = bool(offsets) and (max(offsets) >= size or _walk_past_end(track, size))
        assert _chunks_past_end(track, size) == walked, (track, size)

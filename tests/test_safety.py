"""coursecheck reads the course folder and nothing else, and never changes a byte of it."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from coursecheck.sniff import refusal
from tests.helpers import (
    GOOD,
    Course,
    Media,
    check_json,
    link_or_copy,
    needs_mkfifo,
    run_process,
    snapshot,
)


def test_every_file_is_byte_identical_after_a_check(course: Course) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    course.set_lesson(4, GOOD.but(faststart=False))
    root = course.build()
    before = snapshot(root)
    run = check_json(root)
    assert run.exit_code == 1
    assert snapshot(root) == before


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


@needs_mkfifo
def test_playlist_disguised_as_a_lesson_is_v001_and_its_targets_never_opened(
        course: Course, media: Media) -> None:
    root = course.build()
    fifo = root.parent / "outside.fifo"
    os.mkfifo(fifo)
    outside = root.parent / "outside-1080p.mp4"
    link_or_copy(media.clip(GOOD.but(width=1920, height=1080)), outside)
    (root / "lessons/03.mp4").unlink()
    (root / "lessons/03.mp4").write_text(
        f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n{fifo}\n#EXTINF:10,\n{outside}\n"
        "#EXT-X-ENDLIST\n", encoding="utf-8")
    proc = run_process("check", root, "--format", "json", "--no-cache", timeout=60)
    report = json.loads(proc.stdout)  # opening the FIFO would have hung until the timeout
    findings = report["courses"][0]["findings"]
    assert [(f["rule"], f["file"]) for f in findings] == [("V001", "lessons/03.mp4")]
    assert proc.returncode == 1


def test_mp4_whose_media_lives_in_another_file_is_v001_external(course: Course) -> None:
    root = course.build()
    data = (root / "lessons/04.mp4").read_bytes()
    self_contained = b"url \x00\x00\x00\x01"
    assert data.count(self_contained) >= 1
    (root / "lessons/04.mp4").unlink()
    (root / "lessons/04.mp4").write_bytes(data.replace(self_contained, b"url \x00\x00\x00\x00"))
    run = check_json(root)
    assert run.where("V001") == [("lessons/04.mp4", None)]
    assert "other files" in run.findings("V001")[0]["message"]
    assert run.exit_code == 1


def test_self_contained_mp4_and_mov_pass_the_gate(media: Media) -> None:
    for spec in (GOOD, GOOD.but(container="mov"), GOOD.but(faststart=False)):
        path = media.clip(spec)
        with path.open("rb") as handle:
            assert refusal(handle, path.stat().st_size) is None


@given(st.binary(max_size=600))
@settings(max_examples=300, deadline=None)
def test_the_gate_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    assert refusal(io.BytesIO(data), len(data)) in (None, "unknown", "external")


def test_course_in_a_folder_whose_name_is_not_utf8_is_checked(tmp_path: Path,
                                                               media: Media) -> None:
    root = Path(os.fsdecode(bytes(tmp_path) + b"/c\xff"))
    Course.good(root, media).build()
    run = check_json(root)
    assert run.findings() == []  # every lesson probed (by handle), none V001
    assert run.exit_code == 0

"""Cover facts are kept in the cache, so a re-run of an audit decodes no cover (issue 13)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from tests.helpers import Course, Media, run_cli


def audit(root: Path, cache: Path, *extra: str) -> tuple[int, list[tuple[str, str]]]:
    """An audit with the cover cache in play: the course cache (which would answer an
    unchanged course whole, cover and all) is emptied first."""
    shutil.rmtree(cache / "course", ignore_errors=True)
    run = run_cli("audit", root, "--format", "json", "--cache-dir", cache, *extra)
    report = json.loads(run.stdout)
    found = [(f["rule"], f["file"]) for c in report["courses"] for f in c["findings"]]
    return run.exit_code, found


def own_course(tmp_path: Path, media: Media) -> Path:
    course = Course.good(tmp_path / "tree" / "course", media)
    root = course.build()
    cover = root / str(course.manifest["cover"])
    shutil.copyfile(media.cover(), cover.with_suffix(".tmp"))  # its own inode, to change
    os.replace(cover.with_suffix(".tmp"), cover)
    return root


def first_run(tmp_path: Path, media: Media) -> tuple[Path, Path, Path, dict[str, Any]]:
    """A course audited once: its folder, the cache, the cover's entry and what it holds."""
    root = own_course(tmp_path, media)
    cache = tmp_path / "cache"
    assert audit(root.parent, cache) == (0, [])
    (entry,) = (cache / "cover").glob("*.json")
    return root, cache, entry, json.loads(entry.read_text(encoding="utf-8"))


def test_a_rerun_takes_the_cover_from_the_cache_until_the_cover_changes(
        tmp_path: Path, media: Media) -> None:
    root, cache, entry, kept = first_run(tmp_path, media)
    assert kept["value"] == {"format": "JPEG", "width": 1280, "height": 720, "error": None}
    # the same key with other facts: only a run that reads the entry instead of the image
    # sees a 400×400 cover
    kept["value"].update(width=400, height=400)
    entry.write_text(json.dumps(kept), encoding="utf-8")
    code, found = audit(root.parent, cache)
    assert (code, found) == (0, [("C108", "cover.jpg")])
    cover = root / "cover.jpg"
    os.utime(cover, ns=(cover.stat().st_atime_ns, cover.stat().st_mtime_ns + 10**9))
    assert audit(root.parent, cache) == (0, [])  # a changed file is decoded again


def test_a_damaged_entry_is_read_again_and_no_cache_writes_none(
        tmp_path: Path, media: Media) -> None:
    root, cache, entry, kept = first_run(tmp_path, media)
    for damage in ({"format": "JPEG", "width": -1, "height": 720, "error": None},
                   {"format": None, "width": None, "height": None, "error": "nonsense"},
                   [1, 2]):
        entry.write_text(json.dumps({**kept, "value": damage}), encoding="utf-8")
        assert audit(root.parent, cache) == (0, [])
    entry.write_text("{not json", encoding="utf-8")
    assert audit(root.parent, cache) == (0, [])
    other = tmp_path / "other-cache"
    assert audit(root.parent, other, "--no-cache") == (0, [])
    assert not other.exists()


def test_a_truncated_cover_is_kept_as_such(tmp_path: Path, media: Media) -> None:
    root = own_course(tmp_path, media)
    cover = root / "cover.jpg"
    cover.write_bytes(cover.read_bytes()[: cover.stat().st_size // 2])
    cache = tmp_path / "cache"
    first = audit(root.parent, cache)
    assert first[0] == 1 and ("C107", "cover.jpg") in first[1]
    (entry,) = (cache / "cover").glob("*.json")
    error = json.loads(entry.read_text(encoding="utf-8"))["value"]["error"]
    assert error.startswith("unreadable: image file is truncated")
    assert audit(root.parent, cache) == first


def test_check_reads_the_cover_through_the_cache_too(tmp_path: Path, media: Media) -> None:
    root, cache, entry, kept = first_run(tmp_path, media)  # audit and check share the entry
    args = ("check", root, "--format", "json", "--cache-dir", cache)
    kept["value"].update(width=400, height=400)
    entry.write_text(json.dumps(kept), encoding="utf-8")
    again = run_cli(*args)
    assert again.exit_code == 0 and again.where("C108") == [("cover.jpg", None)]
    assert run_cli(*args, "--no-cache").where("C108") == []


def test_a_damaged_entry_ends_the_run_with_one_note(tmp_path: Path, media: Media) -> None:
    root, cache, entry, _ = first_run(tmp_path, media)
    entry.write_text("{not json", encoding="utf-8")
    shutil.rmtree(cache / "course")  # so the cover is read through its own cache
    run = run_cli("audit", root.parent, "--format", "json", "--cache-dir", cache)
    assert run.exit_code == 0
    notes = [line for line in run.stderr.splitlines() if "cover cache" in line]
    assert notes == [f"coursecheck: note: cover cache {cache / 'cover'}: 1 damaged entry "
                     "ignored and made again"]

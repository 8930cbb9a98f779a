"""The course cache (issue 13): an unchanged course is answered whole, anything changed is not.

"Answered whole" is seen by making the rules and the manifest reader fail loudly during the warm
run: a course the cache answers never reaches them. Every warm report is compared with a cold
(``--no-cache``) audit of the same tree.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pydantic
import pytest

import coursecheck.audit.run
import coursecheck.audit.snapshot
import coursecheck.audit.snapshotkey
import coursecheck.gather
from coursecheck.audit.snapshot import CourseKey, Snapshots
from coursecheck.cachestore import CacheKey, Store
from coursecheck.fileid import FileId
from coursecheck.settings import Settings
from tests.helpers import GOOD, Course, Media, Run, run_cli

BAD = GOOD.but(width=1920, height=1080)  # V104 on the lesson that has it


def audit(root: Path, cache: Path | None, *extra: str) -> Run:
    where = ("--cache-dir", str(cache)) if cache else ("--no-cache",)
    return run_cli("audit", root, "--format", "json", "--lang", "en", *where, *extra)


def found(run: Run) -> list[tuple[str, str, str]]:
    """(course folder, rule, file) of every course finding."""
    report = json.loads(run.stdout)
    return [(Path(c["path"]).name, f["rule"], f["file"])
            for c in report["courses"] for f in c["findings"]]


def courses(run: Run) -> list[dict[str, Any]]:
    return list(json.loads(run.stdout)["courses"])


class Evaluated:
    """Counts the courses the rules run on (``evaluate`` calls), by course folder name."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        real = coursecheck.audit.run.evaluate

        def counting(facts: Any, settings: Settings, display: str) -> Any:
            self.names.append(Path(display).name)
            return real(facts, settings, display)

        monkeypatch.setattr(coursecheck.audit.run, "evaluate", counting)


@pytest.fixture
def tree(tmp_path: Path, media: Media) -> Path:
    """A province folder: course ``a`` passes, course ``b`` has a 1920×1080 lesson 3."""
    Course.good(tmp_path / "tree" / "a", media).build()
    b = Course.good(tmp_path / "tree" / "b", media)
    b.set_lesson(3, BAD)
    b.build()
    return tmp_path / "tree"


@pytest.fixture
def warm(tree: Path, tmp_path: Path) -> Path:
    """The cache after one cold audit of ``tree``."""
    cache = tmp_path / "cache"
    run = audit(tree, cache)
    assert (run.exit_code, found(run)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert len(list((cache / "course").glob("*.json"))) == 2
    return cache


def test_an_unchanged_course_is_answered_without_reading_its_manifest_or_running_a_rule(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cold = audit(tree, None)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the course cache should have answered")

    monkeypatch.setattr(coursecheck.audit.run, "evaluate", fail)
    monkeypatch.setattr(coursecheck.gather, "read_manifest", fail)
    hot = audit(tree, warm)
    assert (hot.exit_code, found(hot)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert courses(hot) == courses(cold)


def test_a_fixed_lesson_is_checked_again_and_the_other_course_is_not(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch, media: Media) -> None:
    lesson = tree / "b" / "lessons" / "03.mp4"
    lesson.unlink()
    shutil.copyfile(media.clip(GOOD), lesson)
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, warm)
    assert (run.exit_code, found(run), evaluated.names) == (0, [], ["b"])
    evaluated.names.clear()
    assert (audit(tree, warm).exit_code, evaluated.names) == (0, [])  # kept again


def _edit_manifest(tree: Path) -> None:
    manifest = tree / "b" / "course.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("lessons/03.mp4", "lessons/04.mp4", 1), encoding="utf-8")


def _add_a_file(tree: Path) -> None:
    (tree / "b" / "notes.txt").write_text("a new file in the folder", encoding="utf-8")


def _retarget(tree: Path) -> None:
    os.utime(tree / "b" / "lessons" / "03.mp4", ns=(0, 10**18))  # same bytes, a new mtime


@pytest.mark.parametrize(("change", "extra", "expected"), [
    # the manifest's bytes: lesson 3 now names lesson 4's file (a D-rule duplicate, no V104)
    (_edit_manifest, (), None),
    (_add_a_file, (), [("b", "V104", "lessons/03.mp4")]),  # the listing
    (_retarget, (), [("b", "V104", "lessons/03.mp4")]),  # a lesson's identity
    (None, ("--ignore", "V104"), []),  # the settings
], ids=["manifest", "listing", "file", "settings"])
def test_each_part_of_the_key_makes_a_miss_of_that_course(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch,
        change: Callable[[Path], None] | None, extra: tuple[str, ...],
        expected: list[tuple[str, str, str]] | None) -> None:
    if change is not None:
        change(tree)
    cold = audit(tree, None, *extra)
    evaluated = Evaluated(monkeypatch)
    hot = audit(tree, warm, *extra)
    assert courses(hot) == courses(cold)
    assert sorted(evaluated.names) == (["a", "b"] if extra else ["b"])
    if expected is not None:
        assert found(hot) == expected
    else:
        assert ("b", "V104", "lessons/03.mp4") not in found(hot)


def test_runs_that_alternate_their_language_each_find_their_own_entries(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zh = audit(tree, warm, "--lang", "zh")  # after the English warm-up: kept beside it
    assert (zh.exit_code, found(zh)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert len(list((warm / "course").glob("*.json"))) == 4
    evaluated = Evaluated(monkeypatch)
    for lang in ("en", "zh"):
        run = audit(tree, warm, "--lang", lang)
        assert (run.exit_code, found(run)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert evaluated.names == []  # both answered from the cache
    assert courses(run) == courses(zh)


def test_a_new_build_of_coursecheck_checks_every_course_again(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coursecheck.audit.snapshot, "build_id", lambda: "an edited rule")
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, warm)
    assert (run.exit_code, found(run)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert sorted(evaluated.names) == ["a", "b"]


@pytest.mark.parametrize(("module", "name"), [(pydantic, "VERSION"), (sys, "version")])
def test_the_build_holds_pydantics_and_pythons_versions(
        monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """pydantic's error texts become C002 findings, and Python's Unicode tables count the
    intro's characters: a kept result is theirs as much as the rules'."""
    before = coursecheck.audit.snapshot.build_id.__wrapped__()
    monkeypatch.setattr(module, name, "9.9")
    assert coursecheck.audit.snapshot.build_id.__wrapped__() != before


@pytest.mark.parametrize("name", ["\udcff", "\ud800"], ids=["posix-byte", "windows-utf16"])
def test_a_folder_name_holding_a_lone_surrogate_has_a_slot(name: str) -> None:
    """POSIX gives a name that is not UTF-8 with surrogate escapes (U+DC80..U+DCFF); Windows
    keeps an unpaired UTF-16 surrogate of a name as it is (U+D800..U+DFFF), which the
    surrogateescape handler cannot encode. Such a folder cannot be made on Linux, so the keys
    are built directly."""
    root = f"C:\\课程\\{name}"
    course = CourseKey(root, (("settings", "x"),))
    probe = CacheKey(FileId(root + "\\01.mp4", 1, 0, 0, 0, 0, "0"))
    assert course.slot() != CourseKey("C:\\课程\\?", ()).slot()
    assert probe.slot().endswith(".json")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_dangling_link_among_coursecheck_files_is_marked_not_raised(tmp_path: Path) -> None:
    """Emacs keeps a lock on a file being edited as a dangling symlink (``.#base.py``); in an
    editable install it sits among the rules, and following it ended every course in X001."""
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "base.py").write_text("ID = 'A001'\n", encoding="utf-8")
    (tmp_path / "rules" / ".#base.py").symlink_to("user@host.1234:1700000000")
    marks = coursecheck.audit.snapshotkey.file_marks(tmp_path)
    assert [mark.split(":")[0] for mark in marks] == ["rules/.#base.py", "rules/base.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_lesson_symlink_pointed_elsewhere_is_a_miss(
        tree: Path, tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    """A symlink is not in the folder's listing, so its target is resolved again on a hit."""
    store = tree / "a" / ".store"  # a hidden folder: neither listed nor an unlisted video
    store.mkdir()
    shutil.copyfile(media.clip(GOOD), store / "good.mp4")
    shutil.copyfile(media.clip(BAD), store / "wide.mp4")
    lesson = tree / "a" / "lessons" / "05.mp4"
    lesson.unlink()
    lesson.symlink_to("../.store/good.mp4")
    cache = tmp_path / "cache"
    assert found(audit(tree, cache)) == [("b", "V104", "lessons/03.mp4")]
    lesson.unlink()
    lesson.symlink_to("../.store/wide.mp4")
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, cache)
    assert (run.exit_code, evaluated.names) == (1, ["a"])
    assert ("a", "V104", "lessons/05.mp4") in found(run)


@pytest.mark.parametrize("damage", [
    b"{not json",
    json.dumps({"key": "x", "value": 1}).encode(),
    None,  # the right key with a value of the wrong shape (filled in below)
], ids=["garbage", "wrong-key", "wrong-value"])
def test_a_damaged_entry_is_a_miss_and_a_note(
        tree: Path, warm: Path, damage: bytes | None, monkeypatch: pytest.MonkeyPatch) -> None:
    for entry in (warm / "course").glob("*.json"):
        if damage is None:
            kept = json.loads(entry.read_text(encoding="utf-8"))
            kept["value"]["result"]["findings"] = [["V104", "fatal", 1]]
            entry.write_text(json.dumps(kept), encoding="utf-8")
        else:
            entry.write_bytes(damage)
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, warm)
    assert (run.exit_code, found(run)) == (1, [("b", "V104", "lessons/03.mp4")])
    assert sorted(evaluated.names) == ["a", "b"]
    # an entry for another state of the course is no damage; garbage is
    damaged = damage != json.dumps({"key": "x", "value": 1}).encode()
    assert ("course cache" in run.stderr and "2 damaged entries" in run.stderr) == damaged


def test_an_entry_with_numbers_out_of_range_is_damage_and_never_ends_the_run(
        tree: Path, warm: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each duration is a finite number, but ten of them add up to infinity, which the text
    report cannot show: such an entry is damage, like the probe cache's out-of-range facts."""
    for entry in (warm / "course").glob("*.json"):
        kept = json.loads(entry.read_text(encoding="utf-8"))
        for lesson in kept["value"]["result"]["lessons"]:
            lesson[2] = 1e308
        entry.write_text(json.dumps(kept), encoding="utf-8")
    evaluated = Evaluated(monkeypatch)
    run = run_cli("audit", tree, "--lang", "en", "--cache-dir", str(warm))
    assert (run.exit_code, sorted(evaluated.names)) == (1, ["a", "b"])
    assert "V104" in run.stdout and "2 damaged entries" in run.stderr


@pytest.mark.parametrize("status", ["ok", "not_file"])
def test_a_planted_path_outside_the_course_is_never_identified(
        tree: Path, warm: Path, tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch,
        status: str) -> None:
    """A stored ``real`` is opened only once it equals the path resolved again in the folder."""
    outside = tmp_path / "outside.mp4"
    shutil.copyfile(media.clip(GOOD), outside)
    identity = coursecheck.audit.snapshot.identify(outside)
    assert identity is not None
    for entry in (warm / "course").glob("*.json"):
        kept = json.loads(entry.read_text(encoding="utf-8"))
        kept["value"]["lessons"][0][1:] = [status, str(outside), "", None, identity.as_key()]
        entry.write_text(json.dumps(kept), encoding="utf-8")
    opened: list[Path] = []
    real = coursecheck.audit.snapshot.identify
    monkeypatch.setattr(coursecheck.audit.snapshot, "identify",
                        lambda path: opened.append(path) or real(path))
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, warm)
    assert (run.exit_code, found(run), sorted(evaluated.names)) == (
        1, [("b", "V104", "lessons/03.mp4")], ["a", "b"])
    assert outside not in opened and opened  # the lessons of a and b were identified


def test_an_entry_that_drops_a_lessons_identity_is_damage_not_an_unchecked_hit(
        tree: Path, warm: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every path that resolved to a file is kept with that file's identity; an entry without
    it would answer for whatever file is there now."""
    for entry in (warm / "course").glob("*.json"):
        kept = json.loads(entry.read_text(encoding="utf-8"))
        kept["value"]["lessons"][2][5] = None
        entry.write_text(json.dumps(kept), encoding="utf-8")
    lesson = tree / "b" / "lessons" / "03.mp4"
    lesson.unlink()
    shutil.copyfile(media.clip(GOOD), lesson)
    evaluated = Evaluated(monkeypatch)
    run = audit(tree, warm)
    assert (run.exit_code, found(run), sorted(evaluated.names)) == (0, [], ["a", "b"])
    assert "2 damaged entries" in run.stderr


def test_a_course_is_not_kept_when_a_rule_crashed_or_a_file_changed_meanwhile(
        tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(coursecheck.audit.snapshot, "unchanged", lambda before: False)
    assert audit(tree, cache).exit_code == 1
    assert not list((cache / "course").glob("*.json"))
    monkeypatch.undo()

    def crash(*args: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(coursecheck.audit.run, "evaluate", crash)
    run = audit(tree, cache)
    assert {(name, rule_id) for name, rule_id, _ in found(run)} == {("a", "X001"), ("b", "X001")}
    assert not list((cache / "course").glob("*.json"))


def test_a_cover_that_is_also_a_lesson_and_changes_after_its_read_is_not_kept(
        tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cover is read (and identified) while the course is planned, the lessons are
    identified after: a swap in between must not be kept with the later identity."""
    course = Course.good(tmp_path / "tree" / "a", media)
    course.set_lesson(10, media.cover(), name="cover.jpg")
    course.build()
    cover = course.root / "cover.jpg"
    real = coursecheck.audit.run.identify_lessons

    def swap_then_identify(draft: Any, plan: Any) -> Any:
        cover.unlink()
        shutil.copyfile(media.cover(200, 100), cover)
        return real(draft, plan)

    monkeypatch.setattr(coursecheck.audit.run, "identify_lessons", swap_then_identify)
    cache = tmp_path / "cache"
    audit(course.root.parent, cache)
    monkeypatch.undo()
    cold = audit(course.root.parent, None)
    assert ("a", "C108", "cover.jpg") in found(cold)  # the 200×100 cover is too small
    assert courses(audit(course.root.parent, cache)) == courses(cold)


def test_deep_and_a_cache_that_is_off_never_look(tree: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "course", "course cache")
    manifest = tree / "a" / "course.yaml"
    look = Snapshots(store).look(tree / "a", "a", Settings(deep="quick"), manifest)
    assert (look.kept, look.draft) == (None, None)
    look = Snapshots(None).look(tree / "a", "a", Settings(), manifest)
    assert (look.kept, look.draft) == (None, None)
    look = Snapshots(store).look(tree / "a", "a", Settings(), manifest)
    assert look.kept is None and look.draft is not None  # an empty cache: a miss to keep

"""A warm ``coursecheck audit`` reports exactly what a cold (``--no-cache``) audit reports.

Black-box tests of every cache the audit keeps, whatever its shape: a province tree of three
courses is audited twice with ``--cache-dir`` (cold, then warm, so every cache is filled); then
ONE real change is made on disk, and a cached audit and a ``--no-cache`` audit of the changed
tree must give the same JSON report and exit code. Each test also asserts that the change shows
where it should (a rule ID, a field), so two stale reports cannot pass by being equal.

The tree: ``浙江省/a`` (the course that changes; its lesson 01 and cover are files of its own,
not hard links to the session clips, so they may be edited in place), ``浙江省/b`` (unchanged:
a cache hit next to the miss) and ``江苏省/c`` (unchanged, one A004 warning for the tests of
settings and options). A ``.git`` folder at the top ends the configuration search there.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.helpers import GOOD, Course, Media, Run, run_cli

SMALL = GOOD.but(width=320, height=180)  # V104; a smaller file than GOOD


def normalised(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the fields that describe how a run went, not what it found.

    Only ``audit.engine`` (``{"kind": "local", "jobs": N}``): which machinery did the work.
    Notes about the cache go to stderr, not into the report, and the report holds no timings.
    """
    report = copy.deepcopy(report)
    report["audit"].pop("engine")
    return report


def own_copy(path: Path) -> None:
    """Replace a hard link to a shared session file with a file of its own."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)


@dataclass
class Tree:
    """The province tree, its cache folder and the warm report before any change."""

    root: Path
    cache: Path
    before: Run

    @property
    def a(self) -> Path:
        return self.root / "浙江省" / "a"

    def audit(self, *args: str | Path) -> Run:
        return run_cli("audit", self.root, "--format", "json", "--jobs", "1", *args)

    def cached(self, *args: str | Path) -> Run:
        return self.audit("--cache-dir", self.cache, *args)

    def settle(self, *args: str | Path) -> Run:
        """Audit cold then warm with the cache, so every cache holds this state."""
        self.cached(*args)
        self.before = self.cached(*args)
        return self.before

    def warm_equals_cold(self, *args: str | Path) -> Run:
        """The cached audit of the tree as it is now, after checking it against ``--no-cache``
        (and checking that a second cached run, answered from what the first stored, agrees)."""
        warm = self.cached(*args)
        cold = self.audit("--no-cache", *args)
        assert normalised(warm.report) == normalised(cold.report)
        assert warm.exit_code == cold.exit_code
        again = self.cached(*args)
        assert normalised(again.report) == normalised(cold.report)
        assert again.exit_code == cold.exit_code
        return warm


def course_report(run: Run, name: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in run.report["courses"]
                                   if c["path"].endswith("/" + name)]
    assert len(found) == 1, name
    return found[0]


def findings(run: Run, name: str = "a") -> list[tuple[str, str, int | None]]:
    """``(rule, file, line)`` of each finding of course ``name``."""
    return [(f["rule"], f["file"], f["line"]) for f in course_report(run, name)["findings"]]


def rules(run: Run, name: str = "a") -> set[str]:
    return {rule for rule, _, _ in findings(run, name)}


@pytest.fixture
def tree(tmp_path: Path, media: Media) -> Tree:
    root = tmp_path / "tree"
    (root / ".git").mkdir(parents=True)
    for folder, name in (("浙江省/a", "课程甲"), ("浙江省/b", "课程乙"), ("江苏省/c", "课程丙")):
        course = Course.good(root / folder, media)
        course.manifest["name"] = name
        if folder.endswith("c"):
            course.manifest["province"] = "江苏省"
            course.manifest["contact"]["phone"] = "1380013800"  # A004, a warning
        course.build()
    own_copy(root / "浙江省/a/lessons/01.mp4")
    own_copy(root / "浙江省/a/cover.jpg")
    made = Tree(root, tmp_path / "cache", Run(0, "", ""))
    before = made.settle()
    assert before.exit_code == 0, before.stderr
    assert findings(before, "a") == findings(before, "b") == []
    assert findings(before, "c") == [("A004", "course.yaml", 13)]
    return made


def keep_mtime(path: Path, change: Callable[[], object]) -> None:
    """Run ``change`` on ``path`` and set its mtime (and atime) back as they were."""
    before = path.stat()
    change()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def overwrite_in_place(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path``'s bytes (as long as they are) with its mtime set back: the
    same path, inode, size and mtime, so only the content and the ctime tell the change."""
    before = path.stat()

    def overwrite() -> None:
        with path.open("r+b") as handle:
            handle.write(data)

    keep_mtime(path, overwrite)
    now = path.stat()
    assert (now.st_size, now.st_mtime_ns, now.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino)


def edit_manifest(folder: Path, old: str, new: str, same_mtime: bool = False) -> None:
    manifest = folder / "course.yaml"
    text = manifest.read_text("utf-8")
    assert text.count(old) == 1, old

    def write() -> None:
        manifest.write_text(text.replace(old, new), "utf-8")

    if same_mtime:
        keep_mtime(manifest, write)
    else:
        write()


# 1. The manifest


def test_lesson_title_edited_to_the_same_size_with_the_mtime_restored(tree: Tree) -> None:
    size = (tree.a / "course.yaml").stat().st_size
    edit_manifest(tree.a, "title: 第1课\n", "title: 第9课\n", same_mtime=True)
    assert (tree.a / "course.yaml").stat().st_size == size
    after = tree.warm_equals_cold()
    assert course_report(tree.before, "a")["lessons"][0]["title"] == "第1课"
    assert course_report(after, "a")["lessons"][0]["title"] == "第9课"
    assert course_report(after, "b") == course_report(tree.before, "b")


def test_lesson_title_edited_to_another_size(tree: Tree) -> None:
    edit_manifest(tree.a, "title: 第1课\n", "title: 第一课：认识手机\n")
    after = tree.warm_equals_cold()
    assert course_report(after, "a")["lessons"][0]["title"] == "第一课：认识手机"


@pytest.mark.parametrize(("created", "expected"), [
    ("created: 2023-05-01", set()),           # a YAML date, still after 2022-06-01
    ("created: '2023-05-01'", set()),         # the same as text
    ("created: 2021-05-01", {"C103"}),        # a date before 2022-06-01
    ("created: '2021-05-01'", {"C103"}),
])
def test_created_date_quoted_or_not(tree: Tree, created: str, expected: set[str]) -> None:
    edit_manifest(tree.a, "created: '2023-03-15'", created)
    after = tree.warm_equals_cold()
    assert rules(after) == expected
    if expected:
        assert findings(after) == [("C103", "course.yaml", 4)]
        assert after.exit_code == 1
    else:
        assert normalised(after.report) == normalised(tree.before.report)


@pytest.mark.parametrize(("old", "new", "line"), [
    ("theme: ", "theme: [unclosed ", 3),  # a YAML syntax error, seen on the next line
    ("theme: ", "theme：", 2),            # a full-width colon typed with a Chinese input method
], ids=["syntax-error", "full-width-colon"])
def test_manifest_that_no_longer_parses(tree: Tree, old: str, new: str, line: int) -> None:
    edit_manifest(tree.a, old, new)
    after = tree.warm_equals_cold()
    assert findings(after) == [("C002", "course.yaml", line)]
    assert after.exit_code == 1
    assert findings(after, "b") == []


def test_course_renamed_to_an_unchanged_courses_name(tree: Tree) -> None:
    """A002 compares courses: the unchanged course b is part of the new finding."""
    edit_manifest(tree.a, "name: 课程甲", "name: 课程乙")
    after = tree.warm_equals_cold()
    [zhejiang] = [p for p in after.report["audit"]["provinces"] if p["province"] == "浙江省"]
    assert [(f["rule"], Path(f["file"]).parent.name) for f in zhejiang["findings"]] == [
        ("A002", "b")]
    assert course_report(after, "a")["name"] == "课程乙"


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_manifest_saved_in_another_encoding(tree: Tree, encoding: str) -> None:
    manifest = tree.a / "course.yaml"
    manifest.write_bytes(manifest.read_text("utf-8").encode(encoding))
    after = tree.warm_equals_cold()
    assert findings(after) == [("C004", "course.yaml", None)]
    assert course_report(after, "a")["lessons"] == course_report(tree.before, "a")["lessons"]


# 2. A lesson's media


def test_lesson_replaced_by_a_clip_of_another_resolution(tree: Tree, media: Media) -> None:
    lesson = tree.a / "lessons/01.mp4"
    lesson.unlink()
    shutil.copyfile(media.clip(SMALL), lesson)
    after = tree.warm_equals_cold()
    assert findings(after) == [("V104", "lessons/01.mp4", None)]
    assert course_report(after, "a")["lessons"][0]["width"] == 320
    assert after.exit_code == 1


def test_lesson_overwritten_in_place_with_the_same_size_and_mtime(
        tree: Tree, media: Media) -> None:
    """Same path, inode, size and mtime; only the content (and the ctime) differ."""
    lesson = tree.a / "lessons/01.mp4"
    before = lesson.stat()
    data = media.clip(SMALL).read_bytes()
    pad = before.st_size - len(data)
    assert pad >= 8, "the replacement must be smaller, to be padded with a free box"
    data += struct.pack(">I4s", pad, b"free") + bytes(pad - 8)
    overwrite_in_place(lesson, data)
    after = tree.warm_equals_cold()
    assert findings(after) == [("V104", "lessons/01.mp4", None)]
    assert course_report(after, "a")["lessons"][0]["width"] == 320


# 3. The folder listing


def _delete(a: Path) -> None:
    (a / "lessons/01.mp4").unlink()


def _rename_case(a: Path) -> None:
    if (a / "lessons/01.MP4").exists():
        pytest.skip("the file system ignores upper/lower case")
    (a / "lessons/01.mp4").rename(a / "lessons/01.MP4")


def _extra(a: Path) -> None:
    shutil.copyfile(a / "lessons/02.mp4", a / "lessons/extra.mp4")


def _hidden(a: Path) -> None:
    (a / ".hidden").mkdir()
    shutil.copyfile(a / "lessons/02.mp4", a / ".hidden/extra.mp4")


@pytest.mark.parametrize(("change", "expected"), [
    (_delete, [("C201", "course.yaml", 20)]),
    (_rename_case, [("C205", "course.yaml", 20)]),
    (_extra, [("C204", "lessons/extra.mp4", None)]),
    (_hidden, []),  # hidden folders are not looked into
], ids=["delete", "rename-case", "extra-mp4", "hidden-folder"])
def test_folder_listing_changes(tree: Tree, change: Callable[[Path], None],
                                expected: list[tuple[str, str, int | None]]) -> None:
    change(tree.a)
    after = tree.warm_equals_cold()
    assert findings(after) == expected
    if not expected:
        assert normalised(after.report) == normalised(tree.before.report)


def test_manifest_renamed_to_course_yml(tree: Tree) -> None:
    """The same bytes under the other accepted name: the listing changes, the result not."""
    (tree.a / "course.yaml").rename(tree.a / "course.yml")
    after = tree.warm_equals_cold()
    assert findings(after) == []
    assert course_report(after, "a")["lessons"] == course_report(tree.before, "a")["lessons"]


# 4. Symbolic links


def _symlinks_work(folder: Path) -> bool:
    try:
        (folder / "probe-link").symlink_to("nowhere")
    except (OSError, NotImplementedError):
        return False
    (folder / "probe-link").unlink()
    return True


@pytest.mark.parametrize(("target", "expected"), [
    ("inside", [("C203", "course.yaml", 22)]),   # lesson 2's file, now also lesson 1's
    ("outside", [("C202", "course.yaml", 20)]),
])
def test_lesson_replaced_by_a_symlink(tree: Tree, tmp_path: Path, target: str,
                                      expected: list[tuple[str, str, int | None]]) -> None:
    if not _symlinks_work(tmp_path):
        pytest.skip("this platform or file system cannot make symbolic links")
    lesson = tree.a / "lessons/01.mp4"
    outside = tmp_path / "outside.mp4"
    shutil.copyfile(lesson, outside)
    lesson.unlink()
    lesson.symlink_to("02.mp4" if target == "inside" else outside)
    after = tree.warm_equals_cold()
    assert findings(after) == expected
    assert after.exit_code == 1


# 5. The cover


def _small_cover(a: Path, media: Media) -> None:
    (a / "cover.jpg").unlink()
    shutil.copyfile(media.cover(320, 180), a / "cover.jpg")


def _not_an_image(a: Path, media: Media) -> None:
    (a / "cover.jpg").write_bytes(b"not an image at all")


def _small_cover_same_size_and_mtime(a: Path, media: Media) -> None:
    """Same path, inode, size and mtime; a smaller picture, padded after its end marker."""
    cover = a / "cover.jpg"
    before = cover.stat()
    data = media.cover(320, 180).read_bytes()
    assert len(data) < before.st_size
    data += bytes(before.st_size - len(data))
    overwrite_in_place(cover, data)


def _no_cover(a: Path, media: Media) -> None:
    (a / "cover.jpg").unlink()


@pytest.mark.parametrize(("change", "expected"), [
    (_small_cover, [("C108", "cover.jpg", None)]),
    (_small_cover_same_size_and_mtime, [("C108", "cover.jpg", None)]),
    (_not_an_image, [("C107", "cover.jpg", None)]),
    (_no_cover, [("C107", "course.yaml", 8)]),
], ids=["smaller-image", "smaller-image-same-size-and-mtime", "not-an-image", "deleted"])
def test_cover_changes(tree: Tree, media: Media, change: Callable[[Path, Media], None],
                       expected: list[tuple[str, str, int | None]]) -> None:
    change(tree.a, media)
    after = tree.warm_equals_cold()
    assert findings(after) == expected


# 6. Settings and options


@pytest.mark.parametrize(("where", "first", "then", "course", "expected"), [
    ("浙江省", None, "max_minutes: 0.01\n", "a", ("V107", "error")),
    ("浙江省", "max_minutes: 15\n", "max_minutes: 0.01\n", "a", ("V107", "error")),
    (".", None, "rules: {A004: error}\n", "c", ("A004", "error")),
    (".", "rules: {A004: off}\n", "rules: {A004: error}\n", "c", ("A004", "error")),
    (".", None, "rules: {A004: off}\n", "c", None),
    ("浙江省/a", None, "max_minutes: 0.01\n", "a", ("C006", "warning")),  # ignored, but noted
], ids=["add-province", "change-province", "add-top", "change-top-same-size", "rule-off",
        "inside-course"])
def test_configuration_file_added_or_changed(
        tree: Tree, where: str, first: str | None, then: str, course: str,
        expected: tuple[str, str] | None) -> None:
    config = tree.root / where / ".coursecheck.yaml"
    if first is not None:
        config.write_text(first, "utf-8")
        tree.settle()
    if first is not None and len(first) == len(then):
        keep_mtime(config, lambda: config.write_text(then, "utf-8"))
    else:
        config.write_text(then, "utf-8")
    after = tree.warm_equals_cold()
    got = {(f["rule"], f["severity"]) for f in course_report(after, course)["findings"]}
    was = {(f["rule"], f["severity"]) for f in course_report(tree.before, course)["findings"]}
    assert got != was
    assert got == ({expected} if expected else set())
    if expected == ("A004", "error"):
        assert after.exit_code == 1


def test_explicit_config_file_edited_between_runs(tree: Tree, tmp_path: Path) -> None:
    """The same ``--config`` path on every run; only the file's content changes (not its size
    or mtime)."""
    config = tmp_path / "settings.yaml"
    config.write_text("max_minutes: 15.0\n", "utf-8")
    tree.settle("--config", config)
    keep_mtime(config, lambda: config.write_text("max_minutes: 0.01\n", "utf-8"))
    assert config.stat().st_size == len("max_minutes: 15.0\n")
    after = tree.warm_equals_cold("--config", config)
    assert rules(after) == rules(after, "b") == {"V107"}
    assert after.exit_code == 1


@pytest.mark.parametrize(("options", "c_rules"), [
    (("--lang", "zh"), {"A004"}),
    (("--select", "V"), set()),
    (("--ignore", "A004"), set()),
    (("--select", "A004", "--strict"), {"A004"}),
])
def test_options_other_than_the_warm_runs(tree: Tree, options: tuple[str, ...],
                                          c_rules: set[str]) -> None:
    after = tree.warm_equals_cold(*options)
    assert rules(after, "c") == c_rules
    if options[0] == "--lang":
        message = course_report(after, "c")["findings"][0]["message"]
        assert message != course_report(tree.before, "c")["findings"][0]["message"]
        assert "号码" in message or "电话" in message
    if "--strict" in options:
        assert after.exit_code == 1  # the A004 warning fails the run now


def test_language_from_the_environment_other_than_the_warm_runs(
        tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COURSECHECK_LANG", "zh")
    after = tree.warm_equals_cold()
    message = course_report(after, "c")["findings"][0]["message"]
    assert message != course_report(tree.before, "c")["findings"][0]["message"]
    assert "号码" in message or "电话" in message


# 7. Moving and copying whole courses


@pytest.mark.parametrize("destination", ["浙江省/a-renamed", "江苏省/a"])
def test_course_folder_moved(tree: Tree, destination: str) -> None:
    tree.a.rename(tree.root / destination)
    after = tree.warm_equals_cold()
    paths = [c["path"] for c in after.report["courses"]]
    assert any(p.endswith("/" + destination) for p in paths)
    assert not any(p.endswith("/浙江省/a") for p in paths)
    provinces = {p["province"]: p["courses"] for p in after.report["audit"]["provinces"]}
    # the province comes from the manifest, not from the folder the course lies in
    assert [p.rsplit("/", 2)[-2:] for p in provinces["浙江省"]] == sorted(
        [destination.split("/"), ["浙江省", "b"]])


def test_course_folder_copied_to_a_new_name(tree: Tree) -> None:
    shutil.copytree(tree.root / "浙江省/b", tree.root / "浙江省/b-copy")
    after = tree.warm_equals_cold()
    assert len(after.report["courses"]) == 4
    assert course_report(after, "b-copy")["findings"] == []
    [zhejiang] = [p for p in after.report["audit"]["provinces"] if p["province"] == "浙江省"]
    assert [f["rule"] for f in zhejiang["findings"]] == ["A002"]  # two courses named 课程乙


# 8. A touch that changes nothing


@pytest.mark.parametrize("touched", ["course.yaml", "lessons/01.mp4", "cover.jpg", "."])
def test_touched_file_gives_the_same_report(tree: Tree, touched: str) -> None:
    path = tree.a / touched
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    after = tree.warm_equals_cold()
    assert normalised(after.report) == normalised(tree.before.report)
    assert after.exit_code == tree.before.exit_code == 0


# Exports


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_exports_of_a_warm_run_equal_those_of_a_cold_run(tree: Tree, tmp_path: Path) -> None:
    outs = {}
    for kind, args in (("warm", ("--cache-dir", tree.cache)), ("cold", ("--no-cache",))):
        out = tmp_path / kind
        out.mkdir()
        run = tree.audit(*args, "--xlsx", out / "s.xlsx", "--csv", out / "f.csv",
                         "--html", out / "r.html")
        assert run.exit_code == 0, run.stderr
        outs[kind] = out
    warm, cold = outs["warm"], outs["cold"]
    assert (warm / "f.csv").read_text("utf-8-sig") == (cold / "f.csv").read_text("utf-8-sig")
    assert [row[4] for row in _csv_rows(warm / "f.csv")[1:]] == ["A004"]
    assert _cells(warm / "s.xlsx") == _cells(cold / "s.xlsx")
    assert "课程甲" in str(_cells(warm / "s.xlsx"))
    assert (warm / "r.html").read_text("utf-8") == (cold / "r.html").read_text("utf-8")

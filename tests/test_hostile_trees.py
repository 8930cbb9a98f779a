"""Batch paths survive hostile trees (issue 10 §3): a path longer than the system allows, a folder
that cannot be entered, any other OSError while looking, and a folder a thousand levels deep each
become a note (audit) or a C207 warning (inside a course), and everything else is still checked."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import GOOD, Course, Media, check_json, run_cli

DEPTH = 1000


def chain(base: Path, names: list[str]) -> Path:
    """Make ``base/names[0]/names[1]/…`` one folder at a time through directory handles, so the
    whole path may be longer than the system allows; returns the path as a (maybe unusable)
    string path."""
    fd = os.open(base, os.O_DIRECTORY)
    try:
        for name in names:
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    return base.joinpath(*names)


def unchain(base: Path) -> None:
    """Remove an empty ``base/d/d/…`` chain with short paths only: lift each folder's child up
    into ``base``, then remove the emptied folder (shutil.rmtree recurses once per level)."""
    top, n = base / "d", 0
    while (top / "d").exists():
        n += 1
        os.rename(top / "d", base / f"lifted{n}")
        os.rmdir(top)
        top = base / f"lifted{n}"
    os.rmdir(top)


@pytest.fixture(scope="module")
def deep_tree(tmp_path_factory: pytest.TempPathFactory, media: Media) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("deep") / "tree"
    root.mkdir()
    bottom = chain(root, ["d"] * DEPTH)
    Course.good(bottom / "course", media).build()          # a course 1000 folders down
    inside = Course.good(root / "shallow", media)
    inside.build()
    chain(root / "shallow", ["d"] * DEPTH)
    stray = root / "shallow" / Path(*["d"] * DEPTH) / "forgotten.mp4"
    shutil.copyfile(media.clip(), stray)                   # C204 at the very bottom
    yield root
    shutil.rmtree(bottom / "course")
    stray.unlink()
    unchain(root)
    unchain(root / "shallow")


def test_a_tree_1000_folders_deep_is_searched_to_the_bottom(deep_tree: Path) -> None:
    run = run_cli("audit", deep_tree, "--format", "json", "--jobs", "1", "--no-cache")
    assert run.exit_code == 0, run.stderr
    paths = sorted(c["path"].split("/").count("d") for c in run.report["courses"])
    assert paths == [0, DEPTH]
    assert all(f["rule"] != "X001" for c in run.report["courses"] for f in c["findings"])
    shallow = next(c for c in run.report["courses"] if c["path"].endswith("shallow"))
    assert [(f["rule"], f["file"]) for f in shallow["findings"]] == [
        ("C204", "/".join(["d"] * DEPTH) + "/forgotten.mp4")]


def test_check_walks_a_course_1000_folders_deep(deep_tree: Path) -> None:
    run = check_json(deep_tree / "shallow", "--no-cache")
    assert run.exit_code == 0
    assert [f["rule"] for f in run.findings()] == ["C204"]


def test_a_path_longer_than_the_system_allows_is_a_note_and_a_c205(
        tmp_path: Path, media: Media) -> None:
    root = tmp_path / "tree"
    course = Course.good(root / "course", media)
    course.build()
    too_long = chain(root / "course", ["x" * 250] * 17)  # about 4,300 characters
    chain(root, ["y" * 250] * 17)
    # a folder that can be listed, but whose course.yaml would be a path too long to ask about
    room = 4090 - len(str(root / "z"))
    names, left = ["z"], room
    while left > 202:  # each level adds a name and a separator; no empty last name
        names.append("w" * 200)
        left -= 201
    near = chain(root, [*names, "v" * (left - 1)])
    assert len(str(near)) == 4090
    run = run_cli("audit", root, "--format", "json", "--jobs", "1", "--no-cache")
    assert run.exit_code == 0, run.stderr
    assert [c["path"].rsplit("/", 1)[-1] for c in run.report["courses"]] == ["course"]
    notes = [line for line in run.stderr.splitlines() if "note: not searched:" in line]
    assert len(notes) in (2, 3) and all("(File name too long)" in n for n in notes)
    assert any(n.endswith("/course.yaml (File name too long)") for n in notes)
    found = run.report["courses"][0]["findings"]
    assert [f["rule"] for f in found] == ["C207"]
    assert too_long.as_posix().startswith(f"{root.as_posix()}/course/{found[0]['file']}")
    assert "File name too long" in found[0]["message"] and "…" in found[0]["message"]
    alone = check_json(root / "course", "--no-cache")
    assert alone.exit_code == 0 and [f["rule"] for f in alone.findings()] == ["C207"]


def test_a_command_line_path_too_long_is_a_usage_error(tmp_path: Path) -> None:
    name = tmp_path / ("a" * 300) / "x.mp4"
    for command in ("check", "audit"):
        run = run_cli(command, name)
        assert run.exit_code == 2
        assert run.stderr.startswith("coursecheck: error: cannot use ")
        assert run.stderr.rstrip().endswith("File name too long") and "internal" not in run.stderr


def _refuse(monkeypatch: pytest.MonkeyPatch, locked: Path, opaque: Path) -> None:
    """Make listing ``locked``, and asking what is in ``opaque``, fail as they do for a folder
    without read or search permission (root ignores permission bits, so this runs as root)."""
    real_scandir, real_is_file = os.scandir, Path.is_file

    def scandir(path: Path | str = ".") -> object:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def is_file(self: Path) -> bool:
        if self.parent == opaque:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "is_file", is_file)


def test_a_folder_that_cannot_be_entered_is_a_note_and_the_rest_is_audited(
        tmp_path: Path, media: Media, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "tree"
    Course.good(root / "open", media).build()
    Course.good(root / "locked" / "hidden", media).build()
    Course.good(root / "opaque" / "hidden", media).build()
    failing = Course.good(root / "failing", media)
    failing.set_lesson(2, GOOD.but(fps="30"))
    failing.build()
    (failing.root / "drafts").mkdir()
    _refuse(monkeypatch, root / "locked", root / "opaque")
    monkeypatch.setattr(os, "scandir", _also_refusing(os.scandir, failing.root / "drafts"))
    run = run_cli("audit", root, "--format", "json", "--jobs", "1", "--no-cache")
    assert run.exit_code == 1, run.stderr
    assert [c["path"].rsplit("/", 1)[-1] for c in run.report["courses"]] == ["failing", "hidden",
                                                                         "open"]
    assert [line for line in run.stderr.splitlines() if ": note: " in line] == [
        f"coursecheck: note: not searched: {root / 'locked'} (Permission denied)",
        f"coursecheck: note: not searched: {root / 'opaque'}/course.yaml (Permission denied)"]
    rules = sorted((f["rule"], f["file"]) for c in run.report["courses"] for f in c["findings"])
    assert rules == [("C207", "drafts"), ("V105", "lessons/02.mp4")]


def _also_refusing(scandir: object, folder: Path) -> object:
    def wrapped(path: Path | str = ".") -> object:
        if Path(path) == folder:
            raise OSError(errno.EIO, "Input/output error", str(path))
        return scandir(path)  # type: ignore[operator]

    return wrapped


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root may enter any folder, so permission bits cannot refuse it")
def test_real_permissions_listed_but_not_entered(tmp_path: Path, media: Media) -> None:
    root = tmp_path / "tree"
    Course.good(root / "open", media).build()
    locked = root / "locked"
    Course.good(locked / "hidden", media).build()
    locked.chmod(0o644)  # may be listed, not entered
    try:
        run = run_cli("audit", root, "--format", "json", "--jobs", "1", "--no-cache")
    finally:
        locked.chmod(0o755)
    assert run.exit_code == 0, run.stderr
    assert "Permission denied" in run.stderr
    assert [c["path"].rsplit("/", 1)[-1] for c in run.report["courses"]] == ["open"]


def test_a_path_under_a_folder_that_cannot_be_entered_names_that_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    target = locked / "inner" / "course"
    real_stat, real_access = Path.stat, os.access

    def stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if str(self).startswith(str(locked) + os.sep):
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        return str(path) != str(locked) and real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(os, "access", access)
    run = run_cli("check", target)
    assert run.exit_code == 2
    assert f"the folder {locked} cannot be entered" in run.stderr

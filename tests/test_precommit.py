"""The pre-commit hook (issue 3 §4), run for real with ``pre-commit try-repo``.

try-repo installs the hook repository from its committed HEAD, so the tests clone the repository
they run from, lay the working copy of ``.pre-commit-hooks.yaml`` over the clone and commit it
there: they test the hook file as it is now, before and after it is committed. The first run
builds the hook's virtualenv from PyPI (about a minute); later runs reuse it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from coursecheck.spec import AUDIO_EXTENSIONS, MANIFEST_NAMES, VIDEO_EXTENSIONS
from tests.helpers import GOOD, Course, Media

REPO = Path(__file__).resolve().parent.parent
HOOKS = REPO / ".pre-commit-hooks.yaml"
GIT_MISSING = shutil.which("git") is None


def hook() -> dict[str, object]:
    [only] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(only, dict)
    return only


def git_env() -> dict[str, str]:
    """The environment without a surrounding hook's GIT_* variables, with a fixed author."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"] = "coursecheck tests"
        env[f"GIT_{role}_EMAIL"] = "tests@example.invalid"
    return env


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, env=git_env(),
                   check=True, capture_output=True, timeout=120)


def test_hook_declares_id_entry_and_serial_filenames() -> None:
    declared = hook()
    assert declared["id"] == "coursecheck"
    assert declared["entry"] == "coursecheck check"
    assert declared["language"] == "python"
    assert declared["pass_filenames"] is True
    assert declared["require_serial"] is True


def test_files_pattern_takes_manifests_and_every_video_extension() -> None:
    files = re.compile(str(hook()["files"]))
    wanted = [f"c/{name}" for name in MANIFEST_NAMES] + ["course.yaml", "a/b/COURSE.YML"]
    media = sorted(VIDEO_EXTENSIONS | AUDIO_EXTENSIONS)  # audio files are lessons too
    wanted += [f"c/lessons/01{ext}" for ext in media]
    wanted += [f"c/lessons/01{ext.upper()}" for ext in media]
    assert [name for name in wanted if not files.search(name)] == []
    unwanted = ["README.md", "c/cover.jpg", "c/mycourse.yaml", "c/course.yaml.bak",
                "c/mp4.txt", "c/notes.mp4.md"]
    assert [name for name in unwanted if files.search(name)] == []


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clone of this repository with the working ``.pre-commit-hooks.yaml`` committed."""
    if GIT_MISSING:
        pytest.skip("git is not installed (pre-commit needs it)")
    clone = tmp_path_factory.mktemp("hook-repo") / "coursecheck"
    git(REPO, "clone", "--quiet", str(REPO), str(clone))
    shutil.copyfile(HOOKS, clone / HOOKS.name)
    git(clone, "add", HOOKS.name)
    git(clone, "commit", "--quiet", "--allow-empty", "-m", "working copy of the hook")
    return clone


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's store, shared by this module's tests so the hook env is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def course_repo(tmp_path: Path, media: Media) -> tuple[Path, Course]:
    """A git repository holding one good course in courses/phone, committed."""
    if GIT_MISSING:
        pytest.skip("git is not installed (pre-commit needs it)")
    root = tmp_path / "repo"
    course = Course.good(root / "courses" / "phone", media)
    course.build()
    (root / "README.md").write_text("courses\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "a course")
    return root, course


def try_repo(repo: Path, hooks: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo HOOKS coursecheck ARGS`` in ``repo``; output is stdout+stderr."""
    env = {**git_env(), "PRE_COMMIT_HOME": str(home), "COURSECHECK_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), "coursecheck",
         "--color", "never", "--verbose", *args],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def output(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


@pytest.mark.slow
def test_hook_passes_a_good_course_and_skips_files_in_no_course(
        course_repo: tuple[Path, Course], hook_repo: Path, pre_commit_home: Path) -> None:
    repo, _ = course_repo
    stray = repo / "clips" / "trailer.mp4"
    stray.parent.mkdir()
    shutil.copyfile(repo / "courses/phone/lessons/01.mp4", stray)
    git(repo, "add", "-A")
    proc = try_repo(repo, hook_repo, pre_commit_home, "--all-files")
    assert proc.returncode == 0, output(proc)
    assert re.search(r"coursecheck\.+Passed", output(proc))
    assert "clips/trailer.mp4 is not inside a course folder; skipped" in output(proc)
    assert "courses/phone" in output(proc)


@pytest.mark.slow
def test_hook_fails_when_a_changed_lesson_breaks_a_rule(
        course_repo: tuple[Path, Course], hook_repo: Path, pre_commit_home: Path) -> None:
    repo, course = course_repo
    course.set_lesson(3, GOOD.but(fps="30"))
    course.build()
    git(repo, "add", "-A")
    proc = try_repo(repo, hook_repo, pre_commit_home,
                    "--files", "courses/phone/lessons/03.mp4")
    assert proc.returncode == 1, output(proc)
    assert re.search(r"coursecheck\.+Failed", output(proc))
    assert "V105" in output(proc)
    assert "lessons/03.mp4" in output(proc)

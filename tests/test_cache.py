"""The probe cache (issue 3 §5): unchanged files are not probed again, and a bad cache is harmless.

MediaInfo calls are counted with a spy on ``coursecheck.probe.run_mediainfo``; every test passes
``--cache-dir`` to a folder of its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import coursecheck
import coursecheck.probe
from coursecheck.cache import cache_dir
from coursecheck.factsjson import from_json, to_json
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts, VideoFacts
from tests.helpers import GOOD, Course, Run, check_json, run_cli

SCRIPTS = Path(sys.executable).parent


class Calls:
    """Counts MediaInfo runs, in a file, since they happen in a worker process."""

    def __init__(self, log: Path) -> None:
        self.log = log
        log.write_text("", encoding="utf-8")

    @property
    def paths(self) -> list[Path]:
        """The files probed so far; ``paths.clear()`` starts counting again."""
        return _Logged(self, [Path(line) for line in
                              self.log.read_text(encoding="utf-8").splitlines()])

    def clear(self) -> None:
        self.log.write_text("", encoding="utf-8")

    def __len__(self) -> int:
        return len(self.paths)


class _Logged(list[Path]):
    def __init__(self, calls: Calls, paths: list[Path]) -> None:
        super().__init__(paths)
        self.calls = calls

    def clear(self) -> None:
        super().clear()
        self.calls.clear()


@pytest.fixture
def mediainfo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Calls:
    """A spy on every MediaInfo run (workers are forked, so they share it); ``clear()`` to
    count again."""
    calls = Calls(tmp_path / "mediainfo-calls.txt")
    real = coursecheck.probe.run_mediainfo

    def counting(path: Path) -> str:
        with calls.log.open("a", encoding="utf-8") as log:
            log.write(f"{path}\n")
        return real(path)

    monkeypatch.setattr(coursecheck.probe, "run_mediainfo", counting)
    monkeypatch.setenv("COURSECHECK_START_METHOD", "fork")
    return calls


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def cached_check(root: Path, cache: Path, *args: str) -> Run:
    return check_json(root, "--cache-dir", str(cache), *args)


def own_copy(path: Path) -> Path:
    """Replace a hard link to a shared session clip with a file of its own."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data)
    return path


def cache_notes(run: Run) -> list[str]:
    return [line for line in run.stderr.splitlines() if "probe cache" in line]


def entries(cache: Path) -> list[Path]:
    return sorted((cache / "probe").glob("*.json"))


def test_second_check_of_unchanged_course_does_not_call_mediainfo(
        course: Course, cache: Path, mediainfo: Calls) -> None:
    course.set_lesson(3, GOOD.but(width=1920, height=1080))
    root = course.build()
    cold = cached_check(root, cache)
    assert len(mediainfo) == 10
    mediainfo.clear()
    warm = cached_check(root, cache)
    assert len(mediainfo) == 0
    assert warm.report == cold.report
    assert warm.where("V104") == [("lessons/03.mp4", None)]
    assert warm.exit_code == cold.exit_code == 1
    assert cache_notes(warm) == []


def test_new_mtime_is_probed_again(course: Course, cache: Path, mediainfo: Calls) -> None:
    root = course.build()
    lesson = own_copy(root / "lessons/03.mp4")
    cached_check(root, cache)
    mediainfo.clear()
    os.utime(lesson, ns=(lesson.stat().st_atime_ns, lesson.stat().st_mtime_ns + 1_000_000))
    assert cached_check(root, cache).exit_code == 0
    assert mediainfo.paths == [lesson.resolve()]


def test_new_size_with_the_same_mtime_is_probed_again(
        course: Course, cache: Path, mediainfo: Calls) -> None:
    root = course.build()
    lesson = own_copy(root / "lessons/03.mp4")
    cached_check(root, cache)
    mediainfo.clear()
    before = lesson.stat()
    with lesson.open("ab") as handle:
        handle.write(b"\0" * 16)
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    cached_check(root, cache)
    assert mediainfo.paths == [lesson.resolve()]


def test_a_replaced_lesson_gets_its_own_findings(course: Course, cache: Path) -> None:
    root = course.build()
    assert cached_check(root, cache).exit_code == 0
    course.set_lesson(3, GOOD.but(fps="30"))
    course.build()
    run = cached_check(root, cache)
    assert run.where("V105") == [("lessons/03.mp4", None)]
    assert run.exit_code == 1


def test_no_cache_probes_every_time_and_writes_nothing(
        course: Course, cache: Path, mediainfo: Calls) -> None:
    root = course.build()
    cached_check(root, cache, "--no-cache")
    cached_check(root, cache, "--no-cache")
    assert len(mediainfo) == 20
    assert not cache.exists()


@pytest.mark.parametrize("change", [
    "garbage", "empty", "json_list", "half", "wrong_type", "extra_field"])
def test_damaged_entries_give_one_note_and_the_same_result(
        course: Course, cache: Path, mediainfo: Calls, change: str) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    root = course.build()
    cold = cached_check(root, cache)
    for entry in entries(cache):
        text = entry.read_text(encoding="utf-8")
        data = json.loads(text)
        if change == "wrong_type":
            data["value"]["video"]["width"] = "1280"
        if change == "extra_field":
            data["value"]["extra"] = 1
        entry.write_bytes({
            "garbage": b"\x00\xffSQLite format 3\x00 not json", "empty": b"", "json_list": b"[]",
            "half": text[: len(text) // 2].encode(),
        }.get(change, json.dumps(data).encode()))
    mediainfo.clear()
    damaged = cached_check(root, cache)
    assert len(mediainfo) == 10
    assert (damaged.report, damaged.exit_code) == (cold.report, cold.exit_code)
    [note] = cache_notes(damaged)
    assert "10 damaged entries ignored" in note
    assert note.startswith("coursecheck: note: ")
    mediainfo.clear()
    healed = cached_check(root, cache)
    assert (len(mediainfo), cache_notes(healed)) == (0, [])


def test_cache_dir_that_cannot_be_created_gives_a_note(
        course: Course, tmp_path: Path, mediainfo: Calls) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    root = course.build()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = cached_check(root, blocker / "cache")
    assert run.where("V105") == [("lessons/05.mp4", None)]
    assert run.exit_code == 1
    [note] = cache_notes(run)
    assert "not writable" in note
    assert len(mediainfo) == 10


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_dir_gives_a_note(course: Course, cache: Path) -> None:
    cache.mkdir()
    cache.chmod(0o500)
    try:
        run = cached_check(course.build(), cache)
    finally:
        cache.chmod(0o700)
    assert run.exit_code == 0
    assert len(cache_notes(run)) == 1


def test_coursecheck_version_is_part_of_the_key(
        course: Course, cache: Path, mediainfo: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    cached_check(root, cache)
    mediainfo.clear()
    monkeypatch.setattr(coursecheck, "__version__", "99.0.0")
    cached_check(root, cache)
    assert len(mediainfo) == 10


def test_mediainfo_version_is_part_of_the_key_and_read_once_per_run(
        course: Course, cache: Path, mediainfo: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    cached_check(root, cache)
    mediainfo.clear()
    asked: list[None] = []

    def other_library() -> str:
        asked.append(None)
        return "0.1-test"

    monkeypatch.setattr(coursecheck.probe, "library_version", other_library)
    cached_check(root, cache)
    assert (len(mediainfo), len(asked)) == (10, 1)


def test_a_file_that_changes_while_probed_is_not_kept(
        course: Course, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    lesson = own_copy(root / "lessons/03.mp4")
    real = coursecheck.probe.run_mediainfo

    def touching(path: Path) -> str:
        if path == lesson.resolve():
            os.utime(path, ns=(0, path.stat().st_mtime_ns + 1_000_000))
        return real(path)

    monkeypatch.setattr(coursecheck.probe, "run_mediainfo", touching)
    cached_check(root, cache)
    assert len(entries(cache)) == 9


def test_a_failed_mediainfo_call_is_not_kept(
        course: Course, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    real = coursecheck.probe.run_mediainfo

    def failing(path: Path) -> str:
        raise RuntimeError("library crashed")

    monkeypatch.setattr(coursecheck.probe, "run_mediainfo", failing)
    assert len(cached_check(root, cache).findings("V001")) == 10
    monkeypatch.setattr(coursecheck.probe, "run_mediainfo", real)
    run = cached_check(root, cache)
    assert (run.findings(), run.exit_code) == ([], 0)


def test_the_course_folder_is_left_untouched(course: Course, cache: Path) -> None:
    root = course.build()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    cached_check(root, cache)
    cached_check(root, cache)
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert len(entries(cache)) == 10


def test_a_cache_dir_inside_the_course_is_not_used(
        course: Course, mediainfo: Calls) -> None:
    root = course.build()
    inside = root / "lessons" / ".cache"
    first = cached_check(root, inside)
    cached_check(root / "lessons/01.mp4", inside)
    assert not inside.exists()
    assert len(mediainfo) == 20
    [note] = cache_notes(first)
    assert "inside course folder" in note
    assert first.exit_code == 0


def test_env_var_is_the_default_and_cache_dir_wins(
        course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = course.build()
    from_env, from_option = tmp_path / "env-cache", tmp_path / "option-cache"
    monkeypatch.setenv("COURSECHECK_CACHE_DIR", str(from_env))
    check_json(root)
    assert len(entries(from_env)) == 10
    cached_check(root, from_option)
    assert len(entries(from_option)) == 10
    assert len(entries(from_env)) == 10


def test_without_option_or_env_the_user_cache_dir_is_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("COURSECHECK_CACHE_DIR")
    assert cache_dir(RunOptions()) == Path(platformdirs.user_cache_dir("coursecheck",
                                                                       appauthor=False))
    monkeypatch.setenv("COURSECHECK_CACHE_DIR", "")
    assert cache_dir(RunOptions()) == Path(platformdirs.user_cache_dir("coursecheck",
                                                                       appauthor=False))


def test_processes_sharing_a_cache_all_get_the_right_answer(
        course: Course, cache: Path, mediainfo: Calls) -> None:
    course.set_lesson(5, GOOD.but(fps="30"))
    root = course.build()
    expected = check_json(root, "--no-cache")
    mediainfo.clear()
    argv = [str(SCRIPTS / "coursecheck"), "check", str(root), "--format", "json", "--lang", "en",
            "--cache-dir", str(cache)]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outcomes = [(*p.communicate(timeout=120), p.returncode) for p in procs]
    for stdout, stderr, code in outcomes:
        assert (json.loads(stdout), code) == (expected.report, 1)
        assert "probe cache" not in stderr
    after = cached_check(root, cache)
    assert (after.report, len(mediainfo), cache_notes(after)) == (expected.report, 0, [])
    assert sorted(p.name for p in (cache / "probe").iterdir()) == [p.name for p in entries(cache)]


def test_facts_survive_the_json_round_trip_exactly(course: Course) -> None:
    real = coursecheck.probe.probe(course.build() / "lessons/01.mp4")
    assert real.video is not None
    video = VideoFacts("AVC", None, 1280, 720, 90.0, 1.0, 25.0, "CFR", 8, "4:2:0", None, 0.5)
    dated = MediaFacts(file_size=7, encoded_date=dt.date(2023, 3, 15),
                       audio_formats=("AAC", "AC-3"), video=video)
    broken = MediaFacts(file_size=3, error="not_media", error_detail="no tracks")
    for facts in (real, dated, broken):
        assert from_json(json.loads(json.dumps(to_json(facts)))) == facts


@pytest.mark.parametrize("damage", [
    {"file_size": "7"}, {"truncated": 0}, {"encoded_date": "15.03.2023"},
    {"audio_formats": "AAC"}, {"video": {"format": "AVC"}}, {"surprise": 1}, {"file_size": None}])
def test_facts_that_do_not_fit_are_refused(damage: dict[str, object]) -> None:
    data = to_json(MediaFacts(file_size=7))
    data.update(damage)
    with pytest.raises(ValueError):
        from_json(data)


def test_facts_with_a_missing_field_are_refused() -> None:
    data = to_json(MediaFacts(file_size=7))
    del data["error_detail"]
    with pytest.raises(ValueError):
        from_json(data)


def test_a_warm_audit_answers_every_hit_itself_and_hands_no_file_to_workers(
        course: Course, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coursecheck.audit.pool as pool

    root = course.build()
    handed: list[list[Path]] = []
    real = pool.probe_all

    def spy(files: list[Path], *args: object) -> None:
        handed.append(list(files))
        real(files, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(pool, "probe_all", spy)
    argv = ("audit", root, "--format", "json", "--cache-dir", cache, "--jobs", "2")
    cold, warm = run_cli(*argv), run_cli(*argv)
    assert [len(files) for files in handed] == [10, 0]
    assert (warm.exit_code, warm.report) == (cold.exit_code, cold.report)

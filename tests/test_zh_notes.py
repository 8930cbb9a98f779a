"""The notes a run prints at its end follow the run's language, like its findings."""

from __future__ import annotations

import os
import pickle
import re
import string
import zipfile
from pathlib import Path

import pytest

from coursecheck.cachestore import CACHE_KINDS, Store
from coursecheck.messages import en, zh
from coursecheck.notes import Note, note_line, os_words
from tests.helpers import Course, run_cli

SRC = Path(__file__).resolve().parents[1] / "src" / "coursecheck"
ENGLISH_NOTES = ("note:", "inside course folder", "cache not used", "not inside a course folder",
                 "holds no course", "skipped")


def note_keys_in_source() -> set[str]:
    """Every ``Note("key", ...)`` the code makes, and the cache names."""
    keys = {f"note.cache.{kind}" for kind in CACHE_KINDS} | {"note.line", "note.join"}
    for path in SRC.rglob("*.py"):
        keys |= {f"note.{key}" for key in re.findall(r'\bNote\(\s*"([^"]+)"', path.read_text())}
    return keys


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_note_key_is_in_both_catalogs_with_the_same_fields() -> None:
    used = note_keys_in_source()
    assert len(used) > 10 and used <= set(en.NOTES) and set(en.NOTES) == set(zh.NOTES)
    for key in en.NOTES:
        assert fields(en.NOTES[key]) == fields(zh.NOTES[key]), key


@pytest.mark.parametrize(("lang", "expected", "absent"), [
    ("zh", ["coursecheck: 提示：读取结果缓存 ", "位于课程文件夹",
            "loose.mp4 不在任何课程文件夹中，已跳过"], ENGLISH_NOTES),
    ("en", ["coursecheck: note: probe cache ", "cache not used",
            "loose.mp4 is not inside a course folder; skipped"], ["提示", "课程文件夹"]),
])
def test_a_checks_notes_follow_lang(course: Course, tmp_path: Path, lang: str,
                                    expected: list[str], absent: tuple[str, ...]) -> None:
    root = course.build()
    (tmp_path / ".git").mkdir()  # the stray file's search for a course stops here
    stray = tmp_path / "loose.mp4"
    stray.write_bytes(b"x")
    run = run_cli("check", root, stray, "--cache-dir", root / "lessons" / ".cache",
                  "--lang", lang)
    assert run.exit_code == 0
    assert all(text in run.stderr for text in expected), run.stderr
    assert not any(text in run.stderr for text in absent), run.stderr


@pytest.mark.parametrize(("lang", "expected", "absent"), [
    ("zh", "coursecheck: 提示：photos.zip 中没有课程，已跳过", ENGLISH_NOTES),
    ("en", "coursecheck: note: photos.zip holds no course; skipped", ("提示", "没有课程，已跳过")),
])
def test_an_audits_notes_follow_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str,
                                     expected: str, absent: tuple[str, ...]) -> None:
    with zipfile.ZipFile(tmp_path / "photos.zip", "w") as archive:
        archive.writestr("a.txt", "hello")
    monkeypatch.chdir(tmp_path)
    run = run_cli("audit", ".", "--lang", lang)
    assert run.exit_code == 2  # nothing to audit
    notes = [line for line in run.stderr.splitlines() if "photos.zip" in line]
    assert notes == [expected]
    assert not any(text in notes[0] for text in absent)


def test_a_cache_note_crosses_a_pipe_and_keeps_file_names_escaped(tmp_path: Path) -> None:
    store = Store(tmp_path / "bad\x1b[31mname" / "probe", "probe cache")
    store.damaged, store.write_error = 1, "Permission denied"
    note = pickle.loads(pickle.dumps(store.note()))
    assert isinstance(note, Note) and "\x1b" not in note
    assert note.endswith(": 1 damaged entry ignored and made again; not writable "
                         "(Permission denied), so nothing was saved")
    assert note_line(note, "zh").endswith("：1 个损坏的条目已忽略并重新生成；"
                                          "无法写入（权限不足），本次结果未保存")
    assert "\x1b" not in note_line(note, "zh")


@pytest.mark.skipif(os.name == "nt", reason="Windows words its OS errors itself, in its language")
@pytest.mark.parametrize(("lang", "words"), [("zh", "不是文件夹"), ("en", "Not a directory")])
def test_a_cache_dir_that_is_a_file_is_noted_in_the_runs_language(course: Course, tmp_path: Path,
                                                                 lang: str, words: str) -> None:
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("x", encoding="utf-8")
    run = run_cli("audit", course.build(), "--cache-dir", blocker, "--lang", lang)
    assert run.exit_code == 0
    course_note = [line for line in run.stderr.splitlines() if str(blocker / "course") in line]
    if lang == "zh":
        assert course_note == [f"coursecheck: 提示：课程结果缓存 {blocker / 'course'}："
                               f"条目无法读取（{words}），已重新生成；"
                               f"无法写入（{words}），本次结果未保存"]
    else:
        assert course_note == [f"coursecheck: note: course cache {blocker / 'course'}: "
                               f"entries not readable ({words}), so they were made again; "
                               f"not writable ({words}), so nothing was saved"]


def test_os_words_are_translated_when_known_and_kept_when_not() -> None:
    denied = pickle.loads(pickle.dumps(os_words("Permission denied")))
    assert denied == "Permission denied"
    assert note_line(denied, "zh") == "coursecheck: 提示：权限不足"
    assert os_words("拒绝访问。") == "拒绝访问。"  # Windows' own words, already Chinese

"""``coursecheck init``: a first ``course.yaml`` for a folder of lesson videos.

The draft lists the videos and audio files in natural order (``2.mp4`` before ``10.mp4``) with
titles from their file names, and has every field a submission needs, each with an empty
placeholder and a comment saying what goes there. Until the placeholders are filled, ``check``
reports them (C003, C106), so nothing half-done passes by accident.

A video whose path is not valid UTF-8 cannot be written into a UTF-8 manifest, nor named by one.
It is left out of ``lessons:``; a comment in its place shows its name with U+FFFD, and ``init``
prints it, asking for it to be renamed and listed. An image with such a name is never the cover.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coursecheck.paths import walk_files
from coursecheck.spec import (
    AUDIO_EXTENSIONS,
    DECLARATIONS,
    LEVELS,
    MANIFEST_NAMES,
    THEMES,
    VIDEO_EXTENSIONS,
)
from coursecheck.text import printable

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
LESSON_EXTENSIONS = VIDEO_EXTENSIONS | AUDIO_EXTENSIONS
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Todo:
    """A placeholder the author still has to fill in: its line, field path and what goes there."""

    line: int
    field: str
    hint: str


@dataclass(frozen=True, slots=True)
class Draft:
    """A drafted manifest: its text, the lesson files it lists, its cover and its TODOs.

    ``skipped`` holds the videos left out because their paths are not UTF-8, as printable text.
    """

    text: str
    lessons: tuple[str, ...]
    cover: str | None
    todos: tuple[Todo, ...]
    skipped: tuple[str, ...] = ()


def natural_key(path: str) -> tuple[tuple[tuple[int, int | str], ...], ...]:
    """Sort key that orders numbers by value, folder by folder: 1, 2, 10 rather than 1, 10, 2."""
    return tuple(
        tuple((0, int(t)) if t.isdigit() else (1, t.casefold())
              for t in re.split(r"(\d+)", part) if t)
        for part in path.split("/"))


def find_videos(files: Sequence[str]) -> list[str]:
    """Every video and audio file among ``files`` (a folder's :func:`walk_files`), in natural
    order: Annex 2 allows pure-audio lessons, which ``fix`` puts over the cover."""
    found = [f for f in files if PurePosixPath(f).suffix.lower() in LESSON_EXTENSIONS
             and not PurePosixPath(f).name.startswith(".")]
    return sorted(found, key=natural_key)


def find_cover(files: Sequence[str]) -> str | None:
    """Among ``files`` (a folder's :func:`walk_files`), an image named like a cover (cover,
    封面), else the first image, else ``None``; only images whose paths are UTF-8 count."""
    images = sorted((f for f in files if is_utf8(f)
                     and PurePosixPath(f).suffix.lower() in IMAGE_EXTENSIONS), key=natural_key)
    named = [f for f in images if re.search(r"cover|封面", PurePosixPath(f).stem, re.I)]
    candidates = named or images
    return candidates[0] if candidates else None


def is_utf8(path: str) -> bool:
    """Whether ``path`` came from a UTF-8 name (it holds no surrogate escapes)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def title_for(file: str) -> str:
    """A lesson title from its file name: the stem, with underscores as spaces."""
    stem = PurePosixPath(file).stem
    return stem.replace("_", " ").strip() or stem


def draft(folder: Path) -> Draft:
    """The manifest ``init`` would write for ``folder``."""
    lines: list[str] = []
    todos: list[Todo] = []

    def add(text: str, field: str | None = None, hint: str = "") -> None:
        lines.append(text)
        if field:
            todos.append(Todo(len(lines), field, hint))

    def todo(indent: str, key: str, field: str, hint: str, value: str = '""') -> None:
        add(f"{indent}{key}: {value}  # TODO {hint}", field, hint)

    # No "$schema=" line: it would point into wherever coursecheck is installed, which means
    # nothing on the next computer. docs/{zh,en}/authors.md shows how to map the schema in an
    # editor instead.
    add("# 课程清单，由 coursecheck init 生成：填写所有标有 TODO 的字段后运行 coursecheck check。")
    add("# Written by `coursecheck init`: fill in every field marked TODO, then run "
        "`coursecheck check`.")
    add("# 编辑器字段补全 | editor completion: coursecheck schema > course.schema.json "
        "（见 docs/zh/authors.md）")
    add("")
    todo("", "name", "name", "课程名称 | course name")
    add("# 课程主题须为以下十个之一，一字不差 | the theme must be one of these ten, exactly:")
    for theme in THEMES:
        add(f"#   {theme}")
    todo("", "theme", "theme", "课程主题 | theme")
    todo("", "intro", "intro", "课程简介，100 字以内 | course intro, at most 100 characters")
    todo("", "created", "created", "建设日期，不早于 2022-06-01，如 2023-03-15 | creation date")
    add("instructor:")
    todo("  ", "name", "instructor.name", "授课人姓名 | instructor's name")
    todo("  ", "intro", "instructor.intro", "授课人简介，100 字以内 | at most 100 characters")
    files = walk_files(folder)
    cover = find_cover(files)
    if cover:
        add(f"cover: {_q(cover)}  # 首页图片，JPEG 或 PNG | cover image, JPEG or PNG")
    else:
        todo("", "cover", "cover", "首页图片，JPEG 或 PNG，如 cover.jpg | cover image")
    levels = " | ".join(f"{k} {v}" for k, v in LEVELS.items())
    todo("", "level", "level", f"所处层级 level: {levels}")
    todo("", "province", "province", "省份，如 浙江省 | province")
    add('# institution: ""  # 申报单位（选填）| institution (optional)')
    add("contact:")
    todo("  ", "name", "contact.name", "联系人 | contact name")
    todo("  ", "phone", "contact.phone", "联系电话 | phone")
    add("declarations:  # 承诺：逐项确认后改为 true | set each to true to make the promise")
    for key, meaning in DECLARATIONS.items():
        todo("  ", key, f"declarations.{key}", meaning, value="false")
    videos = find_videos(files)
    listed = tuple(file for file in videos if is_utf8(file))
    if listed:
        add("lessons:  # 按教学顺序，至少 10 个 | in teaching order, at least 10")
    else:
        add("lessons: []  # TODO 添加微课 | add the lessons", "lessons", "添加微课 | add lessons")
    for file in videos:
        if is_utf8(file):
            add(f"  - title: {_q(title_for(file))}")
            add(f"    file: {_q(file)}")
            if PurePosixPath(file).suffix.lower() in AUDIO_EXTENSIONS:
                add("    # 纯音频微课：coursecheck fix 会把它配上首页图片，转成 MP4 | audio only: "
                    "coursecheck fix puts it over the cover as an MP4")
        else:
            add(f"  # 文件名不是 UTF-8，请重命名后列入 | not UTF-8, rename it and list it: "
                f"{_q(printable(file))}")
    skipped = tuple(printable(file) for file in videos if not is_utf8(file))
    return Draft("\n".join(lines) + "\n", listed, cover, tuple(todos), skipped)


def _q(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML), with the characters YAML
    may not hold as they are (DEL, C1 controls, U+FFFE/U+FFFF) or would read as a line break
    (NEL, U+2028, U+2029) written as escapes."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def existing_manifest(folder: Path) -> Path | None:
    """``course.yaml`` or ``course.yml`` already in ``folder``."""
    return next((folder / n for n in MANIFEST_NAMES if (folder / n).exists()), None)


def write_draft(folder: Path, text: str) -> Path:
    """Write ``folder/course.yaml`` through a temporary file, so it is never half-written."""
    target = folder / MANIFEST_NAMES[0]
    temp = folder / f".{target.name}.coursecheck-partial"
    try:
        temp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target

"""C201–C207: the files a manifest lists, their spelling, and the videos it forgets."""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.paths import PathStatus, to_posix
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings
from coursecheck.spec import VIDEO_EXTENSIONS
from coursecheck.text import elide


@course_rule(
    "C201", Severity.ERROR,
    summary={"en": "A lesson's file does not exist", "zh": "微课视频文件不存在"},
    doc={
        "en": RuleDoc(
            what="Each lesson's `file` exists, relative to the course folder.",
            why="A lesson without its video cannot be reviewed or published.",
            fix="Correct the path (check upper and lower case: Lessons/01.MP4 is not "
                "lessons/01.mp4 on the platforms' servers) or add the missing file.",
            good="file: lessons/01.mp4   # and lessons/01.mp4 exists",
            bad="file: lesson/01.mp4    # the folder is called lessons"),
        "zh": RuleDoc(
            what="每个微课的 `file` 都存在（相对于课程文件夹）。",
            why="缺少视频的微课无法评审和发布。",
            fix="改正路径（注意大小写：在平台服务器上 Lessons/01.MP4 与 lessons/01.mp4 不同），"
                "或补上缺失的文件。",
            good="file: lessons/01.mp4   # 且 lessons/01.mp4 存在",
            bad="file: lesson/01.mp4    # 文件夹实际叫 lessons"),
    },
)
def lesson_file_exists(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each lesson whose file is not there; suggests a close name that is and that no
    other lesson uses (a renamed ``04.mp4`` is not "did you mean 10.mp4", lesson 10's file)."""
    used = {lesson.path.on_disk or lesson.path.written for lesson in facts.lessons
            if lesson.path.status is PathStatus.OK}
    free = [name for name in facts.files if name not in used]
    for lesson in facts.lessons:
        line = facts.manifest_line("lessons", lesson.entry.index, "file")
        status = lesson.path.status
        if status in (PathStatus.UNREACHABLE, PathStatus.INVALID):
            yield Problem(key=f"C201.{status}", args={"file": lesson.file,
                                                      "reason": lesson.path.reason},
                          file=facts.manifest_file, line=line)
        elif status is PathStatus.MISSING:
            hint = did_you_mean(lesson.file, free)
            yield Problem(key="C201.hint" if hint else "C201",
                          args={"file": lesson.file, "hint": hint},
                          file=facts.manifest_file, line=line)


@course_rule(
    "C202", Severity.ERROR,
    summary={"en": "A lesson path leaves the course folder",
             "zh": "微课路径指向课程文件夹之外"},
    doc={
        "en": RuleDoc(
            what="Lesson paths stay inside the course folder: not absolute, no `..`, and no "
                 "symlink that points outside. Such a file is never opened or probed.",
            why="The folder is uploaded as a whole; anything outside it will be missing on the "
                "platform. Refusing to follow such paths also keeps a check from reading files "
                "it was not given.",
            fix="Copy the video into the course folder and use a relative path.",
            good="file: lessons/01.mp4",
            bad="file: ../other-course/01.mp4   # or /home/me/01.mp4"),
        "zh": RuleDoc(
            what="微课路径必须在课程文件夹内：不能是绝对路径、不能含 `..`、不能是指向外部的符号链接。"
                 "这样的文件不会被打开或探测。",
            why="上传时只会上传课程文件夹，外部文件在平台上会缺失；拒绝跟随这类路径也保证核查"
                "不会读取未交给它的文件。",
            fix="把视频复制到课程文件夹内，并使用相对路径。",
            good="file: lessons/01.mp4",
            bad="file: ../other-course/01.mp4   # 或 /home/me/01.mp4"),
    },
)
def lesson_path_inside(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each lesson path that resolves outside the folder."""
    for lesson in facts.lessons:
        if lesson.path.status is PathStatus.OUTSIDE:
            yield Problem(args={"file": lesson.file, "reason": lesson.path.reason},
                          file=facts.manifest_file,
                          line=facts.manifest_line("lessons", lesson.entry.index, "file"))


@course_rule(
    "C203", Severity.ERROR,
    summary={"en": "Two lessons name the same file", "zh": "两个微课使用了同一个文件"},
    doc={
        "en": RuleDoc(
            what="Every lesson has its own video file.",
            why="Each micro-lesson teaches its own knowledge point; a repeated file is almost "
                "always a copy-paste slip that leaves one lesson's video out.",
            fix="Point the later lesson at its own video.",
            good="- file: lessons/01.mp4\n- file: lessons/02.mp4",
            bad="- file: lessons/01.mp4\n- file: lessons/01.mp4"),
        "zh": RuleDoc(
            what="每个微课都有自己的视频文件。",
            why="每个微课聚焦一个知识点；重复的文件几乎总是复制粘贴时的疏忽，导致某个微课的视频遗漏。",
            fix="让后面的微课指向它自己的视频。",
            good="- file: lessons/01.mp4\n- file: lessons/02.mp4",
            bad="- file: lessons/01.mp4\n- file: lessons/01.mp4"),
    },
)
def lesson_file_unique(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires on each lesson whose file an earlier lesson already uses."""
    for lesson in facts.lessons:
        if lesson.duplicate_of is not None:
            yield Problem(args={"file": lesson.file, "first": lesson.duplicate_of + 1,
                                "lesson": lesson.entry.index + 1},
                          file=facts.manifest_file,
                          line=facts.manifest_line("lessons", lesson.entry.index, "file"))


@course_rule(
    "C204", Severity.WARNING,
    summary={"en": "A video file in the folder is not listed in the manifest",
             "zh": "文件夹中有视频文件未列入清单"},
    doc={
        "en": RuleDoc(
            what="Every video file in the course folder (hidden folders aside) is a lesson in "
                 "course.yaml.",
            why="An unlisted video is usually a lesson someone forgot to add, or a stale export "
                "that should not be uploaded.",
            fix="Add it to `lessons`, or move it out of the course folder.",
            good="lessons/01.mp4 … lessons/10.mp4, all listed",
            bad="lessons/11.mp4 exists but no lesson names it"),
        "zh": RuleDoc(
            what="课程文件夹内（隐藏文件夹除外）的每个视频文件都列在 course.yaml 的微课中。",
            why="未列出的视频通常是忘记添加的微课，或不该上传的旧导出文件。",
            fix="把它加入 `lessons`，或移出课程文件夹。",
            good="lessons/01.mp4 … lessons/10.mp4 全部列出",
            bad="存在 lessons/11.mp4，但没有微课引用它"),
    },
)
def unlisted_videos(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per video file that no lesson names."""
    view = facts.manifest.view
    if view is None:
        return
    raw = view.raw.get("lessons")
    written = [item.get("file") for item in raw if isinstance(item, dict)] if isinstance(
        raw, list) else []
    listed = {posixpath.normpath(to_posix(f.strip())) for f in written if isinstance(f, str)}
    listed |= {lesson.path.on_disk for lesson in facts.lessons if lesson.path.on_disk}  # C205
    for name in facts.files:
        if PurePosixPath(name).suffix.lower() in VIDEO_EXTENSIONS and name not in listed:
            yield Problem(args={"file": name}, file=name)


@course_rule(
    "C205", Severity.ERROR,
    summary={"en": "A path in the manifest differs from the file on disk in upper/lower case",
             "zh": "清单中的路径与磁盘上的文件大小写不一致"},
    doc={
        "en": RuleDoc(
            what="Each lesson's `file` and the `cover` are spelt exactly as on disk, upper and "
                 "lower case included. The check compares folder listings, so it gives the same "
                 "answer on Windows, macOS and Linux.",
            why="Windows and macOS do not tell Lessons/01.MP4 from lessons/01.mp4, so the course "
                "works on the author's computer; the platforms' servers do, and the lesson is "
                "missing there.",
            fix="Change the path in course.yaml to the real spelling the message names, or "
                "rename the file. Backslashes (lessons\\01.mp4) are accepted and read as /.",
            good="file: Lessons/01.MP4   # and the disk holds Lessons/01.MP4",
            bad="file: lessons/01.mp4   # but the disk holds Lessons/01.MP4"),
        "zh": RuleDoc(
            what="每个微课的 `file` 和 `cover` 与磁盘上的文件名完全一致，包括大小写。"
                 "检查比较的是文件夹列表，因此在 Windows、macOS 和 Linux 上结果相同。",
            why="Windows 和 macOS 不区分 Lessons/01.MP4 与 lessons/01.mp4，课程在作者电脑上能用；"
                "平台服务器区分大小写，上传后就找不到这个微课。",
            fix="把 course.yaml 中的路径改成提示中的实际写法，或给文件改名。"
                "反斜杠路径（lessons\\01.mp4）可以使用，会按 / 读取。",
            good="file: Lessons/01.MP4   # 磁盘上就是 Lessons/01.MP4",
            bad="file: lessons/01.mp4   # 磁盘上实际是 Lessons/01.MP4"),
    },
)
def case_mismatch(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each lesson file (and the cover) whose case differs from the disk's."""
    for lesson in facts.lessons:
        if lesson.path.on_disk:
            yield Problem(args={"file": lesson.file, "actual": lesson.path.on_disk},
                          file=facts.manifest_file,
                          line=facts.manifest_line("lessons", lesson.entry.index, "file"),
                          expected=lesson.path.on_disk, actual=lesson.file)
    cover = facts.cover
    if cover is not None and cover.path.on_disk:
        yield Problem(args={"file": cover.path.written, "actual": cover.path.on_disk},
                      file=facts.manifest_file, line=facts.manifest_line("cover"),
                      expected=cover.path.on_disk, actual=cover.path.written)


def did_you_mean(written: str, files: Sequence[str]) -> str:
    """The file most like ``written``, compared without regard to case first; or ``""``."""
    folded: dict[str, str] = {}
    for name in files:
        folded.setdefault(name.casefold(), name)
    close = difflib.get_close_matches(written.casefold(), list(folded), n=1, cutoff=0.6)
    if close:
        return folded[close[0]]
    exact = difflib.get_close_matches(written, list(files), n=1, cutoff=0.6)
    return exact[0] if exact else ""


@course_rule(
    "C207", Severity.WARNING,
    summary={"en": "A file or folder in the course cannot be looked at",
             "zh": "课程中有无法查看的文件或文件夹"},
    doc={
        "en": RuleDoc(
            what="coursecheck can list every folder of the course and tell what each entry is.",
            why="A folder that may not be entered, or a path longer than the system allows, hides "
                "its files from the check (a forgotten video, C204) and usually from the "
                "platform's upload tool too. The rest of the course is still checked.",
            fix="Give read permission (`chmod -R u+rX course`), shorten deep or long folder "
                "names, or move what does not belong to the course out of its folder.",
            good="lessons/01.mp4 … lessons/10.mp4, all readable",
            bad="drafts/ with permissions d-wx------, or a path of 5,000 characters"),
        "zh": RuleDoc(
            what="coursecheck 能列出课程的每个文件夹，并能判断其中每一项是什么。",
            why="无权进入的文件夹或超出系统长度限制的路径会让其中的文件逃过检查（例如遗漏的视频，"
                "C204），平台的上传工具通常也读不到。课程的其余部分照常检查。",
            fix="授予读取权限（`chmod -R u+rX course`），缩短过深或过长的文件夹名，"
                "或把不属于课程的内容移出课程文件夹。",
            good="lessons/01.mp4 … lessons/10.mp4，全部可读",
            bad="权限为 d-wx------ 的 drafts/，或长达 5000 个字符的路径"),
    },
)
def unreadable_entries(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per file or folder the folder walk could not look at."""
    for path, reason in facts.skipped:
        yield Problem(args={"file": elide(path), "reason": reason}, file=path)

"""Z001–Z005: a course sent as a zip, and the members coursecheck refused to write.

Each refused member is one finding, located in the zip (``course.zip!/lessons/01.mp4``; a
finding on the zip as a whole is at ``course.zip!``). See :mod:`coursecheck.zipcourse`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings
from coursecheck.text import printable


def _refused(facts: CourseFacts, *reasons: str, variants: str = "") -> Iterator[Problem]:
    """One problem per member refused for one of ``reasons``; with ``variants`` (a rule ID) the
    message key is ``ID.reason``."""
    archive = facts.archive
    if archive is None:
        return
    for item in archive.refused:
        if item.reason in reasons:
            yield Problem(key=f"{variants}.{item.reason}" if variants else "",
                          args={"member": printable(item.member), "detail": item.detail,
                                "zip": printable(archive.display)},
                          file=archive.location(item))


@course_rule(
    "Z001", Severity.ERROR,
    summary={"en": "A zip member's path leaves the zip", "zh": "压缩包内文件的路径指向包外"},
    doc={
        "en": RuleDoc(
            what="Every member of a zipped course has a relative path inside the zip: no `..`, "
                 "no absolute path, no drive letter. Such a member is never written.",
            why="Unpacking it would write outside the course folder (a \"zip slip\"); the "
                "platforms refuse such packages.",
            fix="Zip the course folder itself (right-click the folder → Send to → Compressed "
                "folder), not files picked from elsewhere.",
            good="course.zip: course.yaml, lessons/01.mp4",
            bad="course.zip: ../../Windows/evil.dll"),
        "zh": RuleDoc(
            what="课程压缩包中每个文件都是包内的相对路径：不含 `..`、不是绝对路径、没有盘符。"
                 "这样的文件不会被解压。",
            why="解压它会写到课程文件夹之外（“zip slip”），平台会拒收这样的压缩包。",
            fix="直接压缩课程文件夹本身（右键文件夹 → 发送到 → 压缩文件夹），不要从别处挑选文件打包。",
            good="course.zip：course.yaml、lessons/01.mp4",
            bad="course.zip：../../Windows/evil.dll"),
    },
)
def zip_escape(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per member whose path escapes the zip."""
    yield from _refused(facts, "escape")


@course_rule(
    "Z002", Severity.ERROR,
    summary={"en": "A zip member is a symbolic link", "zh": "压缩包内有符号链接"},
    doc={
        "en": RuleDoc(
            what="No member of a zipped course is a symbolic link. Such a member is never "
                 "written.",
            why="A link points at a file outside the package, which the platform will not have; "
                "unpacked, it could make a checker read files it was not given.",
            fix="Put the real file in the folder, then zip it again.",
            good="lessons/01.mp4   # a file",
            bad="lessons/01.mp4 -> /home/me/videos/01.mp4"),
        "zh": RuleDoc(
            what="课程压缩包中没有符号链接。这样的文件不会被解压。",
            why="链接指向包外的文件，平台上不会有；解压后还可能让检查工具读取未交给它的文件。",
            fix="把真正的文件放进文件夹，再重新压缩。",
            good="lessons/01.mp4   # 普通文件",
            bad="lessons/01.mp4 -> /home/me/videos/01.mp4"),
    },
)
def zip_symlink(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per symlink member."""
    yield from _refused(facts, "symlink")


@course_rule(
    "Z003", Severity.ERROR,
    summary={"en": "A zip member is encrypted", "zh": "压缩包内有加密文件"},
    doc={
        "en": RuleDoc(
            what="No member of a zipped course is password-protected.",
            why="Reviewers and the platforms cannot open an encrypted file; coursecheck cannot "
                "check it either.",
            fix="Zip the course again without a password.",
            good="course.zip made without a password",
            bad="course.zip made with “Set password”"),
        "zh": RuleDoc(
            what="课程压缩包中的文件没有设置密码。",
            why="评审和平台都打不开加密的文件，coursecheck 也无法核查。",
            fix="重新压缩课程，不要设置密码。",
            good="未设密码的 course.zip",
            bad="压缩时选择了“设置密码”"),
    },
)
def zip_encrypted(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per encrypted member."""
    yield from _refused(facts, "encrypted")


@course_rule(
    "Z004", Severity.ERROR,
    summary={"en": "The zip unpacks to too much (a zip bomb?)", "zh": "压缩包解压后过大（疑似压缩炸弹）"},
    doc={
        "en": RuleDoc(
            what="A zipped course unpacks to at most `zip_max_bytes` (default 20 GB) in all, and "
                 "no member over 1 MiB decompresses more than `zip_max_ratio` (default 100) "
                 "times its packed size. Otherwise nothing (or that member) is unpacked.",
            why="Video barely compresses; a member that grows a hundredfold is almost certainly "
                "a zip bomb meant to fill the disk of whoever opens it.",
            fix="Send the course folder zipped as it is. If a real course is larger than the "
                "limit, raise `zip_max_bytes` in .coursecheck.yaml.",
            good="course.zip: 2 GB packed, 2.1 GB unpacked",
            bad="course.zip: 40 KB packed, 4 GB unpacked"),
        "zh": RuleDoc(
            what="课程压缩包解压后总大小不超过 `zip_max_bytes`（默认 20 GB），且超过 1 MiB 的文件解压后"
                 "不超过压缩大小的 `zip_max_ratio` 倍（默认 100）。否则不解压（或不解压该文件）。",
            why="视频几乎无法再压缩；解压后膨胀上百倍的文件几乎一定是要塞满磁盘的“压缩炸弹”。",
            fix="直接压缩课程文件夹后发送。如果真实课程确实超过上限，请在 .coursecheck.yaml 中调大 "
                "`zip_max_bytes`。",
            good="course.zip：压缩后 2 GB，解压后 2.1 GB",
            bad="course.zip：压缩后 40 KB，解压后 4 GB"),
    },
)
def zip_too_large(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once for a zip over the total limit, once per member over the ratio limit."""
    yield from _refused(facts, "ratio", "total", "members", variants="Z004")


@course_rule(
    "Z005", Severity.ERROR,
    summary={"en": "The zip, or a member of it, cannot be read", "zh": "压缩包或其中的文件无法读取"},
    doc={
        "en": RuleDoc(
            what="The zip opens, and each member decompresses with a correct checksum.",
            why="A damaged or partly downloaded zip loses lessons; the platform will reject it.",
            fix="Download or copy the zip again; if it is still damaged, ask the sender to zip "
                "the course folder again.",
            good="course.zip that opens in Explorer and unpacks without errors",
            bad="course.zip cut off halfway through the download"),
        "zh": RuleDoc(
            what="压缩包能打开，每个文件都能解压且校验正确。",
            why="损坏或未下载完整的压缩包会丢失微课，平台也会拒收。",
            fix="重新下载或复制压缩包；仍然损坏时，请发送方重新压缩课程文件夹。",
            good="资源管理器能打开、解压无错误的 course.zip",
            bad="下载到一半中断的 course.zip"),
    },
)
def zip_unreadable(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for a zip that does not open, and once per member that does not unpack."""
    for problem in _refused(facts, "unreadable"):
        whole = problem.args["member"] == "."
        yield replace(problem, key="Z005.zip") if whole else problem

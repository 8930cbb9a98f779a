"""V001, V101, V203, V206: the file and its container."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from coursecheck.facts import LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts
from coursecheck.rules.base import Problem, RuleDoc, lesson_rule
from coursecheck.settings import Settings


@lesson_rule(
    "V001", Severity.ERROR, needs_readable_media=False,
    summary={"en": "The file cannot be read as media", "zh": "文件无法作为音视频读取"},
    doc={
        "en": RuleDoc(
            what="The lesson file is a regular, non-empty file that MediaInfo recognises as "
                 "media and that is not truncated.",
            why="An empty, cut-off or corrupt upload cannot be played. Truncation usually means "
                "an interrupted copy or export.",
            fix="Export or copy the lesson again and check it plays to the end. A file that "
                "plays but is damaged can often be rewritten: "
                "`ffmpeg -i broken.mp4 -c copy -movflags +faststart fixed.mp4`.",
            good="lessons/01.mp4   # 183 s of H.264 video",
            bad="lessons/01.mp4   # 0 bytes, or the first 300 KB of a 40 MB file"),
        "zh": RuleDoc(
            what="微课文件是非空的普通文件，MediaInfo 能识别为音视频，且没有被截断。",
            why="空文件、不完整或损坏的上传无法播放；被截断通常是复制或导出中途中断。",
            fix="重新导出或复制，并确认能完整播放。能播放但有损坏的文件往往可以重写："
                "`ffmpeg -i broken.mp4 -c copy -movflags +faststart fixed.mp4`。",
            good="lessons/01.mp4   # 183 秒的 H.264 视频",
            bad="lessons/01.mp4   # 0 字节，或 40 MB 文件只复制了前 300 KB"),
    },
)
def media_readable(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when probing found the file empty, truncated, unknown or unreadable."""
    if media.error:
        yield Problem(key=f"V001.{media.error}", args={"detail": media.error_detail})


@lesson_rule(
    "V101", Severity.ERROR,
    summary={"en": "The file is not an MP4", "zh": "文件不是 MP4 格式"},
    doc={
        "en": RuleDoc(
            what="The container is ISO base media MP4 and the name ends in .mp4. A QuickTime "
                 ".mov (MediaInfo: Format MPEG-4, profile QuickTime) or a Matroska/AVI/FLV file "
                 "renamed to .mp4 fails.",
            why="Annex 2 requires MP4 (技术要求：MP4 格式). Renaming does not change the container; "
                "the platforms reject or fail to transcode such files.",
            fix="Rewrap without re-encoding when the video is already H.264: "
                "`ffmpeg -i lesson.mov -c copy -movflags +faststart lesson.mp4`; otherwise "
                "re-encode: `ffmpeg -i lesson.mkv -c:v libx264 -pix_fmt yuv420p -r 25 -c:a aac "
                "-movflags +faststart lesson.mp4`.",
            good="lessons/01.mp4   # Format: MPEG-4, Base Media",
            bad="lessons/01.mov, or lessons/01.mp4 that is really Matroska"),
        "zh": RuleDoc(
            what="封装格式为 ISO 基础媒体 MP4，且扩展名为 .mp4。QuickTime .mov（MediaInfo 显示 "
                 "Format MPEG-4、profile QuickTime）或改了扩展名的 Matroska/AVI/FLV 都不合格。",
            why="附件2要求 MP4 格式。改扩展名不会改变封装，平台会拒收或转码失败。",
            fix="视频已是 H.264 时只需重新封装：`ffmpeg -i lesson.mov -c copy -movflags +faststart "
                "lesson.mp4`；否则重新编码：`ffmpeg -i lesson.mkv -c:v libx264 -pix_fmt yuv420p "
                "-r 25 -c:a aac -movflags +faststart lesson.mp4`。",
            good="lessons/01.mp4   # Format: MPEG-4, Base Media",
            bad="lessons/01.mov，或实为 Matroska 的 lessons/01.mp4"),
    },
)
def container_is_mp4(lesson: LessonFacts, media: MediaFacts, settings: Settings
                     ) -> Iterator[Problem]:
    """Fires for a non-MP4 container, a QuickTime file, or a name not ending in .mp4."""
    suffix = PurePosixPath(lesson.file).suffix.lower()
    if media.container != "MPEG-4":
        yield Problem(key="V101.container", args={"container": media.container},
                      expected="MPEG-4", actual=str(media.container))
    elif media.container_profile == "QuickTime":
        yield Problem(key="V101.quicktime", expected="MPEG-4 Base Media",
                      actual="MPEG-4 QuickTime")
    elif suffix != ".mp4":
        yield Problem(key="V101.extension", args={"suffix": suffix or "(none)"},
                      expected=".mp4", actual=suffix or "(none)")


@lesson_rule(
    "V203", Severity.WARNING,
    summary={"en": "The moov box is after the media data (not fast start)",
             "zh": "moov 索引位于文件末尾（未做 faststart）"},
    doc={
        "en": RuleDoc(
            what="The MP4 index (moov box) comes before the media data, so playback can start "
                 "before the whole file downloads (MediaInfo: IsStreamable = Yes).",
            why="Learners on slow connections otherwise wait for the whole lesson to download.",
            fix="`ffmpeg -i lesson.mp4 -c copy -movflags +faststart lesson-fast.mp4` (no "
                "re-encoding, takes seconds).",
            good="an MP4 written with -movflags +faststart",
            bad="an MP4 straight from most screen recorders"),
        "zh": RuleDoc(
            what="MP4 的索引（moov）位于媒体数据之前，下载未完成即可开始播放（MediaInfo："
                 "IsStreamable = Yes）。",
            why="否则网速慢的学员要等整个视频下载完才能播放。",
            fix="`ffmpeg -i lesson.mp4 -c copy -movflags +faststart lesson-fast.mp4`（不重新编码，"
                "几秒完成）。",
            good="用 -movflags +faststart 写出的 MP4",
            bad="多数录屏软件直接导出的 MP4"),
    },
)
def fast_start(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when MediaInfo says the file is not streamable."""
    if media.container == "MPEG-4" and media.streamable is False:
        yield Problem(expected="faststart", actual="moov at end")


@lesson_rule(
    "V206", Severity.WARNING,
    summary={"en": "The file's encoded date is before 2022-06-01",
             "zh": "文件的编码日期早于 2022-06-01"},
    doc={
        "en": RuleDoc(
            what="The container's encoded date, when present, is on or after 2022-06-01. Dates "
                 "before 1971 are treated as unset.",
            why="Annex 2 accepts only resources created after June 2022; an older encoded date "
                "hints that an old recording was reused. It is a hint, so a warning.",
            fix="If the lesson really is new, the date came from a wrong camera clock or an "
                "export setting; re-export it. Otherwise replace it with a new recording.",
            good="Encoded date: 2023-04-02",
            bad="Encoded date: 2019-11-20"),
        "zh": RuleDoc(
            what="文件封装中的编码日期（如有）不早于 2022-06-01；早于 1971 年的日期视为未设置。",
            why="附件2只接受 2022 年 6 月以后新建的资源；更早的编码日期提示可能复用了旧录像。"
                "这只是提示，所以是警告。",
            fix="若确为新课，日期多来自相机时钟或导出设置错误，重新导出即可；否则请换用新录制的视频。",
            good="Encoded date: 2023-04-02",
            bad="Encoded date: 2019-11-20"),
    },
)
def encoded_date(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the encoded date is set and before the cut-off."""
    if media.encoded_date is not None and media.encoded_date < settings.min_created:
        yield Problem(args={"date": media.encoded_date.isoformat(),
                            "limit": settings.min_created.isoformat()},
                      expected=f"≥{settings.min_created.isoformat()}",
                      actual=media.encoded_date.isoformat())

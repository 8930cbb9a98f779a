"""D001–D003: what decoding every packet shows about a file's integrity and timing (``--deep``)."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.deep.facts import DeepFacts
from coursecheck.facts import LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts
from coursecheck.rules.base import Problem, RuleDoc, lesson_rule
from coursecheck.rules.deep_time import clock
from coursecheck.settings import Settings


def claimed_s(media: MediaFacts) -> float | None:
    """The duration the header claims (the video track's), or ``None``."""
    return media.video.duration_s if media.video and media.video.duration_s else None


def cut_short(deep: DeepFacts, media: MediaFacts, settings: Settings) -> bool:
    """Whether decoding ended more than the allowed margin before the claimed duration."""
    claimed = claimed_s(media)
    if deep.failure or claimed is None:
        return bool(deep.failure)
    return (deep.decoded_s or 0.0) < claimed - settings.truncated_max_seconds


@lesson_rule(
    "D001", Severity.ERROR, needs_readable_media=False,
    summary={"en": "The file has corrupt data that does not decode",
             "zh": "文件有无法解码的损坏数据"},
    doc={
        "en": RuleDoc(
            what="With `--deep`, every packet is decoded; any decoder error (`error while "
                 "decoding`, an invalid NAL unit, invalid data) in the video or audio track "
                 "fires. The message gives the number of errors and about when the first one is.",
            why="A header can be perfect while a few damaged bytes in the middle make the picture "
                "fall apart or the sound crackle at one point. Only decoding finds it.",
            fix="Re-export the lesson from the editing project, or copy it again from the "
                "original recording; re-encoding a damaged file keeps the damage. Watch the "
                "lesson around the time given to see the damage.",
            good="(decodes with no error)",
            bad="81 decode errors; the first at 3:12.4"),
        "zh": RuleDoc(
            what="使用 `--deep` 时解码每一个数据包；视频或音频轨道出现任何解码错误（error while "
                 "decoding、无效 NAL 单元、无效数据）即触发。提示给出错误数和第一个错误的大致时间。",
            why="文件头可能完全正常，但中间几个损坏的字节就会让画面在某处花屏、声音出现爆音。只有解码才能发现。",
            fix="从剪辑工程重新导出，或从原始素材重新复制；对损坏文件重新编码会保留损坏。可在提示的时间附近"
                "观看以确认。",
            good="（解码无错误）",
            bad="81 个解码错误，第一个在 3:12.4"),
    },
)
def decode_errors(lesson: LessonFacts, media: MediaFacts,
                  settings: Settings) -> Iterator[Problem]:
    """Fires once when the decoder reported any error."""
    deep = lesson.deep
    if deep is not None and deep.decode_errors:
        sample = deep.error_lines[0] if deep.error_lines else ""
        yield Problem(args={"count": deep.decode_errors, "at": clock(deep.first_error_s),
                            "sample": sample},
                      expected="0 decode errors", actual=f"{deep.decode_errors} decode errors")


@lesson_rule(
    "D002", Severity.ERROR, needs_readable_media=False,
    summary={"en": "Decoding stops before the end the header claims",
             "zh": "解码在文件头声明的时长之前就结束了"},
    doc={
        "en": RuleDoc(
            what="With `--deep`, the last decoded packet ends no more than "
                 "`truncated_max_seconds` (1 s) before the duration in the header. A decode that "
                 "ffmpeg could not finish within its time limit also fires.",
            why="A copy that stopped early, or a damaged tail, leaves a file whose header promises "
                "the whole lesson while the end is missing; players stop or freeze there.",
            fix="Copy the file again from the original and compare sizes, or re-export it. "
                "Re-encoding the broken file cannot bring back the missing part.",
            good="decoded to 9:58.0 of 9:58.0",
            bad="decoded to 4:59.2, the header claims 9:58.0"),
        "zh": RuleDoc(
            what="使用 `--deep` 时，最后解码到的位置不早于文件头时长减 `truncated_max_seconds`（1 秒）。"
                 "ffmpeg 在时限内未能完成解码也会触发。",
            why="复制中断或文件尾部损坏后，文件头仍声明完整时长，但结尾已缺失；播放到那里会停止或卡住。",
            fix="从原始文件重新复制并核对大小，或重新导出。对残缺文件重新编码无法找回缺失部分。",
            good="解码到 9:58.0，共 9:58.0",
            bad="只解码到 4:59.2，文件头声明 9:58.0"),
    },
)
def cut_off(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when decoding ended early, or ffmpeg had to be stopped."""
    deep = lesson.deep
    if deep is None or not cut_short(deep, media, settings):
        return
    claimed = claimed_s(media)
    if deep.failure:
        yield Problem(key=f"D002.{deep.failure}", args={"detail": deep.failure_detail,
                                                        "claimed": clock(claimed)})
        return
    yield Problem(args={"decoded": clock(deep.decoded_s or 0.0), "claimed": clock(claimed)},
                  expected=clock(claimed), actual=clock(deep.decoded_s or 0.0))


@lesson_rule(
    "D003", Severity.WARNING, needs_readable_media=False,
    summary={"en": "Frames are missing, doubled or unevenly timed",
             "zh": "帧丢失、重复或时间戳不均匀"},
    doc={
        "en": RuleDoc(
            what="With `--deep`, the number of video frames is within `frame_count_tolerance` "
                 "(1%) of duration × frame rate, and no frame timestamp goes backwards or jumps "
                 "by more than `timestamp_jump_max_seconds` (0.5 s).",
            why="Dropped or doubled frames and hidden variable timing make the picture stutter "
                "and drift out of step with the voice, although the header says 25 fps.",
            fix="Re-encode at a constant frame rate: `ffmpeg -i lesson.mp4 -vf fps=25 -c:v "
                "libx264 -crf 20 -c:a copy -movflags +faststart out.mp4`, or `coursecheck fix`.",
            good="1500 frames for 60 s at 25 fps",
            bad="1380 frames, 1500 expected"),
        "zh": RuleDoc(
            what="使用 `--deep` 时，视频帧数与“时长×帧率”相差不超过 `frame_count_tolerance`（1%），"
                 "且帧时间戳不倒退、不跳变超过 `timestamp_jump_max_seconds`（0.5 秒）。",
            why="丢帧、重复帧或隐藏的可变帧率会让画面卡顿、声画逐渐不同步，尽管文件头写的是 25 帧/秒。",
            fix="以恒定帧率重新编码：`ffmpeg -i lesson.mp4 -vf fps=25 -c:v libx264 -crf 20 -c:a copy "
                "-movflags +faststart out.mp4`，或使用 `coursecheck fix`。",
            good="60 秒 25 帧/秒共 1500 帧",
            bad="1380 帧，应为 1500 帧"),
    },
)
def frame_timing(lesson: LessonFacts, media: MediaFacts,
                 settings: Settings) -> Iterator[Problem]:
    """Fires on a frame count off by more than the tolerance, or on backward or jumping time."""
    deep = lesson.deep
    video = media.video
    if deep is None or deep.video is None or video is None or cut_short(deep, media, settings):
        return
    if video.duration_s and video.frame_rate and deep.frames is not None:
        expected = round(video.duration_s * video.frame_rate)
        if abs(deep.frames - expected) > settings.frame_count_tolerance * expected:
            yield Problem(key="D003.count", args={"frames": deep.frames, "expected": expected},
                          expected=str(expected), actual=str(deep.frames))
            return
    if deep.video.backwards:
        yield Problem(key="D003.backwards", args={"count": deep.video.backwards})
    elif deep.video.max_gap_s > settings.timestamp_jump_max_seconds:
        yield Problem(key="D003.jump", args={"gap": f"{deep.video.max_gap_s:.2f}",
                                             "limit": f"{settings.timestamp_jump_max_seconds:g}"})

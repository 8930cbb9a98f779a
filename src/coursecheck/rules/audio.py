"""V204, V205: the audio track."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.facts import LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts
from coursecheck.rules.base import Problem, RuleDoc, lesson_rule
from coursecheck.settings import Settings


@lesson_rule(
    "V204", Severity.WARNING,
    summary={"en": "There is no audio track", "zh": "没有音频轨道"},
    doc={
        "en": RuleDoc(
            what="The lesson has an audio track.",
            why="A lesson without sound is usually an export with the audio switched off. A "
                "deliberately silent lesson can keep this warning or turn V204 off.",
            fix="Re-export with audio. For a silent lesson, add a silent track so players "
                "behave: `ffmpeg -i lesson.mp4 -f lavfi -i anullsrc=r=48000:cl=stereo -c:v copy "
                "-c:a aac -shortest -movflags +faststart out.mp4`.",
            good="Audio: AAC LC, 48 kHz, 2 channels",
            bad="(no audio track)"),
        "zh": RuleDoc(
            what="微课含有音频轨道。",
            why="没有声音的微课通常是导出时关闭了音频。确实无声的微课可保留此警告或关闭 V204。",
            fix="重新导出并带上音频。无声微课可加一条静音轨以便播放器正常工作："
                "`ffmpeg -i lesson.mp4 -f lavfi -i anullsrc=r=48000:cl=stereo -c:v copy "
                "-c:a aac -shortest -movflags +faststart out.mp4`。",
            good="Audio: AAC LC, 48 kHz, 2 channels",
            bad="（没有音频轨道）"),
    },
)
def has_audio(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when a file with video has no audio track."""
    if media.video is not None and not media.audio_formats:
        yield Problem(expected="AAC audio", actual="no audio track")


@lesson_rule(
    "V205", Severity.WARNING,
    summary={"en": "The audio codec is not AAC", "zh": "音频编码不是 AAC"},
    doc={
        "en": RuleDoc(
            what="Every audio track is AAC.",
            why="AAC is the audio codec every MP4 player supports; MP3, AC-3 or PCM in MP4 fails "
                "on some browsers and phones.",
            fix="Re-encode the audio only: `ffmpeg -i lesson.mp4 -c:v copy -c:a aac -b:a 128k "
                "-movflags +faststart out.mp4`.",
            good="Audio: AAC LC",
            bad="Audio: MPEG Audio Layer 3"),
        "zh": RuleDoc(
            what="所有音频轨道都是 AAC。",
            why="AAC 是所有 MP4 播放器都支持的音频编码；MP4 中的 MP3、AC-3、PCM 在部分浏览器和手机上无法播放。",
            fix="只重新编码音频：`ffmpeg -i lesson.mp4 -c:v copy -c:a aac -b:a 128k "
                "-movflags +faststart out.mp4`。",
            good="Audio: AAC LC",
            bad="Audio: MPEG Audio Layer 3"),
    },
)
def audio_aac(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once when any audio track is not AAC."""
    others = list(dict.fromkeys(fmt for fmt in media.audio_formats if fmt != "AAC"))
    if others:
        yield Problem(args={"codec": ", ".join(others)}, expected="AAC", actual=", ".join(others))

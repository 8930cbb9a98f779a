"""D101–D106: black, frozen and silent stretches, loudness, peaks and track alignment
(``--deep``). Every threshold is a setting; see docs/en/deep.md."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.deep.facts import DeepFacts
from coursecheck.facts import LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts
from coursecheck.rules.base import Problem, RuleDoc, lesson_rule
from coursecheck.rules.deep_time import clock, long_enough, spans_text
from coursecheck.settings import Settings

SILENT_LUFS = -70.0  # what ebur128 reports when nothing rises above its absolute gate
AAC_PRIMING_S = 0.021


def _doc(what: str, why: str, fix: str, good: str, bad: str) -> RuleDoc:
    return RuleDoc(what=what, why=why, fix=fix, good=good, bad=bad)


def wholly_silent(deep: DeepFacts) -> bool:
    """Whether the lesson's whole audio is silence."""
    audio = deep.audio
    if deep.loudness_lufs is not None and deep.loudness_lufs <= SILENT_LUFS:
        return True
    if audio is None or audio.end_s is None:
        return False
    start = audio.start_s or 0.0
    return any(a <= start + 0.5 and b >= audio.end_s - 0.5 for a, b in deep.silent)


@lesson_rule(
    "D101", Severity.WARNING, needs_readable_media=False,
    summary={"en": "The picture is black for a while", "zh": "画面长时间全黑"},
    doc={"en": _doc(
        "With `--deep` (full), no black picture lasts `black_min_seconds` (2 s) or more.",
        "A stretch of black usually means a recorder stalled, a clip is missing from the edit, "
        "or a fade was left far too long; learners think the video broke.",
        "Find the times in the message in the editing project and fill or cut the gap.",
        "(no black stretch)", "black 0:02.0–0:05.0"),
        "zh": _doc(
        "使用 `--deep`（full）时，全黑画面不持续 `black_min_seconds`（2 秒）或更久。",
        "长时间黑屏通常是录制中断、剪辑中缺了素材或淡入淡出过长；学习者会以为视频坏了。",
        "在剪辑工程中找到提示的时间段，补上或剪掉这段空白。",
        "（没有黑屏段）", "黑屏 0:02.0–0:05.0")},
)
def black(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once, listing every black span long enough."""
    spans = long_enough(lesson.deep.black, settings.black_min_seconds) if lesson.deep else []
    if spans:
        yield Problem(args={"spans": spans_text(spans), "count": len(spans),
                            "limit": f"{settings.black_min_seconds:g}"})


@lesson_rule(
    "D102", Severity.WARNING, needs_readable_media=False,
    summary={"en": "The picture does not change for a long time", "zh": "画面长时间静止不变"},
    doc={"en": _doc(
        "With `--deep` (full), the picture never stays unchanged for `freeze_min_seconds` "
        "(120 s) or more. Black stretches are D101's and are not counted again.",
        "A frozen picture over continuing sound usually means the screen recorder or camera "
        "stalled. Annex 2 allows pure-audio lessons with a still picture: for such a course, "
        "raise `freeze_min_seconds` or turn D102 off (`rules: {D102: off}`).",
        "Re-record or re-export the stretch given in the message.",
        "(no frozen stretch)", "frozen 1:00.0–3:30.0"),
        "zh": _doc(
        "使用 `--deep`（full）时，画面静止不变不达到 `freeze_min_seconds`（120 秒）。黑屏段归 D101，"
        "不重复计算。",
        "声音继续而画面冻结，通常是录屏软件或摄像机卡住了。附件2允许纯音频微课配静态画面：这类课程可调高 "
        "`freeze_min_seconds` 或关闭 D102（`rules: {D102: off}`）。",
        "重新录制或重新导出提示的时间段。",
        "（没有静止段）", "静止 1:00.0–3:30.0")},
)
def frozen(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once, listing every frozen span long enough."""
    spans = long_enough(lesson.deep.frozen, settings.freeze_min_seconds) if lesson.deep else []
    if spans:
        yield Problem(args={"spans": spans_text(spans), "count": len(spans),
                            "limit": f"{settings.freeze_min_seconds:g}"})


@lesson_rule(
    "D103", Severity.WARNING, needs_readable_media=False,
    summary={"en": "The sound is silent for a long time", "zh": "声音长时间静音"},
    doc={"en": _doc(
        "With `--deep`, no silence (below `silence_db`, −50 dBFS) lasts `silence_min_seconds` "
        "(10 s) or more. A wholly silent lesson gets one finding, not one per stretch.",
        "A muted microphone or a missing audio clip leaves learners listening to nothing.",
        "Check the microphone track in the editing project at the times given; re-export.",
        "(no long silence)", "silent 0:20.0–0:32.0"),
        "zh": _doc(
        "使用 `--deep` 时，静音（低于 `silence_db`，−50 dBFS）不持续 `silence_min_seconds`（10 秒）或"
        "更久。整节无声只报一条，不逐段报告。",
        "麦克风被静音或缺少音频素材，学习者什么也听不到。",
        "在剪辑工程中检查提示时间段的话筒音轨，然后重新导出。",
        "（没有长静音）", "静音 0:20.0–0:32.0")},
)
def silence(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once for a wholly silent lesson, else once listing the long silent spans."""
    deep = lesson.deep
    if deep is None or deep.audio is None:
        return
    if wholly_silent(deep):
        yield Problem(key="D103.whole")
        return
    spans = long_enough(deep.silent, settings.silence_min_seconds)
    if spans:
        yield Problem(args={"spans": spans_text(spans), "count": len(spans),
                            "limit": f"{settings.silence_min_seconds:g}"})


@lesson_rule(
    "D104", Severity.WARNING, needs_readable_media=False,
    summary={"en": "The lesson is too quiet or too loud", "zh": "微课音量过小或过大"},
    doc={"en": _doc(
        "With `--deep`, integrated loudness (EBU R 128 / ITU-R BS.1770) is within "
        "`loudness_target` ± `loudness_tolerance`: −18 ± 4 LUFS in the default `streaming` "
        "profile, −23 ± 1 in `ebu-r128`.",
        "−18 LUFS is the AES TD1008 anchor for speech in streamed and on-demand audio. A quiet "
        "lesson makes learners turn their phones to full volume; the next lesson then blasts.",
        "`coursecheck fix` normalises the audio to −18 LUFS and keeps the picture untouched; "
        "by hand: `ffmpeg -i lesson.mp4 -c:v copy -af loudnorm=I=-18:TP=-1.5 -c:a aac out.mp4`.",
        "−17.6 LUFS", "−30.2 LUFS (range −22…−14)"),
        "zh": _doc(
        "使用 `--deep` 时，整体响度（EBU R 128 / ITU-R BS.1770）在 `loudness_target` ± "
        "`loudness_tolerance` 之内：默认 `streaming` 配置为 −18 ± 4 LUFS，`ebu-r128` 为 −23 ± 1。",
        "−18 LUFS 是 AES TD1008 为流媒体和点播语音建议的基准。声音太小，学习者会把手机音量开到最大，"
        "到下一节就被吓一跳。",
        "`coursecheck fix` 会把音频响度规范到 −18 LUFS，画面原样保留；手动可用 `ffmpeg -i lesson.mp4 "
        "-c:v copy -af loudnorm=I=-18:TP=-1.5 -c:a aac out.mp4`。",
        "−17.6 LUFS", "−30.2 LUFS（范围 −22…−14）")},
)
def loudness(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when integrated loudness is outside the window (not for a wholly silent lesson)."""
    deep = lesson.deep
    if deep is None or deep.loudness_lufs is None or wholly_silent(deep):
        return
    low = settings.loudness_target - settings.loudness_tolerance
    high = settings.loudness_target + settings.loudness_tolerance
    if not low <= deep.loudness_lufs <= high:
        key = "D104.quiet" if deep.loudness_lufs < low else "D104.loud"
        yield Problem(key=key, args={"lufs": f"{deep.loudness_lufs:.1f}", "low": f"{low:g}",
                                     "high": f"{high:g}", "profile": settings.loudness_profile},
                      expected=f"{low:g}…{high:g} LUFS", actual=f"{deep.loudness_lufs:.1f} LUFS")


@lesson_rule(
    "D105", Severity.WARNING, needs_readable_media=False,
    summary={"en": "The audio peaks too high or is clipped", "zh": "音频峰值过高或削波"},
    doc={"en": _doc(
        "With `--deep`, the true peak is at most `true_peak_max` (−1 dBTP). A true peak above "
        "0 dBTP or a sample peak above 0 dBFS means clipped audio, and the message says so.",
        "Peaks above −1 dBTP distort when phones and browsers decode and resample the sound; "
        "clipping is audible as crackle. After AAC encoding clipped audio no longer shows flat "
        "tops, so it is judged by its peaks.",
        "Lower the level or add a limiter in the editor; `coursecheck fix` normalises with a "
        "true-peak ceiling of −1.5 dBTP.",
        "true peak −2.3 dBTP", "true peak +1.2 dBTP, sample peak +0.4 dBFS: clipped"),
        "zh": _doc(
        "使用 `--deep` 时，真峰值不超过 `true_peak_max`（−1 dBTP）。真峰值高于 0 dBTP 或采样峰值高于 "
        "0 dBFS 表示音频已削波，提示中会写明。",
        "峰值高于 −1 dBTP 时，手机和浏览器解码重采样会失真；削波听起来是爆音。AAC 编码后削波不再表现为"
        "平顶，所以按峰值判断。",
        "在剪辑软件中降低电平或加限幅器；`coursecheck fix` 规范响度时把真峰值限制在 −1.5 dBTP。",
        "真峰值 −2.3 dBTP", "真峰值 +1.2 dBTP，采样峰值 +0.4 dBFS：已削波")},
)
def peaks(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the true peak is over the ceiling; says ``clipped`` when over full scale."""
    deep = lesson.deep
    if deep is None or deep.true_peak_dbtp is None:
        return
    if deep.true_peak_dbtp > settings.true_peak_max:
        sample = deep.sample_peak_dbfs
        clipped = deep.true_peak_dbtp > 0 or (sample is not None and sample > 0)
        yield Problem(key="D105.clipped" if clipped else "D105",
                      args={"true": f"{deep.true_peak_dbtp:+.1f}",
                            "sample": f"{sample:+.1f}" if sample is not None else "?",
                            "limit": f"{settings.true_peak_max:g}"},
                      expected=f"≤{settings.true_peak_max:g} dBTP",
                      actual=f"{deep.true_peak_dbtp:+.1f} dBTP")


@lesson_rule(
    "D106", Severity.WARNING, needs_readable_media=False,
    summary={"en": "Sound and picture start or end apart", "zh": "声音与画面的起止不一致"},
    doc={"en": _doc(
        "With `--deep`, the audio track ends within `av_end_max_seconds` (1 s) of the video "
        "track and starts within `av_start_max_seconds` (0.2 s) of it, after AAC's priming "
        "delay of about 21 ms.",
        "Audio that starts late or ends early is out of step with the picture, or leaves the "
        "end of the lesson mute; some players stop when the shorter track ends.",
        "Re-export with audio and video on one timeline; `coursecheck fix` re-muxes them.",
        "video 0:00.0–1:00.0, audio 0:00.0–1:00.0",
        "video 0:00.0–1:00.0, audio 0:00.0–0:57.0"),
        "zh": _doc(
        "使用 `--deep` 时，音频轨道的结束时间与视频相差不超过 `av_end_max_seconds`（1 秒），开始时间"
        "相差不超过 `av_start_max_seconds`（0.2 秒，已扣除 AAC 约 21 毫秒的预滚延迟）。",
        "声音晚开始或早结束会与画面不同步，或让结尾没有声音；有些播放器在较短的轨道结束时就停止。",
        "把音视频放在同一时间线上重新导出；`coursecheck fix` 会重新封装。",
        "视频 0:00.0–1:00.0，音频 0:00.0–1:00.0",
        "视频 0:00.0–1:00.0，音频 0:00.0–0:57.0")},
)
def alignment(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once when the tracks' starts or ends are too far apart."""
    deep = lesson.deep
    video, audio = (deep.video, deep.audio) if deep else (None, None)
    if video is None or audio is None or None in (video.start_s, video.end_s, audio.start_s,
                                                  audio.end_s):
        return
    assert video.start_s is not None and audio.start_s is not None
    assert video.end_s is not None and audio.end_s is not None
    start_off = abs(audio.start_s - video.start_s) > settings.av_start_max_seconds + AAC_PRIMING_S
    end_off = abs(audio.end_s - video.end_s) > settings.av_end_max_seconds
    if start_off or end_off:
        yield Problem(args={"v_start": clock(video.start_s), "v_end": clock(video.end_s),
                            "a_start": clock(audio.start_s), "a_end": clock(audio.end_s)},
                      expected=f"audio {clock(video.start_s)}–{clock(video.end_s)}",
                      actual=f"audio {clock(audio.start_s)}–{clock(audio.end_s)}")

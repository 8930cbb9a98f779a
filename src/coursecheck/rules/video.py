"""V102–V108, V201, V202: the video track against 附件2's technical requirements."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.facts import LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts, VideoFacts
from coursecheck.rules.base import Problem, RuleDoc, lesson_rule
from coursecheck.settings import Settings
from coursecheck.text import format_duration

_ENCODE = ("ffmpeg -i in.mp4 -vf \"scale=1280:720:force_original_aspect_ratio=decrease,"
           "pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=25\" -c:v libx264 -profile:v high "
           "-pix_fmt yuv420p -crf 20 -c:a aac -b:a 128k -movflags +faststart out.mp4")


def _doc(en: tuple[str, str, str, str, str], zh: tuple[str, str, str, str, str]
         ) -> dict[str, RuleDoc]:
    return {"en": RuleDoc(*en), "zh": RuleDoc(*zh)}


@lesson_rule(
    "V102", Severity.ERROR,
    summary={"en": "There is no video track", "zh": "没有视频轨道"},
    doc=_doc(
        ("The file has a video track.",
         "Annex 2 allows video, animation or pure audio, but every lesson is still delivered as "
         "an H.264 MP4; an audio-only lesson goes out as audio over a still picture.",
         "`ffmpeg -loop 1 -framerate 25 -i cover.jpg -i lesson.m4a -vf \"scale=1280:720:"
         "force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1\" "
         "-c:v libx264 -tune stillimage -pix_fmt yuv420p -c:a aac -shortest "
         "-movflags +faststart lesson.mp4`",
         "an MP4 with an H.264 track showing the cover while the narration plays",
         "an .mp4 holding only an AAC track"),
        ("文件含有视频轨道。",
         "附件2允许视频、动画或纯音频形式，但交付时都须是 H.264 MP4；纯音频微课应做成“静态画面 + 音频”。",
         "`ffmpeg -loop 1 -framerate 25 -i cover.jpg -i lesson.m4a -vf \"scale=1280:720:"
         "force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1\" "
         "-c:v libx264 -tune stillimage -pix_fmt yuv420p -c:a aac -shortest "
         "-movflags +faststart lesson.mp4`",
         "以封面为画面、配有讲解音频的 H.264 MP4",
         "只含 AAC 音轨的 .mp4")),
)
def has_video(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the file has no video track."""
    if media.video is None:
        yield Problem(expected="H.264 video", actual="no video track")


@lesson_rule(
    "V103", Severity.ERROR,
    summary={"en": "The video codec is not H.264/AVC", "zh": "视频编码不是 H.264/AVC"},
    doc=_doc(
        ("The video track is H.264 (MediaInfo: Format AVC).",
         "Annex 2 requires H.264 (编码：H.264); HEVC, VP9, AV1 and MPEG-4 Part 2 do not play "
         "everywhere the courses are published.",
         _ENCODE, "Format: AVC", "Format: HEVC"),
        ("视频轨道为 H.264（MediaInfo：Format AVC）。",
         "附件2要求编码为 H.264；HEVC、VP9、AV1、MPEG-4 Part 2 在发布平台上不能普遍播放。",
         _ENCODE, "Format: AVC", "Format: HEVC")),
)
def codec_h264(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the first video track is not AVC."""
    if media.video is not None and media.video.format != "AVC":
        yield Problem(args={"codec": media.video.format}, expected="AVC",
                      actual=media.video.format)


def displayed_size(video: VideoFacts) -> tuple[int, int] | None:
    """The picture as a player shows it: pixel aspect ratio and quarter-turn rotation applied."""
    if not video.width or not video.height:
        return None
    width = round(video.width * video.pixel_aspect_ratio)
    height = video.height
    if round(video.rotation) % 180 == 90:
        width, height = height, width
    return width, height


@lesson_rule(
    "V104", Severity.ERROR,
    summary={"en": "The picture is not 1280×720", "zh": "画面分辨率不是 1280×720"},
    doc=_doc(
        ("The stored frame is 1280×720 with square pixels and no 90°/270° rotation flag, so both "
         "the stored and the displayed picture are 1280×720.",
         "Annex 2 requires 1280*720P. A 1920×1080 export, a portrait phone clip (stored 1280×720 "
         "but flagged to rotate) and an anamorphic frame (non-square pixels) all display at "
         "another size.",
         _ENCODE, "Width 1280, Height 720, Pixel aspect ratio 1.000, Rotation 0",
         "Width 1920, Height 1080 — or 1280×720 with Rotation 90"),
        ("存储的画面为 1280×720、像素为正方形、没有 90°/270° 旋转标记，即存储与显示都为 1280×720。",
         "附件2要求分辨率 1280*720P。1920×1080 的导出、带旋转标记的竖屏手机视频、非方形像素的"
         "画面显示出来都不是 1280×720。",
         _ENCODE, "Width 1280, Height 720, Pixel aspect ratio 1.000, Rotation 0",
         "Width 1920, Height 1080，或 1280×720 但 Rotation 90")),
)
def resolution(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires unless both the stored and the displayed size are the required size."""
    video = media.video
    if video is None:
        return
    want = (settings.width, settings.height)
    shown = displayed_size(video)
    stored = (video.width, video.height)
    if stored == want and shown == want:
        return
    actual = f"{video.width}×{video.height}"
    notes = []
    if abs(video.pixel_aspect_ratio - 1.0) > 0.01:
        notes.append(f"PAR {video.pixel_aspect_ratio:.3f}")
    if round(video.rotation) % 180 == 90:
        notes.append(f"rotation {round(video.rotation)}°")
    if notes and shown:
        actual += f" ({', '.join(notes)} → {shown[0]}×{shown[1]})"
    yield Problem(args={"actual": actual, "expected": f"{want[0]}×{want[1]}"},
                  expected=f"{want[0]}×{want[1]}", actual=actual)


@lesson_rule(
    "V105", Severity.ERROR,
    summary={"en": "The frame rate is not 25 fps", "zh": "帧率不是 25 fps"},
    doc=_doc(
        ("The constant frame rate is 25 fps, within 0.01 fps. 29.97, 30 and 24 fail. A variable "
         "frame rate is V106's to report.",
         "Annex 2 requires a frame rate of 25 (帧率：25), the PAL rate Chinese broadcast uses.",
         _ENCODE, "Frame rate: 25.000 FPS (CFR)", "Frame rate: 29.970 FPS"),
        ("恒定帧率为 25 fps，允许误差 0.01。29.97、30、24 都不合格。可变帧率由 V106 报告。",
         "附件2要求帧率为 25（我国广播电视使用的 PAL 帧率）。",
         _ENCODE, "Frame rate: 25.000 FPS (CFR)", "Frame rate: 29.970 FPS")),
)
def frame_rate(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for a constant (or unknown-mode) frame rate away from the target."""
    video = media.video
    if video is None or video.frame_rate_mode == "VFR":
        return
    fps = video.frame_rate
    if fps is None or abs(fps - settings.frame_rate) > settings.frame_rate_tolerance:
        actual = "unknown" if fps is None else f"{fps:.3f}".rstrip("0").rstrip(".")
        yield Problem(args={"fps": actual, "expected": f"{settings.frame_rate:g}"},
                      expected=f"{settings.frame_rate:g}", actual=actual)


@lesson_rule(
    "V106", Severity.ERROR,
    summary={"en": "The frame rate is variable", "zh": "帧率为可变帧率（VFR）"},
    doc=_doc(
        ("The frame rate mode is constant (MediaInfo: Frame rate mode CFR).",
         "Annex 2 asks for 25 fps; a variable frame rate (common from phones and screen "
         "recorders) is not 25 fps and drifts out of sync after transcoding.",
         _ENCODE.replace("fps=25\"", "fps=25\" -fps_mode cfr"),
         "Frame rate mode: Constant", "Frame rate mode: Variable"),
        ("帧率模式为恒定帧率（MediaInfo：Frame rate mode CFR）。",
         "附件2要求 25 fps；可变帧率（手机和录屏软件常见）不是 25 fps，转码后容易音画不同步。",
         _ENCODE.replace("fps=25\"", "fps=25\" -fps_mode cfr"),
         "Frame rate mode: Constant", "Frame rate mode: Variable")),
)
def constant_frame_rate(lesson: LessonFacts, media: MediaFacts, settings: Settings
                        ) -> Iterator[Problem]:
    """Fires when MediaInfo reports VFR."""
    if media.video is not None and media.video.frame_rate_mode == "VFR":
        yield Problem(args={"expected": f"{settings.frame_rate:g}"}, expected="CFR", actual="VFR")


@lesson_rule(
    "V107", Severity.ERROR,
    summary={"en": "The lesson is longer than 15 minutes", "zh": "微课时长超过 15 分钟"},
    doc=_doc(
        ("The video track (an audio-only lesson: its audio) lasts at most 15:00.000.",
         "Annex 2: a micro-lesson is at most 15 minutes long (最长不超过 15 分钟).",
         "Split it at a natural break into two lessons, each one knowledge point: "
         "`ffmpeg -i lesson.mp4 -t 420 -c copy part1.mp4` and "
         "`ffmpeg -ss 420 -i lesson.mp4 -c copy part2.mp4` (stream copy cuts at key frames).",
         "Duration 12:30.000", "Duration 16:05.200"),
        ("视频轨道（纯音频微课为音频）时长不超过 15:00.000。",
         "附件2规定单个微课最长不超过 15 分钟。",
         "在自然停顿处拆成两个微课，各讲一个知识点：`ffmpeg -i lesson.mp4 -t 420 -c copy part1.mp4`"
         " 和 `ffmpeg -ss 420 -i lesson.mp4 -c copy part2.mp4`（流复制在关键帧处切分）。",
         "时长 12:30.000", "时长 16:05.200")),
)
def max_duration(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the lesson (its video track, or a pure-audio lesson's audio) is over the
    hard limit."""
    duration = media.duration_s
    limit = settings.max_minutes * 60
    if duration is not None and duration > limit:
        yield Problem(args={"duration": format_duration(duration),
                            "limit": format_duration(limit)},
                      expected=f"≤{format_duration(limit)}", actual=format_duration(duration))


@lesson_rule(
    "V108", Severity.WARNING,
    summary={"en": "The lesson is longer than the advised 7 minutes",
             "zh": "微课时长超过建议的 7 分钟"},
    doc=_doc(
        ("The video track (an audio-only lesson: its audio) lasts at most 7:00.000. Lessons over 15 minutes get V107 instead.",
         "Annex 2 advises 7 minutes or less (时长在 7 分钟以内为宜): one knowledge point, watched "
         "in one sitting on a phone.",
         "Tighten the edit, or split the lesson as V107 explains.",
         "Duration 6:40.000", "Duration 9:12.000"),
        ("视频轨道（纯音频微课为音频）时长不超过 7:00.000；超过 15 分钟的由 V107 报告。",
         "附件2建议时长在 7 分钟以内为宜：一个知识点，手机上一次看完。",
         "精简剪辑，或按 V107 的方法拆分。",
         "时长 6:40.000", "时长 9:12.000")),
)
def advised_duration(lesson: LessonFacts, media: MediaFacts, settings: Settings
                     ) -> Iterator[Problem]:
    """Fires between the advised and the hard limit."""
    duration = media.duration_s  # a pure-audio lesson's is its audio's
    if duration is None:
        return
    advised, limit = settings.advised_minutes * 60, settings.max_minutes * 60
    if advised < duration <= limit:
        yield Problem(args={"duration": format_duration(duration),
                            "limit": format_duration(advised)},
                      expected=f"≤{format_duration(advised)}",
                      actual=format_duration(duration))


@lesson_rule(
    "V201", Severity.WARNING,
    summary={"en": "Browsers may not play this H.264 (bit depth, chroma or profile)",
             "zh": "浏览器可能无法播放此 H.264（位深、色度采样或档次）"},
    doc=_doc(
        ("The H.264 stream is 8-bit 4:2:0 and not in the High 10, High 4:2:2 or High 4:4:4 "
         "profiles.",
         "Browsers and phones decode 8-bit 4:2:0 H.264 in hardware; 10-bit or 4:2:2 H.264 "
         "(common from cameras and some editors) shows a black screen in most of them.",
         _ENCODE, "AVC High@L3.1, 8 bits, 4:2:0", "AVC High 10@L3.1, 10 bits"),
        ("H.264 为 8 位、4:2:0，且不是 High 10、High 4:2:2、High 4:4:4 档次。",
         "浏览器和手机用硬件解码 8 位 4:2:0 的 H.264；相机和部分剪辑软件导出的 10 位或 4:2:2 "
         "H.264 在多数浏览器中黑屏。",
         _ENCODE, "AVC High@L3.1, 8 bits, 4:2:0", "AVC High 10@L3.1, 10 bits")),
)
def browser_safe(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for H.264 that is not 8-bit 4:2:0 in a common profile."""
    video = media.video
    if video is None or video.format != "AVC":
        return
    issues = []
    if video.bit_depth is not None and video.bit_depth != 8:
        issues.append(f"{video.bit_depth}-bit")
    if video.chroma_subsampling is not None and video.chroma_subsampling != "4:2:0":
        issues.append(video.chroma_subsampling)
    profile = (video.profile or "").split("@")[0]
    if profile.startswith(("High 10", "High 4:2:2", "High 4:4:4")):
        issues.append(profile)
    if issues:
        yield Problem(args={"issues": ", ".join(issues)}, expected="8-bit 4:2:0, ≤ High",
                      actual=", ".join(issues))


@lesson_rule(
    "V202", Severity.WARNING,
    summary={"en": "The video is interlaced", "zh": "视频为隔行扫描"},
    doc=_doc(
        ("The scan type is progressive (not Interlaced or MBAFF).",
         "Interlaced video shows combing on computer and phone screens.",
         _ENCODE.replace("-vf \"", "-vf \"yadif,"), "Scan type: Progressive",
         "Scan type: MBAFF"),
        ("扫描方式为逐行扫描（不是 Interlaced 或 MBAFF）。",
         "隔行扫描的视频在电脑和手机屏幕上会出现梳状条纹。",
         _ENCODE.replace("-vf \"", "-vf \"yadif,"), "Scan type: Progressive",
         "Scan type: MBAFF")),
)
def progressive(lesson: LessonFacts, media: MediaFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the scan type is anything but progressive."""
    video = media.video
    if video is not None and video.scan_type not in (None, "Progressive"):
        yield Problem(args={"scan": video.scan_type}, expected="Progressive",
                      actual=video.scan_type)

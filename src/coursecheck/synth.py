"""Make synthetic lesson clips with ffmpeg (through ffmpeg-python).

Used by the test suite, ``scripts/make_samples.py`` and the benchmark, so that every media file
coursecheck is tested on is made from a short, readable description (:class:`ClipSpec`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coursecheck.proc import MiB, run_bounded
from coursecheck.tools import find_ffmpeg


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """What a clip looks like. The defaults make a clip that passes every lesson rule."""

    width: int = 1280
    height: int = 720
    fps: str = "25"
    seconds: float = 1.0
    codec: str = "libx264"
    pix_fmt: str = "yuv420p"
    profile: str | None = None
    container: str = "mp4"
    audio: str | None = "aac"
    video: bool = True
    faststart: bool = True
    interlaced: bool = False
    rotate: int = 0
    sar: str | None = None
    vfr: bool = False
    creation_time: str | None = None
    pattern: str = "smptebars"
    crf: int = 38

    def but(self, **changes: Any) -> ClipSpec:
        """A copy with some fields changed."""
        return replace(self, **changes)


def ffmpeg_exe() -> str:
    """The ffmpeg binary coursecheck uses; raises when there is none."""
    path, _ = find_ffmpeg()
    if path is None:
        raise RuntimeError("no ffmpeg found: install imageio-ffmpeg or put ffmpeg on PATH")
    return path


def make_clip(spec: ClipSpec, out: Path) -> Path:
    """Encode ``spec`` into ``out`` (the container comes from ``spec``, not the file name)."""
    import ffmpeg

    streams = []
    if spec.video:
        src = f"{spec.pattern}=s={spec.width}x{spec.height}:r={spec.fps}:d={spec.seconds}"
        video = ffmpeg.input(src, f="lavfi")
        if spec.vfr:
            video = video.filter("setpts", "if(lt(N,10),N/25/TB,(10+(N-10)*2)/25/TB)")
        if spec.sar:
            video = video.filter("setsar", spec.sar)
        streams.append(video)
    if spec.audio:
        streams.append(ffmpeg.input(f"sine=frequency=440:sample_rate=48000:d={spec.seconds}",
                                    f="lavfi"))
    kwargs: dict[str, Any] = {"f": spec.container, "loglevel": "error", "fflags": "+bitexact"}
    if spec.video:
        kwargs.update(vcodec=spec.codec, pix_fmt=spec.pix_fmt, preset="ultrafast", crf=spec.crf)
        if spec.codec == "libx264":
            kwargs["x264-params"] = "threads=1" + (":tff=1" if spec.interlaced else "")
        elif spec.codec == "libx265":
            kwargs["x265-params"] = "log-level=error"
        if spec.profile:
            kwargs["profile:v"] = spec.profile
        if spec.interlaced:
            kwargs["flags"] = "+ildct+ilme"
        if spec.vfr:
            kwargs["fps_mode"] = "passthrough"
    if spec.audio:
        kwargs["acodec"] = {"aac": "aac", "mp3": "libmp3lame"}.get(spec.audio, spec.audio)
    if spec.faststart and spec.container in ("mp4", "mov"):
        kwargs["movflags"] = "+faststart"
    if spec.creation_time:
        kwargs["metadata"] = f"creation_time={spec.creation_time}"
    out.parent.mkdir(parents=True, exist_ok=True)
    target = out if not spec.rotate else out.with_name(out.stem + ".unrotated" + out.suffix)
    node = ffmpeg.output(*streams, str(target), **kwargs).overwrite_output()
    ffmpeg.run(node, cmd=ffmpeg_exe(), quiet=True)
    if spec.rotate:
        _rotate(target, out, spec)
        target.unlink()
    return out


def _rotate(source: Path, out: Path, spec: ClipSpec) -> None:
    """Set a display-rotation flag without re-encoding, as phones do."""
    import ffmpeg

    kwargs = {"c": "copy", "f": spec.container, "loglevel": "error"}
    if spec.faststart:
        kwargs["movflags"] = "+faststart"
    node = ffmpeg.input(str(source), display_rotation=spec.rotate).output(
        str(out), **kwargs).overwrite_output()
    ffmpeg.run(node, cmd=ffmpeg_exe(), quiet=True)


def join_copies(clip: Path, copies: int, out: Path) -> Path:
    """``copies`` copies of ``clip`` back to back, by the concat demuxer with stream copy."""
    import ffmpeg

    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "list.txt"
        line = "file '" + str(clip.resolve()).replace("'", "'\\''") + "'\n"
        listing.write_text(line * copies, encoding="utf-8")
        node = ffmpeg.input(str(listing), f="concat", safe=0).output(
            str(out), c="copy", movflags="+faststart", loglevel="error").overwrite_output()
        ffmpeg.run(node, cmd=ffmpeg_exe(), quiet=True)
    return out


def make_cover(out: Path, width: int = 1280, height: int = 720, fmt: str = "JPEG") -> Path:
    """A simple gradient cover image made with Pillow."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (30, 90, 160))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 8):
        shade = 90 + (y * 120) // max(height, 1)
        draw.rectangle((0, y, width, y + 8), fill=(30, min(shade, 255), 160))
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, fmt)
    return out


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target``, replacing ``target``; copy where the file system
    cannot link (another device, no hard links)."""
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def passing_manifest(lesson_files: list[str], **changes: Any) -> dict[str, Any]:
    """A course.yaml (as data) that passes every course rule, for ``lesson_files``.

    Tests, the sample script and the benchmark all start from it; ``changes`` replace
    top-level fields.
    """
    manifest: dict[str, Any] = {
        "name": "老年人智能手机使用入门",
        "theme": "老年智慧生活",
        "intro": "本课程面向社区老年居民，讲解智能手机的基本操作。",
        "created": "2023-03-15",
        "instructor": {"name": "李明", "intro": "社区学校专职教师。"},
        "cover": "cover.jpg",
        "level": "township",
        "province": "浙江省",
        "contact": {"name": "王老师", "phone": "13800138000"},
        "declarations": {"public_welfare": True, "no_copyright_dispute": True,
                         "open_sharing_consent": True},
        "lessons": [{"title": f"第{i}课", "file": f} for i, f in enumerate(lesson_files, 1)],
    }
    manifest.update(changes)
    return manifest


def passing_case(**changes: Any) -> dict[str, Any]:
    """A case.yaml (as data) that passes every case rule; ``changes`` replace top-level fields."""
    body = "（此处为示例文字，实际填写时请写明具体情况和数据。）"
    case: dict[str, Any] = {
        "school": "杭州市西湖区社区学院",
        "level": "county",
        "province": "浙江省",
        "province_contact": {"name": "李处长", "phone": "0571-87654321"},
        "school_contact": {"name": "王老师", "phone": "13800138000",
                           "email": "wang@example.cn"},
        "foundation": "学院建有多功能教室 12 间、数字化学习室 3 间，经费纳入区财政预算。" + body,
        "team": "学院有专职教师 12 人、兼职教师 45 人，注册志愿者 300 余人。" + body,
        "activities": "开设老年智慧生活、家庭教育指导等课程 80 余门，年服务居民 5 万人次。" + body,
        "sustainability": "近三年获省级社区教育示范项目 2 项，典型经验被多家媒体报道。" + body,
        "highlights": "以“15 分钟学习圈”为抓手，整合辖区学校、文化站和党群服务中心资源。" + body,
        "promotion": "“15 分钟学习圈”建设做法：一是资源整合，二是课程共享，三是志愿服务。" + body,
    }
    case.update(changes)
    return case


def run_quiet(args: list[str]) -> None:
    """Run ffmpeg with ``args``; raise with its stderr when it fails."""
    done = run_bounded([ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", *args],
                       timeout_s=600, mem_bytes=4096 * MiB)
    if not done.ok:
        raise RuntimeError(done.stderr.strip() or f"ffmpeg: {done.limit or done.returncode}")

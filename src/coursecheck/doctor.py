"""``coursecheck doctor``: which tools coursecheck uses, and a real end-to-end smoke test."""

from __future__ import annotations

import platform
import re
import sys
import tempfile
from pathlib import Path

from rich.console import Console

from coursecheck import __version__
from coursecheck.proc import MiB, run_bounded
from coursecheck.tools import ToolInfo, ffmpeg_info, mediainfo_info


def smoke_test(ffmpeg: str) -> ToolInfo:
    """Encode one H.264 frame with ffmpeg, then probe it with MediaInfo."""
    from coursecheck.probe import probe

    with tempfile.TemporaryDirectory(prefix="coursecheck-doctor-") as tmp:
        clip = Path(tmp) / "smoke.mp4"
        cmd = [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
               "color=c=black:s=64x36:r=25:d=0.04", "-c:v", "libx264", "-pix_fmt", "yuv420p",
               str(clip)]
        try:
            done = run_bounded(cmd, timeout_s=60, mem_bytes=1024 * MiB)
        except OSError as exc:
            return ToolInfo("smoke test", None, "ffmpeg → MediaInfo", None, False, str(exc))
        if not done.ok:
            detail = done.last_lines() or f"ffmpeg exited with {done.returncode}"
            return ToolInfo("smoke test", None, "ffmpeg → MediaInfo", None, False, detail)
        if not clip.is_file():
            return ToolInfo("smoke test", None, "ffmpeg → MediaInfo", None, False,
                            "ffmpeg made no test clip")
        facts = probe(clip)
    ok = facts.video is not None and facts.video.format == "AVC"
    if ok:
        detail = ""
    elif facts.error:
        detail = f"MediaInfo could not read the test clip ({facts.error_detail or facts.error})"
    else:
        detail = "MediaInfo found no H.264 video in the test clip"
    return ToolInfo("smoke test", None, "ffmpeg → MediaInfo", None, ok, detail)


def deep_support(ffmpeg: str) -> ToolInfo:
    """Whether ffmpeg has every filter and muxer ``--deep`` and ``fix`` loudness need."""
    from coursecheck.deep.needs import FILTERS, missing_parts

    missing = missing_parts(ffmpeg)
    source = "filters " + ", ".join(FILTERS)
    if missing is None:
        return ToolInfo("--deep", None, source, None, False, "ffmpeg could not list its filters")
    return ToolInfo("--deep", None, source, None, not missing,
                    f"ffmpeg lacks {', '.join(missing)}" if missing else "")


def run_doctor(lang: str = "en") -> int:
    """Print the table in ``lang``; 0 when everything works, 1 otherwise."""
    ffmpeg = ffmpeg_info()
    tools = [
        ToolInfo("coursecheck", str(Path(__file__).parent), f"Python {platform.python_version()}",
                 __version__, True),
        mediainfo_info(),
        ffmpeg,
    ]
    if ffmpeg.works and ffmpeg.path:
        tools.append(smoke_test(ffmpeg.path))
        tools.append(deep_support(ffmpeg.path))
    console = Console(soft_wrap=True, highlight=False)
    for tool in tools:
        status = (f"[green]{say('ok', lang)}[/green]" if tool.works else
                  f"[red]{say('FAILED', lang)}[/red] {say(tool.detail, lang)}")
        console.print(f"{status:<16} [bold]{say(tool.name, lang)}[/bold] {tool.version or ''}  "
                      f"[dim]({say(tool.source, lang)})[/dim]")
        if tool.path:
            console.print(f"                 {tool.path}", markup=False)
    console.print(f"                 {say('python:', lang)} {sys.executable}", markup=False)
    return 0 if all(t.works for t in tools) else 1


# The doctor's words in Chinese: the fixed ones, then the sentences with a value in them.
_ZH = {
    "ok": "正常", "FAILED": "失败", "python:": "Python 解释器：", "smoke test": "实测",
    "not found": "未找到", "ffmpeg → MediaInfo": "ffmpeg 编码 → MediaInfo 读取",
    "install imageio-ffmpeg or put ffmpeg on PATH": "请安装 imageio-ffmpeg，或把 ffmpeg 加入 PATH",
    "libmediainfo could not be loaded": "无法加载 libmediainfo",
    "ffmpeg could not list its filters": "ffmpeg 无法列出它的滤镜",
    "ffmpeg made no test clip": "ffmpeg 没有生成测试片段",
    "MediaInfo found no H.264 video in the test clip": "MediaInfo 在测试片段中没有找到 H.264 视频",
}
_ZH_PATTERNS = (
    (r"filters (.*)", r"滤镜 \1"),
    (r"ffmpeg lacks (.*)", r"ffmpeg 缺少 \1"),
    (r"ffmpeg exited with (-?\d+)", r"ffmpeg 退出码 \1"),
    (r"exit code (-?\d+)", r"退出码 \1"),
    (r"MediaInfo could not read the test clip \((.*)\)", r"MediaInfo 无法读取测试片段（\1）"),
)


def say(text: str, lang: str) -> str:
    """``text`` (a word or sentence of the doctor's, or an OS error's words) in ``lang``; as it
    is when it has none (a version, a path)."""
    if lang != "zh" or not text:
        return text
    if text in _ZH:
        return _ZH[text]
    for pattern, replacement in _ZH_PATTERNS:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            return match.expand(replacement)
    from coursecheck.messages.values import reason_in

    return reason_in(lang, text)

"""``coursecheck doctor``: which tools coursecheck uses, and a real end-to-end smoke test."""

from __future__ import annotations

import platform
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
        facts = probe(clip)
    ok = facts.video is not None and facts.video.format == "AVC"
    return ToolInfo("smoke test", None, "ffmpeg → MediaInfo", None, ok,
                    "" if ok else f"probe saw {facts}")


def deep_support(ffmpeg: str) -> ToolInfo:
    """Whether ffmpeg has every filter and muxer ``--deep`` and ``fix`` loudness need."""
    from coursecheck.deep.needs import FILTERS, missing_parts

    missing = missing_parts(ffmpeg)
    source = "filters " + ", ".join(FILTERS)
    if missing is None:
        return ToolInfo("--deep", None, source, None, False, "ffmpeg could not list its filters")
    return ToolInfo("--deep", None, source, None, not missing,
                    f"ffmpeg lacks {', '.join(missing)}" if missing else "")


def run_doctor() -> int:
    """Print the table; 0 when everything works, 1 otherwise."""
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
        status = "[green]ok[/green]" if tool.works else f"[red]FAILED[/red] {tool.detail}"
        console.print(f"{status:<16} [bold]{tool.name}[/bold] {tool.version or ''}  "
                      f"[dim]({tool.source})[/dim]")
        if tool.path:
            console.print(f"                 {tool.path}", markup=False)
    console.print(f"                 python: {sys.executable}", markup=False)
    return 0 if all(t.works for t in tools) else 1

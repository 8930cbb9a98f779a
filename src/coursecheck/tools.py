"""Finding the external tools: the ffmpeg binary and the MediaInfo library."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from coursecheck.proc import MiB, run_bounded


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """Where a tool is, where that choice came from, its version and whether it works."""

    name: str
    path: str | None
    source: str
    version: str | None
    works: bool
    detail: str = ""


def find_ffmpeg() -> tuple[str | None, str]:
    """``COURSECHECK_FFMPEG`` if set, else ``ffmpeg`` on PATH, else the imageio-ffmpeg binary."""
    env = os.environ.get("COURSECHECK_FFMPEG")
    if env:
        return env, "COURSECHECK_FFMPEG"
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path, "PATH"
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe()), "imageio-ffmpeg"
    except Exception:
        return None, "not found"


def ffmpeg_info() -> ToolInfo:
    """The ffmpeg coursecheck will use, and whether ``ffmpeg -version`` runs."""
    path, source = find_ffmpeg()
    if path is None:
        return ToolInfo("ffmpeg", None, source, None, False,
                        "install imageio-ffmpeg or put ffmpeg on PATH")
    try:
        done = run_bounded([path, "-hide_banner", "-version"], timeout_s=20,
                           mem_bytes=512 * MiB, capture_stdout=True, stdout_cap=MiB)
    except OSError as exc:  # the path is shown on the next line
        return ToolInfo("ffmpeg", path, source, None, False, exc.strerror or str(exc))
    if not done.ok:
        return ToolInfo("ffmpeg", path, source, None, False,
                        done.last_lines() or f"exit code {done.returncode}")
    out = (done.stdout or b"").decode("utf-8", "replace")
    first = out.splitlines()[0] if out else ""
    version = first.split()[2] if len(first.split()) > 2 else first
    return ToolInfo("ffmpeg", path, source, version, True)


def mediainfo_info() -> ToolInfo:
    """The libmediainfo pymediainfo loads, and whether it can parse."""
    from coursecheck.probe import library_version

    try:
        import pymediainfo
    except ImportError as exc:
        return ToolInfo("MediaInfo", None, "pymediainfo", None, False, str(exc))
    version = library_version()
    where = os.path.dirname(pymediainfo.__file__)
    return ToolInfo("MediaInfo", where, f"pymediainfo {pymediainfo.__version__}", version,
                    version is not None, "" if version else "libmediainfo could not be loaded")

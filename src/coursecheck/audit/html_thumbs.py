"""Lesson thumbnails for the HTML report: one small JPEG frame from the middle of each lesson.

ffmpeg writes the frame to its own stdout, so nothing is written anywhere, least of all into the
course folder. A lesson is opened only when its media was probed (it has a duration) and its path
still resolves to a regular file inside the course folder; ffmpeg may then read only that local
file (``-protocol_whitelist file``) with an ordinary video demuxer (``-format_whitelist``), so a
playlist disguised as a lesson cannot make it fetch anything else.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coursecheck.audit.model import AuditCourse
from coursecheck.findings import LessonSummary
from coursecheck.paths import PathStatus, resolve_inside
from coursecheck.proc import MiB, run_bounded
from coursecheck.tools import find_ffmpeg

THUMB_WIDTH = 160
TIMEOUT_S = 30.0
MEMORY_CAP = 1024 * MiB
STDOUT_CAP = 4 * MiB  # a 160-pixel-wide JPEG is a few kilobytes
MAX_WORKERS = 8
DEMUXERS = "mov,matroska,avi,mpegts,flv,asf"
JPEG_MAGIC = b"\xff\xd8\xff"

ThumbKey = tuple[Path, str]
"""A lesson as ``(course root, file as written in the manifest)``."""


def thumbnail_source(root: Path, lesson: LessonSummary) -> Path | None:
    """The real file to take a frame from, or ``None`` when the lesson must not be opened."""
    if lesson.duration_s is None:
        return None
    resolved = resolve_inside(root, lesson.file)
    if resolved.status is not PathStatus.OK or resolved.real is None:
        return None
    try:
        str(resolved.real).encode("utf-8")  # ffmpeg-python cannot pass a non-UTF-8 name
    except UnicodeEncodeError:
        return None
    return resolved.real


def thumbnail_command(ffmpeg_exe: str, source: Path, at_s: float) -> list[str]:
    """The ffmpeg command that writes one JPEG of ``source`` at ``at_s``, ``THUMB_WIDTH``
    pixels wide, to stdout."""
    import ffmpeg

    stream = ffmpeg.input(f"file:{source}", ss=f"{at_s:.3f}", protocol_whitelist="file",
                          format_whitelist=DEMUXERS)
    out = stream.filter("scale", THUMB_WIDTH, -2).output(
        "pipe:1", vframes=1, f="image2pipe", vcodec="mjpeg", loglevel="error", **{"q:v": 5})
    return [str(part) for part in out.global_args("-nostdin").compile(cmd=ffmpeg_exe)]


def grab_jpeg(ffmpeg_exe: str, source: Path, at_s: float) -> bytes | None:
    """One JPEG frame of ``source``, or ``None`` when ffmpeg fails, times out or gives no JPEG."""
    try:
        done = run_bounded(thumbnail_command(ffmpeg_exe, source, at_s), timeout_s=TIMEOUT_S,
                           mem_bytes=MEMORY_CAP, capture_stdout=True, stdout_cap=STDOUT_CAP,
                           stderr_cap=64 * 1024)
    except OSError:
        return None
    if not done.ok or done.stdout is None or not done.stdout.startswith(JPEG_MAGIC):
        return None
    return done.stdout


def data_uri(jpeg: bytes) -> str:
    """``jpeg`` as a ``data:image/jpeg;base64,…`` URI."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def thumbnails(courses: Iterable[AuditCourse]) -> dict[ThumbKey, str]:
    """A data URI for every lesson whose middle frame could be grabbed, grabbed in parallel.

    Lessons that may not be opened, and grabs that fail, are simply absent.
    """
    ffmpeg_exe, _ = find_ffmpeg()
    if ffmpeg_exe is None:
        return {}
    wanted: dict[ThumbKey, tuple[Path, float]] = {}
    for course in courses:
        for lesson in course.result.lessons:
            source = thumbnail_source(course.root, lesson)
            if source is not None and lesson.duration_s is not None:
                wanted[(course.root, lesson.file)] = (source, lesson.duration_s / 2)
    if not wanted:
        return {}
    jobs = list(dict.fromkeys(wanted.values()))
    workers = max(1, min(MAX_WORKERS, os.cpu_count() or 1, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        grabbed = dict(zip(jobs, pool.map(lambda job: grab_jpeg(ffmpeg_exe, *job), jobs),
                           strict=True))
    return {key: data_uri(jpeg) for key, job in wanted.items()
            if (jpeg := grabbed[job]) is not None}

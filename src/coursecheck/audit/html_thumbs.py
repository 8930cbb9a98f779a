"""Lesson thumbnails for the HTML report: one small JPEG frame from the middle of each lesson.

ffmpeg writes the frame to its own stdout, so nothing is written anywhere, least of all into the
course folder. A lesson is opened only when its media was probed (it has a duration and a
picture) and its path still resolves to a regular file inside the course folder; ffmpeg may then
read only that local file (``-protocol_whitelist file``) with an ordinary video demuxer
(``-format_whitelist``), so a playlist disguised as a lesson cannot make it fetch anything else.

Making one is cheap: ``-ss`` before ``-i`` seeks by the index, ``-skip_frame nokey
-noaccurate_seek`` decode only the first key frame from the middle on (about 40 ms of CPU for a
720p H.264 lesson, against 560 ms for decoding up to the exact middle frame), and the scale runs
in the same call, single-threaded. Up to ``jobs`` ffmpeg processes run at once,
each bounded in time and memory (:mod:`coursecheck.proc`). Every thumbnail (and every lesson
ffmpeg could not take a frame from) is kept in the ``thumb/`` folder of the cache, keyed by the
file's identity, the frame time and the width, so a re-run of unchanged lessons starts no ffmpeg.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from coursecheck.audit.model import AuditCourse
from coursecheck.audit.progress import progress
from coursecheck.cache import CacheKey, Store, identify, open_store, unchanged
from coursecheck.findings import LessonSummary
from coursecheck.options import RunOptions
from coursecheck.paths import PathStatus, resolve_listed
from coursecheck.proc import BoundedProcess, popen_bounded
from coursecheck.tools import find_ffmpeg

THUMB_WIDTH = 160
TIMEOUT_S = 30.0
MEM_BYTES = 1024 * 1024 * 1024
MAX_JPEG_BYTES = 48 * 1024
VERSION = "2"  # of the command below: a new one makes new cache entries
DEMUXERS = "mov,matroska,avi,mpegts,flv,asf"
JPEG_MAGIC = b"\xff\xd8\xff"

ThumbKey = tuple[Path, str]
"""A lesson as ``(course root, file as written in the manifest)``."""
Job = tuple[Path, float]
"""A frame to grab: ``(real file, seconds)``."""


class ThumbnailsInterrupted(KeyboardInterrupt):
    """Ctrl-C while thumbnails were being made; ``made`` of ``total`` were done (and kept)."""

    def __init__(self, made: int, total: int) -> None:
        super().__init__(made, total)
        self.made = made
        self.total = total


def thumbnail_source(root: Path, lesson: LessonSummary) -> Path | None:
    """The real file to take a frame from, or ``None`` when the lesson must not be opened."""
    if lesson.duration_s is None:
        return None
    resolved = resolve_listed(root, lesson.file)
    if resolved.status is not PathStatus.OK or resolved.real is None:
        return None
    return resolved.real


def thumbnail_command(ffmpeg_exe: str, source: Path, at_s: float, *,
                      key_frame: bool = True) -> list[str]:
    """The ffmpeg command that writes one JPEG of ``source``, ``THUMB_WIDTH`` pixels wide, to
    stdout: with ``key_frame``, the first key frame at or after ``at_s`` (only that frame is
    decoded); else the frame at ``at_s`` exactly (decoded from the key frame before it)."""
    fast = ["-skip_frame", "nokey", "-noaccurate_seek"] if key_frame else []
    return [ffmpeg_exe, "-nostdin", "-loglevel", "error", "-threads", "1", *fast,
            "-ss", f"{at_s:.3f}", "-protocol_whitelist", "file", "-format_whitelist", DEMUXERS,
            "-an", "-sn", "-dn", "-i", f"file:{source}",
            "-vf", f"scale={THUMB_WIDTH}:-2", "-pix_fmt", "yuvj420p", "-frames:v", "1",
            "-vcodec", "mjpeg", "-q:v", "6", "-f", "image2pipe", "-threads", "1", "pipe:1"]


def data_uri(jpeg: bytes) -> str:
    """``jpeg`` as a ``data:image/jpeg;base64,…`` URI."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _wanted(courses: Iterable[AuditCourse]) -> dict[ThumbKey, Job]:
    wanted: dict[ThumbKey, Job] = {}
    for course in courses:
        for lesson in course.result.lessons:
            if lesson.width is None or lesson.duration_s is None:
                continue  # no picture to take, or not probed
            source = thumbnail_source(course.root, lesson)
            if source is not None:
                wanted[(course.root, lesson.file)] = (source, lesson.duration_s / 2)
    return wanted


def thumbnails(courses: Iterable[AuditCourse], options: RunOptions | None = None,
               jobs: int = 1, notes: list[str] | None = None) -> dict[ThumbKey, str]:
    """A data URI for every lesson whose middle frame could be grabbed: from the cache, else
    made with up to ``jobs`` ffmpeg processes at once, with progress on stderr.

    Lessons that may not be opened, and grabs that fail, are simply absent. Ctrl-C raises
    :class:`ThumbnailsInterrupted` once the running ffmpeg processes are stopped.
    """
    wanted = _wanted(courses)
    if not wanted:
        return {}
    with open_store("thumb", options or RunOptions(no_cache=True), notes) as store:
        grabbed = _grab_all(list(dict.fromkeys(wanted.values())), store, max(1, jobs))
    return {key: data_uri(jpeg) for key, job in wanted.items()
            if (jpeg := grabbed.get(job)) is not None}


def _key(job: Job) -> CacheKey | None:
    identity = identify(job[0])
    if identity is None:
        return None
    return CacheKey(identity, f"t={job[1]:.3f};w={THUMB_WIDTH}", {"thumb": VERSION})


def _read_entry(value: Any) -> bytes | None:
    if not isinstance(value, dict) or value.keys() != {"jpeg"}:
        raise ValueError("not a thumbnail entry")
    if value["jpeg"] is None:
        return None  # ffmpeg found no frame in this file last time
    if not isinstance(value["jpeg"], str):
        raise ValueError("not base64 text")
    try:
        jpeg = base64.b64decode(value["jpeg"], validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64") from exc
    if not jpeg.startswith(JPEG_MAGIC) or len(jpeg) > MAX_JPEG_BYTES:
        raise ValueError("not a small JPEG")
    return jpeg


def _grab_all(jobs: list[Job], store: Store | None, workers: int) -> dict[Job, bytes]:
    found: dict[Job, bytes] = {}
    keys = {job: _key(job) if store is not None else None for job in jobs}
    todo = []
    for job, key in keys.items():
        hit = store.get(key, lambda v: (_read_entry(v),)) if store and key else None
        if hit is None:
            todo.append(job)
        elif hit[0] is not None:
            found[job] = hit[0]
    ffmpeg_exe, _ = find_ffmpeg()
    if not todo or ffmpeg_exe is None:
        return found
    grabber = _Grabber(ffmpeg_exe)
    with progress(len(todo), "thumbnails", "lessons") as tick, \
            ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        pending: dict[Future[tuple[bytes | None, bool]], Job] = {
            pool.submit(grabber.grab, *job): job for job in todo}
        try:
            while pending:
                done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    job = pending.pop(future)
                    jpeg, definite = future.result()
                    if jpeg is not None:
                        found[job] = jpeg
                    key = keys[job]
                    if store is not None and key is not None and definite and unchanged(key.file):
                        text = base64.b64encode(jpeg).decode("ascii") if jpeg else None
                        store.put(key, {"jpeg": text})
                    tick(1)
        except KeyboardInterrupt:
            grabber.stop()
            for future in pending:
                future.cancel()
            raise ThumbnailsInterrupted(len(todo) - len(pending), len(todo)) from None
    return found


class _Grabber:
    """Runs ffmpeg for one frame at a time per thread; :meth:`stop` kills every running one."""

    def __init__(self, ffmpeg_exe: str) -> None:
        self.ffmpeg_exe = ffmpeg_exe
        self.running: set[BoundedProcess] = set()
        self.lock = threading.Lock()
        self.stopped = False

    def grab(self, source: Path, at_s: float) -> tuple[bytes | None, bool]:
        """The JPEG (or ``None``), and whether that answer is worth keeping: ffmpeg ran to its
        end within its limits. A file with no key frame after the middle (a short one, or one
        long group of pictures) is asked again for the exact frame."""
        jpeg, definite = self._run(thumbnail_command(self.ffmpeg_exe, source, at_s))
        if jpeg is None and definite:
            jpeg, definite = self._run(thumbnail_command(self.ffmpeg_exe, source, at_s,
                                                         key_frame=False))
        return jpeg, definite

    def _run(self, command: list[str]) -> tuple[bytes | None, bool]:
        with self.lock:
            if self.stopped:
                return None, False
            try:
                proc = popen_bounded(command, timeout_s=TIMEOUT_S, mem_bytes=MEM_BYTES)
            except OSError:
                return None, False
            self.running.add(proc)
        try:
            assert proc.stdout is not None
            data = proc.stdout.read(MAX_JPEG_BYTES + 1)
            proc.stdout.close()
            ended = proc.wait()
        finally:
            with self.lock:
                self.running.discard(proc)
        if ended.killed_by_limit or self.stopped:
            return None, False
        good = ended.returncode == 0 and data.startswith(JPEG_MAGIC) and len(
            data) <= MAX_JPEG_BYTES
        return (data if good else None), True

    def stop(self) -> None:
        """Start no more, and kill the ffmpeg processes running now."""
        with self.lock:
            self.stopped = True
            for proc in self.running:
                proc.kill()

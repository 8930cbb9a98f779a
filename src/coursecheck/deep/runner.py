"""Run the one ffmpeg pass over a lesson, bounded in time, memory and output, and parse it.

:func:`analyse` is the unit of deep work: a pure function of a path and plain settings that
returns :class:`DeepFacts`. It keeps no global state and imports nothing heavy, so a process
pool or a remote worker can run it as is.

The pass demuxes every packet once (``-c copy -f framecrc`` on stdout: each track's timing, with
no decoding) and, in the same process, decodes the audio (``quick``) or the audio and the video
(``full``) into the detectors, with every ffmpeg thread count pinned to one.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass
from typing import IO

from coursecheck.deep._proc import kill_group, popen_bounded
from coursecheck.deep.facts import DeepFacts, Level
from coursecheck.deep.parse import LogScan, PacketScan, finish

MEM_BYTES = 1 << 30
LOG_CAP_BYTES = 8 << 20
UNKNOWN_DURATION_S = 4 * 3600.0
_LINE_MAX = 64 * 1024


@dataclass(frozen=True, slots=True)
class DeepParams:
    """The detector settings of the pass; they shape the facts, so the cache keys on them."""

    black_min_s: float = 2.0
    freeze_min_s: float = 120.0
    silence_db: float = -50.0
    silence_min_s: float = 10.0

    def key(self) -> str:
        """A short text that changes when any setting does."""
        return (f"b{self.black_min_s:g}f{self.freeze_min_s:g}"
                f"s{self.silence_db:g}/{self.silence_min_s:g}")


def time_limit(level: Level, duration_s: float | None) -> float:
    """Seconds before ffmpeg is killed: a minute plus a share of the lesson's claimed length."""
    length = duration_s if duration_s and duration_s > 0 else UNKNOWN_DURATION_S
    return 60.0 + length * (1.0 if level == "full" else 0.5)


def build_argv(ffmpeg: str, path: str, level: Level, params: DeepParams, *, has_video: bool,
               has_audio: bool) -> list[str]:
    """The ffmpeg command line for one pass over ``path``."""
    argv = [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "repeat+level+info",
            "-threads", "1", "-filter_threads", "1", "-filter_complex_threads", "1",
            "-protocol_whitelist", "file", "-i", "file:" + os.path.abspath(path)]
    maps = (["-map", "0:v:0"] if has_video else []) + (["-map", "0:a:0"] if has_audio else [])
    argv += [*maps, "-c", "copy", "-f", "framecrc", "pipe:1"]
    decode: list[str] = []
    if has_video and level == "full":
        decode += ["-map", "0:v:0", "-vf",
                   f"settb=AVTB,vfrdet,blackdetect=d={params.black_min_s:g}:pix_th=0.10,"
                   f"freezedetect=n=-50dB:d={params.freeze_min_s:g}"]
    if has_audio:
        decode += ["-map", "0:a:0", "-af",
                   f"silencedetect=n={params.silence_db:g}dB:d={params.silence_min_s:g},"
                   "ebur128=peak=true+sample:framelog=verbose"]
    if decode:
        argv += [*decode, "-f", "null", "-"]
    return argv


def analyse(path: str, level: Level, params: DeepParams = DeepParams(), *, has_video: bool = True,
            has_audio: bool = True, duration_s: float | None = None,
            ffmpeg: str | None = None) -> DeepFacts:
    """Decode ``path`` once at ``level`` and return what the detectors found; never raises for a
    bad file (a broken one is a value: errors, a short ``decoded_s``, or ``failure``)."""
    if ffmpeg is None:
        from coursecheck.tools import find_ffmpeg

        ffmpeg = find_ffmpeg()[0]
    if ffmpeg is None:
        return DeepFacts(level, failure="no_ffmpeg", failure_detail="ffmpeg was not found")
    argv = build_argv(ffmpeg, path, level, params, has_video=has_video, has_audio=has_audio)
    return _run(argv, level, time_limit(level, duration_s), duration_s)


def _run(argv: list[str], level: Level, limit_s: float, duration_s: float | None) -> DeepFacts:
    packets, log = PacketScan(), LogScan()
    try:
        proc = popen_bounded(argv, mem_bytes=MEM_BYTES, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        return DeepFacts(level, failure="no_ffmpeg", failure_detail=exc.strerror or str(exc))
    why: list[str] = []

    def stop(reason: str) -> None:
        if not why:
            why.append(reason)
        kill_group(proc)

    timer = threading.Timer(limit_s, stop, ("timeout",))
    timer.daemon = True
    lock = threading.Lock()
    assert proc.stdout is not None and proc.stderr is not None
    reader = threading.Thread(target=_read_log, args=(proc.stderr, log, packets, lock, stop),
                              daemon=True)
    line_cap = int(max(100_000, (duration_s or UNKNOWN_DURATION_S) * 400))
    try:
        timer.start()
        reader.start()
        for count, raw in enumerate(iter(lambda: proc.stdout.readline(_LINE_MAX), b"")):  # type: ignore[union-attr]
            if count > line_cap:
                stop("output_cap")
                break
            with lock:
                packets.feed(raw.decode("ascii", "replace"))
        proc.wait()
        reader.join()
    finally:
        timer.cancel()
        if proc.poll() is None:
            kill_group(proc)
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    failure = why[0] if why else ("crashed" if proc.returncode < 0 else "")
    detail = {"timeout": f"ffmpeg did not finish within {limit_s:.0f} s and was stopped",
              "output_cap": "ffmpeg wrote far more output than a lesson of this length can",
              "crashed": f"ffmpeg died of signal {-proc.returncode}"}.get(failure, "")
    return finish(level, packets, log, failure, detail)


def _read_log(stream: IO[bytes], log: LogScan, packets: PacketScan, lock: threading.Lock,
              stop: object) -> None:
    total = 0
    for raw in iter(lambda: stream.readline(_LINE_MAX), b""):
        total += len(raw)
        if total > LOG_CAP_BYTES:
            stop("output_cap")  # type: ignore[operator]
            for _ in iter(lambda: stream.read(1 << 16), b""):
                pass  # drain until the killed child closes the pipe
            return
        with lock:
            at = packets.now_s
            for line in re.split(r"[\r\n]+", raw.decode("utf-8", "replace")):
                if line:
                    log.feed(line, at)

"""Run the one ffmpeg pass over a lesson, bounded in time, memory and output, and parse it.

:func:`analyse` is the unit of deep work: a pure function of a path and plain settings that
returns :class:`DeepFacts`. It keeps no global state and imports nothing heavy, so a process
pool or a remote worker can run it as is.

The pass demuxes every packet once (``-c copy -f framecrc`` on stdout: each track's timing, with
no decoding) and, in the same process, decodes the audio (``quick``) or the audio and the video
(``full``) into the detectors, with every ffmpeg thread count set to one and the whole ffmpeg
tied to one CPU (:func:`coursecheck.cpus.claimed_cpu`), so that a job costs one core.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from functools import partial
from typing import IO

from coursecheck.cpus import claimed_cpu
from coursecheck.deep.facts import DeepFacts, Level
from coursecheck.deep.parse import LogScan, PacketScan, finish
from coursecheck.proc import popen_bounded, run_bounded

MEM_BYTES = 1 << 30
LOG_CAP_BYTES = 8 << 20
UNKNOWN_DURATION_S = 4 * 3600.0
_LINE_MAX = 64 * 1024
_READ_BYTES = 1 << 16
_NAP_S = 0.02
# freezedetect compares every second frame (12.5 a second at 25 fps): a still picture of
# minutes cannot hide between two of them, and the pass costs about 3% less CPU
FREEZE_STEP = 2


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
                   f"framestep={FREEZE_STEP},freezedetect=n=-50dB:d={params.freeze_min_s:g}"]
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
        proc = popen_bounded(argv, timeout_s=limit_s, mem_bytes=MEM_BYTES,
                             stderr_cap=LOG_CAP_BYTES, cpu=claimed_cpu())
    except OSError as exc:
        return DeepFacts(level, failure="no_ffmpeg", failure_detail=exc.strerror or str(exc))
    assert proc.stdout is not None
    line_cap = int(max(100_000, (duration_s or UNKNOWN_DURATION_S) * 400))
    try:
        capped = _read_packets(proc.stdout, packets, line_cap)
        if capped:
            proc.kill()
        for _ in iter(partial(proc.stdout.read, 1 << 16), b""):
            pass  # whatever is left after a kill
        ended = proc.wait()
    except BaseException:  # Ctrl-C: the child must not outlive this call
        proc.kill()
        proc.wait()
        raise
    finally:
        proc.stdout.close()
    for line in re.split(r"[\r\n]+", ended.stderr):
        if line:
            log.feed(line)
    failure, detail = "", ""
    if ended.timed_out:
        failure, detail = "timeout", f"ffmpeg did not finish within {limit_s:.0f} s and was stopped"
    elif capped:
        failure, detail = "output_cap", "ffmpeg wrote far more than a lesson of this length can"
    elif ended.returncode < 0:
        failure, detail = "crashed", f"ffmpeg died of signal {-ended.returncode}"
    elif ended.limit == "memory":
        failure, detail = "crashed", f"ffmpeg ran out of its {MEM_BYTES >> 20} MiB of memory"
    log.first_error_s = first_error_at(argv, limit_s) if log.errors and not failure else None
    return finish(level, packets, log, failure, detail)


def _read_packets(stream: IO[bytes], packets: PacketScan, line_cap: int) -> bool:
    """Feed the packet list to ``packets`` until it ends; true when it passed ``line_cap`` lines.

    ffmpeg writes one short line per packet, so reading as each arrives would wake this process
    thousands of times a minute of video (about 7% of the decode's own CPU time). It reads what
    the pipe holds, then naps a moment while the pipe fills.
    """
    fd = stream.fileno()
    pending = b""
    count = 0
    while chunk := os.read(fd, _READ_BYTES):
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        if len(pending) > _LINE_MAX:  # not a packet list: keep it from growing
            lines.append(pending[:_LINE_MAX])
            pending = b""
        count += len(lines)
        if count > line_cap:
            return True
        for line in lines:
            packets.feed(line.decode("ascii", "replace"))
        if len(chunk) < _READ_BYTES // 2:
            time.sleep(_NAP_S)
    if pending:
        packets.feed(pending.decode("ascii", "replace"))
    return False


def first_error_at(argv: list[str], limit_s: float) -> float | None:
    """Where the first decode error is: decode again, stopping at the first error (``-xerror``),
    and read how far the decode got. Only damaged files pay for this second pass."""
    source = argv[argv.index("-i") + 1]
    maps = [a for i, a in enumerate(argv[:argv.index("pipe:1")]) if i and argv[i - 1] == "-map"]
    locate = [argv[0], "-hide_banner", "-nostdin", "-nostats", "-loglevel", "quiet", "-xerror",
              "-threads", "1", "-protocol_whitelist", "file", "-i", source,
              *(part for m in maps for part in ("-map", m)), "-f", "null", "-",
              "-progress", "pipe:1"]
    try:
        ended = run_bounded(locate, timeout_s=limit_s, mem_bytes=MEM_BYTES,
                            capture_stdout=True, stdout_cap=1 << 20, cpu=claimed_cpu())
    except OSError:
        return None
    reached = [line.partition("=")[2] for line in (ended.stdout or b"").decode(
        "ascii", "replace").splitlines() if line.startswith("out_time_us=")]
    try:
        return round(int(reached[-1]) / 1e6, 3) if reached else None
    except ValueError:
        return None

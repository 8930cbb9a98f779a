"""Lessons with planted defects for the deep checks (tests) and moving 720p lessons (bench).

Each :class:`DeepClip` is a few seconds of low-resolution video with a tone of known loudness:
a 1 kHz sine of amplitude ``A`` in one channel measures ``20·log10(A) − 3.01`` LUFS, so a
lesson can be made at any loudness. Defects are planted with ffmpeg filters or byte edits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coursecheck.synth import run_quiet


def amplitude(lufs: float) -> float:
    """The amplitude of a mono 1 kHz sine that measures ``lufs``."""
    return 10 ** ((lufs + 3.0103) / 20)


@dataclass(frozen=True, slots=True)
class DeepClip:
    """One lesson: ``seconds`` of testsrc2 at ``size`` with a tone at ``lufs``, and a defect.

    ``black``/``freeze``/``mute``: ``(start_s, end_s)`` of a black picture, a frozen picture or
    silence; ``audio_s`` a shorter audio track; ``clip`` a sine driven into clipping; ``drop``
    frames removed while their timestamps stay (a gap); ``silent`` no sound at all.
    """

    seconds: float = 8.0
    size: str = "320x180"
    lufs: float = -18.0
    black: tuple[float, float] | None = None
    freeze: tuple[float, float] | None = None
    mute: tuple[float, float] | None = None
    audio_s: float | None = None
    clipped: bool = False
    drop: tuple[int, int] | None = None
    silent: bool = False
    seed: int = 0

    def but(self, **changes: Any) -> DeepClip:
        """A copy with some fields changed."""
        return replace(self, **changes)


def make_deep_clip(clip: DeepClip, out: Path, crf: int = 30) -> Path:
    """Encode ``clip`` into ``out`` (H.264 + mono AAC, MP4 with the moov first)."""
    video = f"testsrc2=s={clip.size}:r=25:d={clip.seconds}"
    chain = [f"noise=alls=8:allf=t+u:all_seed={clip.seed}"] if clip.seed else []
    if clip.freeze:
        start, end = clip.freeze
        frames = round((end - start) * 25)
        video = f"testsrc2=s={clip.size}:r=25:d={clip.seconds - (end - start)}"
        chain.append(f"loop=loop={frames}:size=1:start={round(start * 25)}")
    if clip.black:
        chain.append(f"drawbox=enable='between(t,{clip.black[0]},{clip.black[1] - 0.001})'"
                     ":c=black:t=fill")
    if clip.drop:
        chain.append(f"select='not(between(n,{clip.drop[0]},{clip.drop[1]}))'")
    audio_len = clip.audio_s or clip.seconds
    if clip.silent:
        audio = f"anullsrc=r=48000:cl=mono:d={audio_len}"
    else:
        gain = 1.6 if clip.clipped else amplitude(clip.lufs)
        expr = f"{gain:.6f}*sin(2*PI*1000*t)"
        if clip.clipped:
            expr = f"max(-1,min(1,{expr}))"
        audio = f"aevalsrc='{expr}':s=48000:d={audio_len}"
    afilter = (f"volume=enable='between(t,{clip.mute[0]},{clip.mute[1]})':volume=0"
               if clip.mute else "anull")
    vf = ",".join(chain) or "null"
    args = ["-y", "-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio,
            "-filter_complex", f"[0:v]{vf}[v];[1:a]{afilter}[a]", "-map", "[v]", "-map", "[a]",
            "-c:v", "libx264", "-preset", "ultrafast", "-crf", str(crf), "-pix_fmt", "yuv420p",
            "-x264-params", "threads=1", "-c:a", "aac", "-b:a", "64k", "-ac", "1",
            "-movflags", "+faststart"]
    if clip.drop:
        args += ["-fps_mode", "passthrough"]
    out.parent.mkdir(parents=True, exist_ok=True)
    run_quiet([*args, str(out)])
    return out


def flip_bytes(source: Path, out: Path, count: int = 400, at: float = 0.5) -> Path:
    """A copy of ``source`` with ``count`` bytes inverted around ``at`` (a share of its size)."""
    data = bytearray(source.read_bytes())
    middle = int(len(data) * at)
    for i in range(middle, min(middle + count * 7, len(data)), 7):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def cut_short(source: Path, out: Path, keep: float = 0.5) -> Path:
    """A copy of ``source`` holding only its first ``keep`` share of bytes (moov still whole)."""
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * keep)])
    return out

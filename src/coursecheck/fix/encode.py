"""One lesson's :class:`~coursecheck.fix.plan.Encode` → an ffmpeg command, built with
ffmpeg-python.

The target is what 附件2 asks for and browsers play: MP4 with ``+faststart``; H.264 High profile,
yuv420p, 8-bit; 1280×720 (rotation applied, scaled to fit with the aspect ratio kept, padded with
black); a constant 25 fps; AAC-LC, 48 kHz, stereo, 128 kb/s.

Rotation is applied by ffmpeg while decoding (its default ``autorotate`` reads the display
matrix); the scale and pad sizes come from the displayed size, so a portrait clip is fitted
upright, and the rotation flag is not written to the output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursecheck.fix.plan import Audio, Encode, Picture


@dataclass(frozen=True, slots=True)
class Target:
    """The encoder settings every re-encoded lesson shares."""

    crf: int
    preset: str
    width: int = 1280
    height: int = 720
    fps: int = 25
    audio_rate: int = 48000
    audio_bitrate: str = "128k"


def video_filters(job: Encode, target: Target) -> list[tuple[str, tuple[Any, ...],
                                                              dict[str, Any]]]:
    """The video filter chain, in order, as ``(name, args, kwargs)``."""
    chain: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    if job.deinterlace:
        chain.append(("yadif", (), {}))
    chain.append(("fps", (target.fps,), {}))
    geo = job.geometry
    if geo is None:  # size unknown: let ffmpeg fit it at run time
        size = (target.width, target.height)
        chain += [("scale", size, {"force_original_aspect_ratio": "decrease",
                                   "force_divisible_by": 2}),
                  ("setsar", (1,), {}),
                  ("pad", (*size, "(ow-iw)/2", "(oh-ih)/2"), {"color": "black"})]
    else:
        chain += [("scale", (geo.width, geo.height), {}), ("setsar", (1,), {})]
        if (geo.width, geo.height) != (geo.frame_width, geo.frame_height):
            chain.append(("pad", (geo.frame_width, geo.frame_height, geo.x, geo.y),
                          {"color": "black"}))
    chain.append(("format", ("yuv420p",), {}))
    return chain


def build_node(job: Encode, output: Path, target: Target, still: Path | None = None) -> Any:
    """The ffmpeg-python output node that encodes ``job`` into ``output``.

    ``still`` is the picture file for an audio-only lesson (the cover, or a rendered slate).
    """
    import ffmpeg

    lesson = ffmpeg.input(str(job.source))
    streams: list[Any] = []
    extra: dict[str, Any] = {}
    if job.picture is Picture.VIDEO:
        video = lesson["v:0"]
    else:
        picture = still if still is not None else job.still
        video = ffmpeg.input(str(picture), loop=1, framerate=target.fps)["v:0"]
        extra.update(tune="stillimage", shortest=None)
    for name, args, kwargs in video_filters(job, target):
        video = video.filter(name, *args, **kwargs)
    streams.append(video)
    if job.audio is Audio.KEEP:
        streams.append(lesson["a:0"])
    elif job.audio is Audio.SILENCE:
        silence = {"t": f"{job.duration_s:.3f}"} if job.duration_s else {}
        streams.append(ffmpeg.input(f"anullsrc=r={target.audio_rate}:cl=stereo", f="lavfi",
                                    **silence)["a:0"])
        extra["shortest"] = None
    if job.audio is not Audio.NONE:
        extra.update({"c:a": "aac", "profile:a": "aac_low", "ar": target.audio_rate, "ac": 2,
                      "b:a": target.audio_bitrate})
    if job.key_frames:
        extra["force_key_frames"] = ",".join(f"{t:g}" for t in job.key_frames)
    return ffmpeg.output(
        *streams, str(output), f="mp4", movflags="+faststart", **{
            "c:v": "libx264", "profile:v": "high", "pix_fmt": "yuv420p", "preset": target.preset,
            "crf": target.crf, "r": target.fps, "fps_mode": "cfr"}, **extra)


def command(ffmpeg_path: str, job: Encode, output: Path, target: Target,
            still: Path | None = None, progress: bool = False) -> list[str]:
    """The full argv. With ``progress``, ffmpeg writes ``-progress`` records to stdout."""
    import ffmpeg

    head = [ffmpeg_path, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    if progress:
        head += ["-nostats", "-progress", "pipe:1"]
    args: list[str] = ffmpeg.get_args(build_node(job, output, target, still))
    return head + args

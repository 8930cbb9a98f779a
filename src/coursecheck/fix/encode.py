"""One lesson's :class:`~coursecheck.fix.plan.Encode` → the ffmpeg commands that make it.

The target is what 附件2 asks for and browsers play: MP4 with ``+faststart``; H.264 High profile
whatever the preset (``8x8dct`` keeps even ``ultrafast`` in High), limited-range yuv420p, 8-bit;
1280×720 (rotation applied, scaled to fit with the aspect ratio kept, padded with black); a
constant 25 fps; AAC-LC, 48 kHz, stereo, 128 kb/s. The source's global metadata, its creation
time included, is carried over (``-map_metadata``), so the encoded date stays what it was.

A lesson with video is one command, built with ffmpeg-python. A still picture over audio is two
(:func:`still_commands`): a short segment of the picture is encoded once (one GOP, no B-frames,
``-tune stillimage``, the picture scaled once per second of input), then looped by stream copy
under the re-encoded audio and cut at the audio's exact end, so its cost barely grows with the
lesson's length and no input is ever looped without a bound.

Rotation is applied by ffmpeg while decoding (its default ``autorotate`` reads the display
matrix); the scale and pad sizes come from the displayed size, so a portrait clip is fitted
upright, and the rotation flag is not written to the output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursecheck.fix.loudness import copy_video_command
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

    def audio_args(self) -> list[str]:
        """The AAC-LC output options."""
        return ["-c:a", "aac", "-profile:a", "aac_low", "-ar", str(self.audio_rate), "-ac", "2",
                "-b:a", self.audio_bitrate]


HIGH_PROFILE = "8x8dct=1"  # x264 writes High only when a High tool is on; ultrafast turns it off
FAST_PRESETS = ("ultrafast", "superfast", "veryfast")
SEGMENT_S = 10  # the still picture's segment, looped under the audio


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
                                   "force_divisible_by": 2, "out_range": "tv"}),
                  ("setsar", (1,), {}),
                  ("pad", (*size, "(ow-iw)/2", "(oh-ih)/2"), {"color": "black"})]
    else:
        chain += [("scale", (geo.width, geo.height), {"out_range": "tv"}),
                  ("setsar", (1,), {})]
        if (geo.width, geo.height) != (geo.frame_width, geo.frame_height):
            chain.append(("pad", (geo.frame_width, geo.frame_height, geo.x, geo.y),
                          {"color": "black"}))
    chain.append(("format", ("yuv420p",), {}))
    return chain


def build_node(job: Encode, output: Path, target: Target) -> Any:
    """The ffmpeg-python output node that encodes a lesson with video, ``job``, into
    ``output``. The lesson is input 0."""
    import ffmpeg

    lesson = ffmpeg.input(str(job.source))
    streams: list[Any] = []
    extra: dict[str, Any] = {}
    video = lesson["v:0"]
    for name, args, kwargs in video_filters(job, target):
        video = video.filter(name, *args, **kwargs)
    streams.append(video)
    if job.audio is Audio.KEEP:
        audio = lesson["a:0"]
        if job.loudness is not None:
            audio = audio.filter("loudnorm", **job.loudness.params())
        streams.append(audio)
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
        *streams, str(output), f="mp4", movflags="+faststart", map_metadata=0, **{
            "c:v": "libx264", "profile:v": "high", "x264-params": HIGH_PROFILE,
            "pix_fmt": "yuv420p", "preset": target.preset, "crf": target.crf, "r": target.fps,
            "fps_mode": "cfr"}, **extra)


def _head(ffmpeg_path: str, progress: bool) -> list[str]:
    head = [ffmpeg_path, "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    return [*head, "-nostats", "-progress", "pipe:1"] if progress else head


def still_commands(ffmpeg_path: str, job: Encode, output: Path, target: Target, still: Path,
                   segment: Path, progress: bool = False) -> list[list[str]]:
    """The picture encoded into ``segment``, then the audio over it looped, cut at
    ``job.duration_s`` (the audio's real duration; required)."""
    assert job.duration_s is not None, "a still picture needs the audio's duration"
    seconds = min(SEGMENT_S, max(1, math.ceil(job.duration_s)))
    chain = [f"{name}={':'.join([*map(str, args), *(f'{k}={v}' for k, v in kw.items())])}"
             for name, args, kw in video_filters(job, target) if name not in ("fps", "yadif")]
    preset = target.preset if target.preset in FAST_PRESETS else "veryfast"
    picture = [*_head(ffmpeg_path, False), "-loop", "1", "-framerate", "1", "-t", str(seconds),
               "-i", f"file:{still}", "-vf", ",".join([*chain, f"fps={target.fps}"]),
               "-frames:v", str(seconds * target.fps), "-an", "-c:v", "libx264",
               "-profile:v", "high", "-x264-params", HIGH_PROFILE, "-preset", preset,
               "-tune", "stillimage", "-crf", str(target.crf), "-g", str(seconds * target.fps),
               "-bf", "0", "-pix_fmt", "yuv420p", "-r", str(target.fps), "-f", "mp4",
               str(segment)]
    audio = (["-map", "1:a:0", *target.audio_args()] if job.audio is Audio.KEEP else ["-an"])
    if job.loudness is not None and job.audio is Audio.KEEP:
        audio += ["-af", job.loudness.filter()]
    over = [*_head(ffmpeg_path, progress), "-stream_loop", "-1", "-i", str(segment),
            "-i", f"file:{job.source}", "-map", "0:v:0", *audio, "-c:v", "copy",
            "-t", f"{job.duration_s:.3f}", "-map_metadata", "1", "-movflags", "+faststart",
            "-f", "mp4", str(output)]
    return [picture, over]


def commands(ffmpeg_path: str, job: Encode, output: Path, target: Target,
             still: Path | None = None, work: Path | None = None,
             progress: bool = False) -> list[list[str]]:
    """Every argv that makes ``output``, in order. ``still`` is the picture of an audio-only
    lesson (the cover, or a rendered slate); its segment goes in ``work`` (default: beside
    ``output``). With ``progress``, the last command writes ``-progress`` records to stdout."""
    import ffmpeg

    if job.copy_video and job.loudness is not None:
        return [copy_video_command(_head(ffmpeg_path, progress), str(job.source), str(output),
                                   job.loudness, target.audio_args())]
    if job.picture is not Picture.VIDEO:
        picture = still if still is not None else job.still
        assert picture is not None
        segment = (work or output.parent) / f"{output.stem}.still.mp4"
        return still_commands(ffmpeg_path, job, output, target, picture, segment, progress)
    args: list[str] = ffmpeg.get_args(build_node(job, output, target))
    return [_head(ffmpeg_path, progress) + args]

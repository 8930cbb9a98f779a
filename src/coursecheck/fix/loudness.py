"""Loudness for ``fix``: ffmpeg's ``loudnorm`` in its two-pass form, the first pass being the
``--deep`` measurement coursecheck has already made (integrated loudness, range, true peak and
gate, by the same BS.1770 meter). The second pass applies them with ``linear=true``: one gain for
the whole lesson, which loudnorm itself replaces by its dynamic mode only where a linear gain
would push the true peak over the ceiling.

A lesson flagged only with D104/D105 keeps its video stream untouched (``-c:v copy``) and has
its audio re-encoded; a lesson re-encoded anyway gets the same filter in that one encode.
"""

from __future__ import annotations

from dataclasses import dataclass

from coursecheck.deep.facts import DeepFacts

FIXED_BY_LOUDNORM = frozenset({"D104", "D105"})
PEAK_MARGIN_DB = 0.5  # the ceiling sits this far under the rule's true-peak maximum
LEVEL_MARGIN = 0.5  # LU kept clear of the D104 window's and the D107 spread's edges
LOUDNORM_SAMPLE_RATE = 48000  # loudnorm works at 192 kHz; the output is resampled to this


@dataclass(frozen=True, slots=True)
class Loudness:
    """The first pass's measurements and the targets of the second."""

    measured_i: float
    measured_lra: float
    measured_tp: float
    measured_thresh: float
    target_i: float = -18.0
    target_tp: float = -1.5

    def params(self) -> dict[str, str]:
        """The options of the second pass's ``loudnorm``."""
        lra = min(50.0, max(7.0, self.measured_lra + 1.0))  # never the reason linear is refused
        return {"I": f"{self.target_i:g}", "TP": f"{self.target_tp:g}", "LRA": f"{lra:g}",
                "measured_I": f"{self.measured_i:g}", "measured_LRA": f"{self.measured_lra:g}",
                "measured_TP": f"{self.measured_tp:g}",
                "measured_thresh": f"{self.measured_thresh:g}", "linear": "true",
                "print_format": "none"}

    def filter(self) -> str:
        """The ``loudnorm`` filter of the second pass, as ``-af`` text."""
        return "loudnorm=" + ":".join(f"{k}={v}" for k, v in self.params().items())


def course_target(kept: list[float], target: float, tolerance: float, spread_max: float
                  ) -> float:
    """The loudness to bring re-encoded lessons to, given the loudness of the lessons ``fix``
    leaves as they are (``kept``): ``target`` (the profile's, −18 LUFS), unless that would set
    them further than ``spread_max`` from the others (D107). Then the level nearest ``target``
    that stays within ``spread_max`` of every kept lesson and within ``tolerance`` of
    ``target`` (D104), with :data:`LEVEL_MARGIN` to spare; ``target`` when no level does both
    (the kept lessons are too far apart themselves)."""
    if not kept:
        return target
    low = max(max(kept) - spread_max, target - tolerance) + LEVEL_MARGIN
    high = min(min(kept) + spread_max, target + tolerance) - LEVEL_MARGIN
    if low > high:
        return target
    return round(min(max(target, low), high), 1)


def loudness_for(deep: DeepFacts | None, target_i: float, true_peak_max: float
                 ) -> Loudness | None:
    """The normalisation for a lesson's deep facts, or ``None`` when they lack a measurement
    (no audio, silence, or no deep pass)."""
    if deep is None or None in (deep.loudness_lufs, deep.loudness_range_lu, deep.true_peak_dbtp,
                                deep.loudness_gate_lufs):
        return None
    assert deep.loudness_lufs is not None and deep.loudness_range_lu is not None
    assert deep.true_peak_dbtp is not None and deep.loudness_gate_lufs is not None
    if deep.loudness_lufs <= -70:
        return None
    return Loudness(deep.loudness_lufs, deep.loudness_range_lu, deep.true_peak_dbtp,
                    deep.loudness_gate_lufs, target_i, true_peak_max - PEAK_MARGIN_DB)


def copy_video_command(head: list[str], source: str, output: str, loudness: Loudness,
                       audio_args: list[str]) -> list[str]:
    """One ffmpeg command: the video stream copied bit for bit, the audio normalised."""
    return [*head, "-i", f"file:{source}", "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy",
            "-af", loudness.filter(), *audio_args, "-map_metadata", "0",
            "-movflags", "+faststart", "-f", "mp4", output]

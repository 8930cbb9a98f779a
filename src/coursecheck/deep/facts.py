"""What one decode pass learnt about one lesson: :class:`DeepFacts`, a frozen, picklable record.

It round-trips through JSON (:meth:`DeepFacts.to_json`, :func:`from_json`) so the probe cache can
keep it and a worker on another machine can send it back. Times are seconds from the start of the
file's timeline; spans are ``(start_s, end_s)`` pairs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Level = Literal["quick", "full"]
Span = tuple[float, float]
# Bump when the analysis or the layout below changes: cached results of other versions are ignored.
ANALYSIS_VERSION = "deep-4"


def as_level(value: str) -> Level | None:
    """``quick`` or ``full`` as a :data:`Level`; ``None`` for ``off`` or anything else."""
    if value == "quick":
        return "quick"
    if value == "full":
        return "full"
    return None


@dataclass(frozen=True, slots=True)
class TrackTimes:
    """One track's packets, from the demuxer: when it starts and ends, and how its clock runs.

    ``backwards`` counts decode timestamps that went back; ``max_gap_s`` is the largest step
    between consecutive decode timestamps.
    """

    start_s: float | None = None
    end_s: float | None = None
    packets: int = 0
    backwards: int = 0
    max_gap_s: float = 0.0


@dataclass(frozen=True, slots=True)
class DeepFacts:
    """The facts the D-rules read. ``failure`` is empty when ffmpeg ran to the end.

    ``failure`` is ``timeout`` (killed after the time limit), ``output_cap`` (killed for writing
    too much), ``no_ffmpeg`` or ``crashed`` (ffmpeg could not start or died of a signal), with
    ``failure_detail`` saying more.
    """

    level: Level
    decoded_s: float | None = None
    frames: int | None = None
    decode_errors: int = 0
    first_error_s: float | None = None
    error_lines: tuple[str, ...] = ()
    loudness_lufs: float | None = None
    loudness_range_lu: float | None = None
    loudness_gate_lufs: float | None = None  # the relative gate of the integrated measurement
    true_peak_dbtp: float | None = None
    sample_peak_dbfs: float | None = None
    black: tuple[Span, ...] = ()
    frozen: tuple[Span, ...] = ()
    silent: tuple[Span, ...] = ()
    video: TrackTimes | None = None
    audio: TrackTimes | None = None
    failure: str = ""
    failure_detail: str = ""

    def summary(self) -> dict[str, Any]:
        """The documented ``deep`` object of a lesson in the JSON report."""
        return {
            "level": self.level,
            "decoded_s": self.decoded_s,
            "frames": self.frames,
            "decode_errors": self.decode_errors,
            "first_error_s": self.first_error_s,
            "loudness_lufs": self.loudness_lufs,
            "loudness_range_lu": self.loudness_range_lu,
            "true_peak_dbtp": self.true_peak_dbtp,
            "sample_peak_dbfs": self.sample_peak_dbfs,
            "black": [list(span) for span in self.black],
            "frozen": [list(span) for span in self.frozen],
            "silent": [list(span) for span in self.silent],
        }

    def to_json(self) -> dict[str, Any]:
        """Every field as plain JSON data."""
        return asdict(self)


def from_json(data: dict[str, Any]) -> DeepFacts:
    """The inverse of :meth:`DeepFacts.to_json`; raises on anything that does not fit."""
    known = {f.name for f in fields(DeepFacts)}
    if set(data) != known:
        raise ValueError("deep facts of another layout")
    values = dict(data)
    for name in ("black", "frozen", "silent"):
        values[name] = tuple((float(a), float(b)) for a, b in values[name])
    values["error_lines"] = tuple(str(line) for line in values["error_lines"])
    for name in ("video", "audio"):
        if values[name] is not None:
            values[name] = TrackTimes(**values[name])
    if values["level"] not in ("quick", "full"):
        raise ValueError("unknown level")
    return DeepFacts(**values)

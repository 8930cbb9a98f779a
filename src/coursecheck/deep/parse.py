"""ffmpeg's output → :class:`DeepFacts`, without running anything.

The decode pass writes two streams. Its packet list (``-f framecrc`` on stdout) gives each
track's timing; its log (stderr, ``-loglevel repeat+level+info``) gives decode errors and the
detectors' reports. :class:`PacketScan` and :class:`LogScan` take them one line at a time, so a
long lesson is never held in memory; :func:`parse` does both for recorded output in tests.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from coursecheck.deep.facts import DeepFacts, Level, Span, TrackTimes

MAX_ERROR_LINES = 5
GATE_LUFS = -70.0  # ebur128's absolute gate
AUDIBLE_DBFS = -50.0  # the default silence threshold
_TAGGED_ERROR = re.compile(r"\[(error|fatal|panic)\] ")
_PREFIX = re.compile(r"^(?:\[[^\]]*\] )*")
_NUMBER = r"(-?(?:\d+(?:\.\d*)?|inf|nan))"
_BLACK = re.compile(rf"black_start:{_NUMBER} black_end:{_NUMBER}")
_FREEZE = re.compile(rf"lavfi\.freezedetect\.freeze_(start|end): {_NUMBER}")
_SILENCE = re.compile(rf"silence_(start|end): {_NUMBER}")
_VFR = re.compile(r"VFR:[\d.]+ \((\d+)/(\d+)\)")
_SUMMARY_VALUE = re.compile(rf"^\s*(I|LRA|Peak|Threshold):\s+{_NUMBER}")


def _num(text: str) -> float | None:
    value = float(text)
    return None if math.isinf(value) or math.isnan(value) else value


class PacketScan:
    """Reads a ``framecrc`` packet list line by line into per-track timing."""

    def __init__(self) -> None:
        self._tb: dict[int, float] = {}
        self._kind: dict[int, str] = {}
        self._tracks: dict[int, dict[str, float]] = {}
        self.now_s = 0.0  # the latest decode time seen, in seconds

    def feed(self, line: str) -> None:
        """Take one line of the packet list."""
        if line.startswith("#tb "):
            index, _, frac = line[4:].partition(": ")
            num, _, den = frac.partition("/")
            self._tb[int(index)] = int(num) / int(den)
        elif line.startswith("#media_type "):
            index, _, kind = line[12:].partition(": ")
            self._kind[int(index)] = kind.strip()
        elif line[:1].isdigit():
            self._packet(line.split(","))

    def _packet(self, parts: list[str]) -> None:
        try:
            index, dts, pts, dur = (int(p) for p in parts[:4])
        except ValueError:
            return
        tb = self._tb.get(index, 1.0)
        flags = next((p.strip()[2:] for p in parts[6:] if p.strip().startswith("F=")), "0x0")
        discarded = int(flags, 16) & 0x4  # AV_PKT_FLAG_DISCARD: the AAC priming packet
        track = self._tracks.setdefault(index, {"packets": 0, "backwards": 0, "max_gap": 0.0})
        track["packets"] += 1
        if "dts" in track:
            step = (dts - track["dts"]) * tb
            track["backwards"] += step < 0
            track["max_gap"] = max(track["max_gap"], step)
        track["dts"] = dts
        if not discarded:
            track["start"] = min(track.get("start", math.inf), pts * tb)
        track["end"] = max(track.get("end", -math.inf), (pts + dur) * tb)
        self.now_s = max(self.now_s, dts * tb)

    def track(self, kind: str) -> TrackTimes | None:
        """The first track of ``kind`` (``video`` or ``audio``), or ``None``."""
        for index, found in sorted(self._kind.items()):
            if found == kind:
                t = self._tracks.get(index)
                if t is None:
                    return TrackTimes()
                start = t.get("start")
                return TrackTimes(
                    start_s=round(start, 3) if start is not None else None,
                    end_s=round(t["end"], 3) if "end" in t else None,
                    packets=int(t["packets"]), backwards=int(t["backwards"]),
                    max_gap_s=round(t["max_gap"], 3))
        return None


class LogScan:
    """Reads ffmpeg's log line by line: errors, detector spans, the loudness summary."""

    def __init__(self) -> None:
        self.errors = 0
        self.first_error_s: float | None = None
        self.error_lines: list[str] = []
        self.black: list[Span] = []
        self._open: dict[str, float] = {}
        self.frozen: list[Span] = []
        self.silent: list[Span] = []
        self.loudness: dict[str, float | None] = {}
        self._section = ""
        self._in_summary = False
        self.vfr_frames: int | None = None

    def feed(self, line: str, at_s: float = 0.0) -> None:
        """Take one log line; ``at_s`` is how far the packet list had got when it came."""
        if _TAGGED_ERROR.search(line):
            self.errors += 1
            if self.first_error_s is None:
                self.first_error_s = round(at_s, 3)
            if len(self.error_lines) < MAX_ERROR_LINES:
                self.error_lines.append(_PREFIX.sub("", line).strip()[:200])
            return
        if self._in_summary and not line.startswith("["):
            self._summary(line)  # the summary's lines carry no prefix; other threads may
            return  # log between them, so a prefixed line does not end it
        if line.endswith("Summary:") and "ebur128" in line:
            self._in_summary = True
        elif match := _BLACK.search(line):
            self._add(self.black, _num(match.group(1)), _num(match.group(2)))
        elif match := _FREEZE.search(line):
            self._edge("freeze", match.group(1), _num(match.group(2)), self.frozen)
        elif match := _SILENCE.search(line):
            self._edge("silence", match.group(1), _num(match.group(2)), self.silent)
        elif match := _VFR.search(line):
            self.vfr_frames = int(match.group(1)) + int(match.group(2)) + 1

    def _summary(self, line: str) -> None:
        stripped = line.strip()
        if stripped.endswith(":"):  # a heading: "Sample peak:", "True peak:"
            self._section = stripped[:-1]
            return
        match = _SUMMARY_VALUE.match(line)
        if match is None:
            return
        name = match.group(1)
        if name in ("Peak", "Threshold"):  # "True peak: Peak:", "Integrated loudness: Threshold:"
            name = f"{self._section} {name}"
        self.loudness[name] = _num(match.group(2))

    def _edge(self, name: str, edge: str, value: float | None, spans: list[Span]) -> None:
        if value is None:
            return
        if edge == "start":
            self._open[name] = value
        elif name in self._open:
            self._add(spans, self._open.pop(name), value)

    @staticmethod
    def _add(spans: list[Span], start: float | None, end: float | None) -> None:
        if start is not None and end is not None and end > start:
            spans.append((round(start, 3), round(end, 3)))

    def close(self, end_s: float | None) -> None:
        """Close spans still open when the file ended (a lesson silent to its end)."""
        for name, spans in (("freeze", self.frozen), ("silence", self.silent)):
            if name in self._open and end_s is not None:
                self._add(spans, self._open.pop(name), end_s)


def merge(spans: Iterable[Span], gap: float = 0.0) -> tuple[Span, ...]:
    """Spans sorted, with overlapping ones (or ones at most ``gap`` apart) joined."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)


def subtract(spans: Iterable[Span], holes: Iterable[Span]) -> tuple[Span, ...]:
    """``spans`` with every part that lies inside one of ``holes`` cut out."""
    pieces = list(spans)
    for h_start, h_end in holes:
        kept: list[Span] = []
        for start, end in pieces:
            if h_end <= start or h_start >= end:
                kept.append((start, end))
                continue
            if start < h_start:
                kept.append((start, h_start))
            if h_end < end:
                kept.append((h_end, end))
        pieces = kept
    return tuple((round(a, 3), round(b, 3)) for a, b in pieces if b - a > 0.001)


def _integrated(loudness: dict[str, float | None]) -> float | None:
    """Integrated loudness, or ``None`` when it could not be measured. ebur128 reports its
    absolute gate, −70 LUFS, both for silence and for audio shorter than one 400 ms block; an
    audible sample peak tells the second apart (seen on a 0.3 s pluck from CPython's test data,
    peaking at 0 dBFS, which must be neither silent nor quiet)."""
    lufs, peak = loudness.get("I"), loudness.get("Sample peak Peak")
    if lufs is not None and lufs <= GATE_LUFS and peak is not None and peak > AUDIBLE_DBFS:
        return None
    return lufs


def finish(level: Level, packets: PacketScan, log: LogScan, failure: str = "",
           detail: str = "") -> DeepFacts:
    """The facts from what both scans saw."""
    video, audio = packets.track("video"), packets.track("audio")
    ends = [t.end_s for t in (video, audio) if t is not None and t.end_s is not None]
    decoded = max(ends) if ends else None
    log.close(decoded)
    black = merge(log.black)
    frames = log.vfr_frames if log.vfr_frames is not None else (video.packets if video else None)
    return DeepFacts(
        level=level, decoded_s=decoded, frames=frames, decode_errors=log.errors,
        first_error_s=log.first_error_s, error_lines=tuple(log.error_lines),
        loudness_lufs=_integrated(log.loudness), loudness_range_lu=log.loudness.get("LRA"),
        loudness_gate_lufs=log.loudness.get("Integrated loudness Threshold"),
        true_peak_dbtp=log.loudness.get("True peak Peak"),
        sample_peak_dbfs=log.loudness.get("Sample peak Peak"),
        black=black, frozen=subtract(merge(log.frozen), black), silent=merge(log.silent),
        video=video, audio=audio, failure=failure, failure_detail=detail)


def parse(level: Level, packet_text: str, log_text: str) -> DeepFacts:
    """Facts from recorded output (the log lines all counted at time 0)."""
    packets, log = PacketScan(), LogScan()
    for line in packet_text.splitlines():
        packets.feed(line)
    for line in re.split(r"[\r\n]+", log_text):
        log.feed(line)
    return finish(level, packets, log)

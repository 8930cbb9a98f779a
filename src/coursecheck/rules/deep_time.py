"""Shared by the D-rules: time as ``m:ss.s`` and lists of spans capped for a message."""

from __future__ import annotations

from collections.abc import Iterable

from coursecheck.deep.facts import Span

MAX_SPANS_SHOWN = 20


def clock(seconds: float | None) -> str:
    """``192.4`` → ``3:12.4``; hours as ``1:02:03.0``; ``?`` when unknown."""
    if seconds is None:
        return "?"
    tenths = round(max(seconds, 0.0) * 10)
    minutes, rest = divmod(tenths, 600)
    hours, minutes = divmod(minutes, 60)
    text = f"{minutes}:{rest // 10:02d}.{rest % 10}"
    return f"{hours}:{minutes:02d}:{rest // 10:02d}.{rest % 10}" if hours else text


def span_text(span: Span) -> str:
    """One span as ``m:ss.s–m:ss.s``."""
    return f"{clock(span[0])}–{clock(span[1])}"


def spans_text(spans: Iterable[Span], more: str = "+{n}") -> str:
    """At most :data:`MAX_SPANS_SHOWN` spans, comma-separated, then ``+N`` for the rest."""
    spans = list(spans)
    shown = ", ".join(span_text(s) for s in spans[:MAX_SPANS_SHOWN])
    rest = len(spans) - MAX_SPANS_SHOWN
    return f"{shown}, {more.format(n=rest)}" if rest > 0 else shown


def long_enough(spans: Iterable[Span], minimum: float) -> list[Span]:
    """The spans that last at least ``minimum`` seconds (a hair of rounding allowed)."""
    return [s for s in spans if s[1] - s[0] >= minimum - 0.005]

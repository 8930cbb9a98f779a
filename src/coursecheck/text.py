"""Counting characters the way the guide's "100 字以内" is meant."""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` with lone surrogates (from a file name that is not UTF-8) replaced by U+FFFD,
    so that it can be written to any UTF-8 stream."""
    return _SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """:func:`clean`, and control characters (ESC, NUL, …, not tab or newline) shown as U+FFFD,
    so a name from a user's file cannot move the cursor or recolour a terminal or spreadsheet."""
    return _CONTROL.sub("\ufffd", clean(text))


def elide(text: str, limit: int = 160) -> str:
    """``text``, or its start and end around ``…`` when longer than ``limit`` characters (a path
    of thousands of characters in a one-line note)."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[-half:]


def char_count(text: str) -> int:
    """Unicode code points after NFC normalisation and stripping leading/trailing white space.

    A Chinese character, a full-width punctuation mark and a Latin letter each count as one.
    """
    return len(unicodedata.normalize("NFC", text).strip())


def format_duration(seconds: float) -> str:
    """``m:ss.fff``, the way durations appear in every message."""
    millis = round(seconds * 1000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{minutes}:{secs:02d}.{millis:03d}"

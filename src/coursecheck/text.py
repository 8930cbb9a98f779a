"""Counting characters the way the guide's "100 字以内" is meant."""

from __future__ import annotations

import unicodedata


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

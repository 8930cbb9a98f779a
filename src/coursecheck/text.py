"""Counting characters the way the guide's "100 字以内" is meant."""

from __future__ import annotations

import re
import unicodedata

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# characters that reorder or hide text: an "evil\u202e4pm.exe" reads as "evilexe.mp4"
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEPING_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# what a JSON or XML document should never carry raw: C1 controls and the bidi characters
_INVISIBLE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """``text`` with lone surrogates (from a file name that is not UTF-8) replaced by U+FFFD,
    so that it can be written to any UTF-8 stream."""
    return _SURROGATE.sub("\ufffd", text)


def printable(text: str) -> str:
    """:func:`clean`, and control characters (ESC, NUL, …, not tab or newline) shown as U+FFFD,
    so a name from a user's file cannot move the cursor or recolour a terminal or spreadsheet."""
    return _BIDI.sub("\ufffd", _CONTROL.sub("\ufffd", clean(text)))


def visible(text: str) -> str:
    """:func:`clean`, with every control character but tab, CR and LF (which each format
    escapes its own way), and every bidirectional control, written out as ``\\uXXXX`` so that
    it shows instead of acting (ESC colouring a CI log, U+202E reordering a file name)."""
    return _BIDI.sub(_escaped, _CONTROL_KEEPING_LINES.sub(_escaped, clean(text)))


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_escaped(document: str) -> str:
    """A JSON ``document`` with C1 controls and bidirectional controls as JSON ``\\uXXXX``
    escapes: the same data when parsed, but nothing in it reorders text when it is read raw."""
    return _INVISIBLE.sub(_escaped, clean(document))


def xml_escaped(document: str) -> str:
    """An XML ``document`` with raw CR and the bidirectional and C1 controls as character
    references: the same data when parsed, visible when read raw."""
    return _INVISIBLE.sub(lambda m: f"&#x{ord(m.group()):X};", document.replace("\r", "&#13;"))


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

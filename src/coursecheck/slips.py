"""Typing slips a Chinese input method makes in YAML, found by line and repaired in a copy.

A full-width colon after a key (``name：课程``), a colon with no space after it
(``theme:老年智慧生活``, which YAML reads as one piece of text), full-width spaces (U+3000) used as
indentation or after a colon, and tabs used for indentation all break YAML, and PyYAML's own
sentence does not say what to change (and often names the line after). :func:`find_slips` names
each one with its line; :func:`repaired` returns the text with them put right, so the rest of
the manifest can still be checked. Lines inside block scalars (``intro: |``) are text, never
slips.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from coursecheck.yamlload import YamlDoc, YamlError, load_yaml

IDEOGRAPHIC_SPACE = "\u3000"
FULLWIDTH_COLON = "\uff1a"

# indentation, an optional "- " list marker, a field name, the colon, what follows it
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t\u3000]*)(?P<dash>-[ \t\u3000]+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?P<gap>[ \u3000]*)"
    r"(?:(?P<colon>:)(?P<after>[ \t\u3000]|$)|(?P<wide>\uff1a)(?P<wafter>[ \t\u3000]?)"
    r"|(?P<tight>:)(?=[^\s/\\:]))")  # no space after the colon (not a URL, path or time)
_BLOCK_START = re.compile(r"[:\uff1a][ \t\u3000]*[|>][+-]?[0-9]?[ \t]*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class Slip:
    """One slip: its 1-based line and its kind (``fullwidth_colon``, ``fullwidth_space``,
    ``tab``, ``tight_colon``: no space after the colon), and the key it was found on."""

    line: int
    kind: str
    key: str


def load_forgiving(text: str) -> tuple[YamlDoc | YamlError, tuple[Slip, ...]]:
    """Parse ``text``; when it holds slips, parse it again with them repaired.

    Returns the document (the repaired one when that parses) and the slips to report. A text
    that parses as it is reports only slips on a key line (``　name: …``), so a full-width space
    inside a value is never called a slip.
    """
    doc = load_yaml(text)
    slips = find_slips(text)
    if isinstance(doc, YamlDoc):  # a "key:value" line that starts no node is inside a text
        starts = set(doc.lines.values())
        slips = [slip for slip in slips
                 if slip.key and (slip.kind != "tight_colon" or slip.line in starts)]
    if not slips:
        return doc, ()
    first: YamlDoc | YamlError | None = None
    for tab_width in (2, 4, 8) if any(s.kind == "tab" for s in slips) else (2,):
        fixed = load_yaml(repaired(text, tab_width))
        if isinstance(fixed, YamlDoc):
            return fixed, tuple(slips)
        first = first or fixed
    return (doc if isinstance(doc, YamlDoc) else first or doc), tuple(slips)


def find_slips(text: str) -> list[Slip]:
    """Every slip in ``text``, in line order (a line may hold more than one kind)."""
    found: list[Slip] = []
    for number, line in _candidates(text):
        match = _KEY_LINE.match(line)
        key = match.group("key") if match else ""
        head = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if match:
            head = match.group("indent") + (match.group("dash") or "")
        if "\t" in head:
            found.append(Slip(number, "tab", key))
        if match and match.group("wide"):
            found.append(Slip(number, "fullwidth_colon", key))
        if match and match.group("tight"):
            found.append(Slip(number, "tight_colon", key))
        if match:
            head += match.group("gap") + (match.group("after") or match.group("wafter") or "")
        if IDEOGRAPHIC_SPACE in head:
            found.append(Slip(number, "fullwidth_space", key))
    return found


def repaired(text: str, tab_width: int = 2) -> str:
    """``text`` with every slip put right: ``：`` → ``: ``, ``key:value`` → ``key: value``,
    each U+3000 in indentation → two
    spaces (its width on screen), each tab in indentation → ``tab_width`` spaces. Line numbers
    do not change."""
    lines = text.split("\n")
    for number, line in _candidates(text):
        lines[number - 1] = _fix_line(line, tab_width)
    return "\n".join(lines)


def _candidates(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for each line outside block scalars and comments that holds a
    tab, a U+3000 or a full-width colon, or starts with a key and a colon with no space after
    it."""
    block_indent: int | None = None  # inside a block scalar: the indentation of its key
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" \t\u3000")
        width = len(line) - len(line.lstrip(" "))  # YAML indents with spaces only
        if block_indent is not None:
            if not stripped or width > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        if _BLOCK_START.search(line.split(" #")[0]):
            block_indent = width
        if any(c in line for c in ("\t", IDEOGRAPHIC_SPACE, FULLWIDTH_COLON)) or (
                ":" in line and _tight(line)):
            yield number, line


def _tight(line: str) -> bool:
    """Whether ``line`` starts with a key and a colon with no space after it."""
    match = _KEY_LINE.match(line)
    return match is not None and match.group("tight") is not None


def _fix_line(line: str, tab_width: int) -> str:
    match = _KEY_LINE.match(line)
    stripped = line.lstrip(" \t\u3000")
    if match is None:
        return _spaces(line[: len(line) - len(stripped)], tab_width) + stripped
    dash = _spaces(match.group("dash") or "", tab_width)
    end = (match.end("after") if match.group("colon") else match.end("wafter")
           if match.group("wide") else match.end("tight"))
    rest = line[end:]
    rest = " " + rest if rest else rest
    return f"{_spaces(match.group('indent'), tab_width)}{dash}{match.group('key')}:{rest}"


def _spaces(indent: str, tab_width: int) -> str:
    return indent.replace(IDEOGRAPHIC_SPACE, "  ").replace("\t", " " * tab_width)

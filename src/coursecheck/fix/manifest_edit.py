"""Rewrite ``lessons[i].file`` values in a copy of the manifest, and nothing else.

When ``fix`` turns ``x.mov`` into ``x.mp4``, the copied manifest must name the new file. The edit
is a splice of the value's characters, located by the YAML parser's marks, so comments, key order,
quoting style, line endings, the encoding and a BOM all stay as the author wrote them. The result
is parsed again and must equal the original data with only those values changed; otherwise the
edit is refused (``None``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

import yaml

from coursecheck.yamlload import YamlError, decode, load_yaml

BOM = b"\xef\xbb\xbf"


def rewrite_lesson_files(raw: bytes, renames: Sequence[tuple[int, str, str]]) -> bytes | None:
    """``raw`` with each ``(index, old, new)`` lesson file value replaced, or ``None``."""
    decoded = decode(raw)
    if isinstance(decoded, YamlError):
        return None
    text = decoded.text
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    spans: dict[int, tuple[int, str]] = {}
    for index, _old, new in renames:
        node = _file_node(root, index)
        if node is None or node.style not in (None, "'", '"'):
            return None
        spans[node.start_mark.index] = (node.end_mark.index, _scalar(new, node.style))
    for start in sorted(spans, reverse=True):
        end, replacement = spans[start]
        text = text[:start] + replacement + text[end:]
    if not _same_but_renamed(decoded.text, text, renames):
        return None
    out = text.encode(decoded.encoding)
    return BOM + out if raw.startswith(BOM) else out


def _file_node(root: Any, index: int) -> yaml.ScalarNode | None:
    lessons = _value(root, "lessons")
    if not isinstance(lessons, yaml.SequenceNode) or index >= len(lessons.value):
        return None
    found = _value(lessons.value[index], "file")
    return found if isinstance(found, yaml.ScalarNode) else None


def _value(node: Any, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v  # type: ignore[no-any-return]
    return None


def _scalar(value: str, style: str | None) -> str:
    """``value`` in the same quoting style, or double-quoted when plain would read back
    differently."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style is None and _reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.safe_load(value) == value) and "#" not in value
    except yaml.YAMLError:
        return False


def _same_but_renamed(before: str, after: str, renames: Sequence[tuple[int, str, str]]) -> bool:
    old, new = load_yaml(before), load_yaml(after)
    if isinstance(old, YamlError) or isinstance(new, YamlError):
        return False
    expected = copy.deepcopy(old.data)
    try:
        for index, _old, value in renames:
            expected["lessons"][index]["file"] = value
    except (KeyError, IndexError, TypeError):
        return False
    return bool(expected == new.data)

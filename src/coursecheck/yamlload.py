"""Read a manifest's bytes into plain data plus a map from field path to line number.

Bad input is a value, never an exception: :func:`load_yaml` returns a :class:`YamlDoc` or a
:class:`YamlError`. Limits on size, nesting depth and alias expansion stop hostile files (such as a
"billion laughs" alias bomb) before they cost time or memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (ten times faster); it refuses nesting deeper than
# 1,000 levels by itself. The pure-Python one otherwise.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NOT_ALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader whose value errors (2023-02-30, a 5,000-digit number) carry their line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid value {node.value!r}: {exc}"[:200], node.start_mark
            ) from exc
        except (KeyError, AttributeError, IndexError) as exc:  # `!!bool maybe`, `!!timestamp x`
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid value {node.value!r} for the tag {node.tag}"[:200],
                node.start_mark) from exc

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 50_000

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed document: the data, the 1-based line of every key and item, and the text as
    written of every unquoted value YAML read as something other than text (``typed``: a
    phone ``02164321765`` that YAML 1.1 read as the octal number 298951669 keeps its digits
    here)."""

    data: Any
    lines: dict[PathKey, int]
    typed: dict[PathKey, str] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """The line of ``path``, or of its nearest ancestor that exists in the document."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


@dataclass(frozen=True, slots=True)
class YamlError:
    """Why a document could not be read, in English; ``kind`` picks the translated message."""

    kind: str
    detail: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class DecodedText:
    """Manifest text and the encoding it was read with."""

    text: str
    encoding: str


def decode(raw: bytes) -> DecodedText | YamlError:
    """UTF-8 (with or without a BOM), UTF-16 (Notepad's "Unicode"), else GB18030, else an
    error."""
    if len(raw) > MAX_BYTES:
        return YamlError("too_large", f"{len(raw)} bytes, limit {MAX_BYTES}")
    utf16 = _utf16(raw)
    if utf16 is not None:
        return utf16
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return DecodedText(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return DecodedText(raw.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        line = raw[: utf8_error.start].count(b"\n") + 1
        return YamlError("not_text", f"byte {utf8_error.start} is neither UTF-8 nor GBK", line)


def _utf16(raw: bytes) -> DecodedText | None:
    """UTF-16 text: with a byte-order mark, or without one when every other byte is zero (an
    empty file is not UTF-16: it is simply empty)."""
    if not raw:
        return None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    elif len(raw) % 2 == 0 and raw[1::2].count(0) * 4 >= len(raw) and not raw[0::2].count(0):
        codec = "utf-16-le"  # mostly ASCII: a zero high byte after every character
    elif len(raw) % 2 == 0 and raw[0::2].count(0) * 4 >= len(raw) and not raw[1::2].count(0):
        codec = "utf-16-be"
    else:
        return None
    try:
        text = raw.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError:
        return None
    return None if _NOT_ALLOWED.search(text) else DecodedText(text, "utf-16")


def as_yaml(value: Any) -> str:
    """How ``value`` is spelt in YAML: ``true``/``false``/``null``, text in double quotes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list):
        return "[…]"
    return str(value)


def load_yaml(text: str) -> YamlDoc | YamlError:
    """Parse one YAML document safely, within the size, depth and alias limits."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character PyYAML refuses to read
        where = text[: exc.position].count("\n") + 1
        return YamlError("syntax", f"character {exc.character!r} is not allowed", where)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlError("empty", "the file holds no YAML document", 1)
        problem = _check_shape(node)
        if problem is not None:
            return problem
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return YamlError("syntax", f"{exc.problem or exc.context}",
                         mark.line + 1 if mark is not None else None)
    except yaml.YAMLError as exc:
        bad = _NOT_ALLOWED.search(text)  # libyaml's reader errors carry no line
        return YamlError("syntax", str(exc).splitlines()[0],
                         text[: bad.start()].count("\n") + 1 if bad else None)
    except RecursionError:
        return YamlError("too_deep", f"nested deeper than {MAX_DEPTH} levels")
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return YamlError("not_mapping", type(data).__name__, node.start_mark.line + 1)
    typed: dict[PathKey, str] = {}
    return YamlDoc(data, dict(_lines(node, (), typed)), typed)


def _check_shape(root: yaml.Node) -> YamlError | None:
    """Refuse documents that are too deep, expand to too many nodes, or repeat a key.

    Sizes and heights are memoised per node, so an alias is counted as what it expands to
    (an alias bomb is refused after a few hundred steps), and a shared node deep down an alias
    chain still counts at its full depth.
    """
    seen: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def visit(node: yaml.Node, depth: int) -> tuple[int, int]:
        """``(expanded size, height)`` of ``node``, found ``depth`` levels down."""
        if depth > MAX_DEPTH:
            raise _Refused("too_deep", f"nested deeper than {MAX_DEPTH} levels", node)
        key = id(node)
        if key in seen:
            size, height = seen[key]
            if depth + height > MAX_DEPTH:
                raise _Refused("too_deep", f"nested deeper than {MAX_DEPTH} levels", node)
            return size, height
        if key in active:
            raise _Refused("alias", "an alias refers to itself", node)
        active.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    if k.value in keys and k.value != "<<":
                        raise _Refused("duplicate_key", str(k.value), k)
                    keys.add(k.value)
                children += (k, v)
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        size, height = 1, 0
        for child in children:
            child_size, child_height = visit(child, depth + 1)
            size, height = size + child_size, max(height, child_height + 1)
            if size > MAX_NODES:
                raise _Refused("too_large", f"expands to more than {MAX_NODES} values", node)
        active.discard(key)
        seen[key] = (size, height)
        return size, height

    try:
        visit(root, 0)
    except _Refused as refused:
        return YamlError(refused.kind, refused.detail, refused.node.start_mark.line + 1)
    return None


class _Refused(Exception):
    def __init__(self, kind: str, detail: str, node: yaml.Node) -> None:
        super().__init__(detail)
        self.kind, self.detail, self.node = kind, detail, node


def _lines(node: yaml.Node, path: PathKey,
           typed: dict[PathKey, str]) -> Iterator[tuple[PathKey, int]]:
    """The line of ``path`` and of everything under it; records typed scalars in ``typed``."""
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:str":
        typed[path] = str(node.value)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                child = (*path, str(k.value))
                yield child, k.start_mark.line + 1
                for sub, line in _lines(v, child, typed):
                    if sub != child:
                        yield sub, line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _lines(item, (*path, index), typed)

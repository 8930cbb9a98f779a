""":class:`MediaFacts` ⇄ JSON, for the probe cache.

Encoding is exact: ``from_json(to_json(facts)) == facts``. Decoding is strict: a missing or extra
key, a value of the wrong type, or a number out of its range (NaN, infinity, a negative size or
duration, a rotation beyond a full turn) raises :class:`ValueError`, so a damaged or planted cache
entry is never mistaken for facts. :data:`LAYOUT` fingerprints the field names and types, and
the probe's revision, so entries written by a build whose records had another shape, or whose
probe read files differently, are simply not matched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import types
from collections.abc import Callable
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from coursecheck.probe import PROBE_REVISION, MediaFacts, VideoFacts


def to_json(facts: MediaFacts) -> Any:
    """``facts`` as plain JSON values (dicts, lists, strings, numbers, ``None``)."""
    return _encode(dataclasses.asdict(facts))


def from_json(data: Any) -> MediaFacts:
    """The :class:`MediaFacts` that :func:`to_json` gave ``data``; :class:`ValueError` if not."""
    facts = _decoder(MediaFacts)(data)
    assert isinstance(facts, MediaFacts)
    return facts


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


Decoder = Callable[[Any], Any]
# Every number in the facts is finite and at least 0 and at most 2**63, except these.
BOUNDS: dict[str, tuple[float, float]] = {"rotation": (-360.0, 360.0)}
DEFAULT_BOUNDS = (0.0, float(2**63))


@cache
def _decoder(kind: Any) -> Decoder:
    """A function that reads a JSON value as type ``kind``, checked all the way down.

    Built once per type, so decoding a cache entry does no reflection.
    """
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        (other,) = [arg for arg in get_args(kind) if arg is not type(None)]
        inner = _decoder(other)
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _decoder(get_args(kind)[0])

        def sequence(value: Any) -> Any:
            if not isinstance(value, list):
                raise ValueError(f"expected a list, got {value!r}")
            return tuple(item(v) for v in value)
        return sequence
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        fields = {name: _decoder(hint) for name, hint in _hints(kind).items()}
        names = set(fields)

        def record(value: Any) -> Any:
            if not isinstance(value, dict) or value.keys() != names:
                raise ValueError(f"expected the fields of {kind.__name__}")
            values = {name: read(value[name]) for name, read in fields.items()}
            for name, item in values.items():
                if isinstance(item, int | float) and not isinstance(item, bool):
                    low, high = BOUNDS.get(name, DEFAULT_BOUNDS)
                    if not low <= item <= high:  # NaN fails this too
                        raise ValueError(f"{name} {item!r} is out of range")
            return kind(**values)
        return record
    return _scalar(kind)


def _scalar(kind: Any) -> Decoder:
    """One reader per kind, chosen once (a cache hit reads about twenty of these)."""
    def wrong(value: Any) -> Any:
        raise ValueError(f"expected {kind}, got {value!r}")

    if kind is dt.date:
        return lambda value: dt.date.fromisoformat(value) if isinstance(value, str) else (
            wrong(value))
    if kind is float:
        return lambda value: float(value) if (
            type(value) in (int, float) and math.isfinite(value)) else wrong(value)
    if kind in (str, int, bool):
        return lambda value: value if type(value) is kind else wrong(value)
    return wrong


def _layout() -> str:
    shape: dict[str, Any] = {cls.__name__: {k: str(v) for k, v in _hints(cls).items()}
                             for cls in (MediaFacts, VideoFacts)}
    shape["probe_revision"] = PROBE_REVISION
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


LAYOUT = _layout()

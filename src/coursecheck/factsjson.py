""":class:`MediaFacts` ⇄ JSON, for the probe cache.

Encoding is exact: ``from_json(to_json(facts)) == facts``. Decoding is strict: a missing or extra
key, or a value of the wrong type, raises :class:`ValueError`, so a damaged cache entry is never
mistaken for facts. :data:`LAYOUT` fingerprints the field names and types, so entries written
by a build whose records had another shape are simply not matched.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import types
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from coursecheck.probe import MediaFacts, VideoFacts


def to_json(facts: MediaFacts) -> Any:
    """``facts`` as plain JSON values (dicts, lists, strings, numbers, ``None``)."""
    return _encode(dataclasses.asdict(facts))


def from_json(data: Any) -> MediaFacts:
    """The :class:`MediaFacts` that :func:`to_json` gave ``data``; :class:`ValueError` if not."""
    facts = _decode(MediaFacts, data)
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


def _decode(kind: Any, value: Any) -> Any:
    """``value`` read as type ``kind``, checked all the way down."""
    origin = get_origin(kind)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in get_args(kind):
            return None
        (other,) = [arg for arg in get_args(kind) if arg is not type(None)]
        return _decode(other, value)
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        return tuple(_decode(get_args(kind)[0], item) for item in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        names = {f.name for f in dataclasses.fields(kind)}
        if not isinstance(value, dict) or set(value) != names:
            raise ValueError(f"expected the fields of {kind.__name__}")
        return kind(**{name: _decode(_hints(kind)[name], value[name]) for name in names})
    if kind is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if kind in (str, int, bool) and type(value) is kind:
        return value
    raise ValueError(f"expected {kind}, got {value!r}")


def _layout() -> str:
    shape = {cls.__name__: {k: str(v) for k, v in _hints(cls).items()}
             for cls in (MediaFacts, VideoFacts)}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


LAYOUT = _layout()

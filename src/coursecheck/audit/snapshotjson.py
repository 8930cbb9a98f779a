"""A checked course's manifest facts and result ⇄ JSON, for the course cache.

Encoding refuses (:class:`Unkept`) whatever it cannot give back exactly, so such a course is
simply checked again next time: YAML values other than text, numbers, booleans, null, dates,
lists and text-keyed mappings (``!!binary``, ``!!set``, a 30-digit number). Decoding is strict:
a value of the wrong type or shape raises :class:`ValueError`, and the cache counts the entry as
damaged. The manifest's pydantic view and its field errors are not stored: they are validated
again from the stored data, which costs a few hundredths of a millisecond.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, TypeVar

from coursecheck.facts import ManifestFacts
from coursecheck.factsjson import DEFAULT_BOUNDS
from coursecheck.findings import CourseResult, Finding, LessonSummary, Severity
from coursecheck.manifest import validate
from coursecheck.slips import Slip
from coursecheck.yamlload import PathKey, YamlDoc, YamlError

_TAG = "\x00"  # a mapping {"\x00date": "2023-03-15"} is a date; YAML keys never start so here
_LARGEST = 1 << 63
T = TypeVar("T")


class Unkept(Exception):
    """The course holds something the cache cannot give back exactly."""


def manifest_to_json(facts: ManifestFacts) -> dict[str, Any]:
    """``facts`` (of a manifest that exists) as plain JSON values."""
    if facts.file is None or facts.near is not None:
        raise Unkept("no manifest")
    error = facts.load_error
    doc = facts.doc
    return {
        "file": facts.file,
        "encoding": facts.encoding,
        "error": None if error is None else [error.kind, error.detail, error.line],
        "doc": None if doc is None else {
            "data": _plain(doc.data),
            "lines": [[list(path), line] for path, line in doc.lines.items()],
            "typed": [[list(path), text] for path, text in doc.typed.items()]},
        "slips": [[slip.line, slip.kind, slip.key] for slip in facts.slips],
    }


def manifest_from_json(value: Any) -> ManifestFacts:
    """The :class:`ManifestFacts` :func:`manifest_to_json` gave ``value``, validated again."""
    _keys(value, "file", "encoding", "error", "doc", "slips")
    error = None
    if value["error"] is not None:
        kind, detail, line = _items(value["error"], 3)
        error = YamlError(_str(kind), _str(detail), _opt(_int, line))
    doc = None
    if value["doc"] is not None:
        _keys(value["doc"], "data", "lines", "typed")
        lines = {_path(path): _int(line) for path, line in map(_pair, _list(value["doc"]["lines"]))}
        typed = {_path(path): _str(text) for path, text in map(_pair, _list(value["doc"]["typed"]))}
        doc = YamlDoc(_data(value["doc"]["data"]), lines, typed)
    slips = tuple(Slip(_int(line), _str(kind), _str(key))
                  for line, kind, key in (_items(s, 3) for s in _list(value["slips"])))
    if (error is None) == (doc is None):
        raise ValueError("a manifest is either read or not")
    view, errors = validate(doc.data) if doc is not None else (None, [])
    return ManifestFacts(_str(value["file"]), _opt(_str, value["encoding"]), error, doc, view,
                         tuple(errors), slips)


def result_to_json(result: CourseResult) -> dict[str, Any]:
    """A course's name, lesson summaries and findings as plain JSON values."""
    if any(lesson.deep is not None for lesson in result.lessons):
        raise Unkept("deep facts")
    return {
        "name": result.name,
        "lessons": [[s.title, s.file, _measured(s.duration_s), _measured(s.width),
                     _measured(s.height), _measured(s.fps), s.codec] for s in result.lessons],
        "findings": [[f.rule, str(f.severity), f.file, f.message, f.line, f.expected, f.actual,
                      f.key, [list(arg) for arg in f.args]] for f in result.findings],
    }


def result_from_json(value: Any, display: str) -> CourseResult:
    """The :class:`CourseResult` :func:`result_to_json` gave ``value``, shown as ``display``."""
    _keys(value, "name", "lessons", "findings")
    lessons = tuple(
        LessonSummary(_str(title), _str(file), _opt(_measure, duration),
                      _opt(_measure_int, width), _opt(_measure_int, height),
                      _opt(_measure, fps), _opt(_str, codec))
        for title, file, duration, width, height, fps, codec
        in (_items(item, 7) for item in _list(value["lessons"])))
    findings = tuple(
        Finding(_str(rule), _severity(severity), _str(file), _str(message), _opt(_int, line),
                _opt(_str, expected), _opt(_str, actual), _str(key),
                tuple((_str(k), _str(v)) for k, v in map(_pair, _list(args))))
        for rule, severity, file, message, line, expected, actual, key, args
        in (_items(item, 9) for item in _list(value["findings"])))
    return CourseResult(display, _opt(_str, value["name"]), lessons, findings)


def _plain(value: Any) -> Any:
    """YAML data as JSON values, dates tagged; :class:`Unkept` for anything else."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if -_LARGEST < value < _LARGEST:
            return value
    elif isinstance(value, float):
        if math.isfinite(value):
            return value
    elif isinstance(value, dt.datetime):
        return {_TAG + "datetime": value.isoformat()}
    elif isinstance(value, dt.date):
        return {_TAG + "date": value.isoformat()}
    elif isinstance(value, list):
        return [_plain(item) for item in value]
    elif isinstance(value, dict) and all(type(key) is str and not key.startswith(_TAG)
                                         for key in value):
        return {key: _plain(item) for key, item in value.items()}
    raise Unkept(type(value).__name__)


def _data(value: Any) -> Any:
    """:func:`_plain`'s output back as YAML data."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, list):
        return [_data(item) for item in value]
    if not isinstance(value, dict):
        raise ValueError("not YAML data")
    if len(value) == 1:
        (key, text), = value.items()
        if key == _TAG + "date":
            return dt.date.fromisoformat(_str(text))
        if key == _TAG + "datetime":
            return dt.datetime.fromisoformat(_str(text))
    if any(key.startswith(_TAG) for key in value):
        raise ValueError("a tag that is no date")
    return {key: _data(item) for key, item in value.items()}


def _measured(value: float | None) -> float | None:
    """A lesson's duration, size or rate, if it is in the probe cache's range (the sum of
    larger finite durations can be infinite, which no report can show)."""
    low, high = DEFAULT_BOUNDS
    if value is not None and not low <= value <= high:  # NaN fails this too
        raise Unkept("a number out of range")
    return value


def _keys(value: Any, *names: str) -> None:
    if not isinstance(value, dict) or value.keys() != set(names):
        raise ValueError("not the expected fields")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _items(value: Any, count: int) -> list[Any]:
    if not isinstance(value, list) or len(value) != count:
        raise ValueError(f"not a list of {count}")
    return value


def _pair(value: Any) -> list[Any]:
    return _items(value, 2)


def _path(value: Any) -> PathKey:
    return tuple(item if isinstance(item, str) else _int(item) for item in _list(value))


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not a whole number")
    return value


def _float(value: Any) -> float:
    """A finite number, kept as it was written (``420`` stays an int, so it prints the same)."""
    if type(value) not in (int, float) or not math.isfinite(value):
        raise ValueError("not a finite number")
    return value  # type: ignore[no-any-return]


def _measure(value: Any) -> float:
    """A finite number in the probe cache's range (see :func:`_measured`)."""
    low, high = DEFAULT_BOUNDS
    if type(value) not in (int, float) or not low <= value <= high:  # NaN fails this too
        raise ValueError("not a number in range")
    return value  # type: ignore[no-any-return]


def _measure_int(value: Any) -> int:
    return _int(_measure(value))


def _severity(value: Any) -> Severity:
    severity = Severity(_str(value))
    if severity is Severity.OFF:
        raise ValueError("a finding is never off")
    return severity


def _opt(read: Callable[[Any], T], value: Any) -> T | None:
    return None if value is None else read(value)

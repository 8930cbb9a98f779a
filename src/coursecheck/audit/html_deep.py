"""The HTML report's view of ``--deep``: a timeline strip per lesson (black, frozen and silent
spans in their own colours, with a legend) and its loudness, and a course's loudness spread."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from coursecheck.deep.facts import DeepFacts, Span
from coursecheck.findings import LessonSummary
from coursecheck.messages import phrase
from coursecheck.rules.deep_time import span_text

DEEP_CSS = """
.strip{position:relative;height:8px;background:var(--line);border-radius:4px;margin:6px 0 2px;
overflow:hidden}
.strip span{position:absolute;top:0;bottom:0;min-width:2px}
.strip .black,.legend .black{background:#222}.strip .frozen,.legend .frozen{background:#3b82f6}
.strip .silent,.legend .silent{background:#f59e0b}
.legend{font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 8px;
border-radius:2px;vertical-align:-1px}
.loud{font-size:12px;font-variant-numeric:tabular-nums}
"""

WORDS: dict[str, dict[str, str]] = {
    "en": {"black": "black", "frozen": "frozen", "silent": "silent",
           "loudness": "loudness {lufs} LUFS", "no_audio": "no loudness measured",
           "spread": "Loudness of the lessons: {low} to {high} LUFS ({spread} LU apart)",
           "errors": "{count} decode errors", "heading": "Loudness",
           "col_loudness": "Loudness (LUFS)", "col_decode_errors": "Decode errors"},
    "zh": {"black": "黑屏", "frozen": "静止", "silent": "静音",
           "loudness": "响度 {lufs} LUFS", "no_audio": "未测得响度",
           "spread": "各微课响度：{low} 至 {high} LUFS（相差 {spread} LU）",
           "errors": "{count} 个解码错误", "heading": "响度",
           "col_loudness": "响度（LUFS）", "col_decode_errors": "解码错误"},
}
KINDS = ("black", "frozen", "silent")


def _w(lang: str, key: str, **args: object) -> str:
    return phrase(WORDS, lang, key, **args)


def legend(lang: str) -> str:
    """The colours of the timeline strip, once per report."""
    return ('<p class="legend dim">' + "".join(
        f'<i class="{kind}"></i>{escape(_w(lang, kind))}' for kind in KINDS) + "</p>")


def _spans(kind: str, spans: Sequence[Span], length: float, lang: str) -> str:
    return "".join(
        f'<span class="{kind}" style="left:{start / length * 100:.2f}%;'
        f'width:{(end - start) / length * 100:.2f}%" '
        f'title="{escape(_w(lang, kind))} {escape(span_text((start, end)))}"></span>'
        for start, end in spans)


def timeline(lesson: LessonSummary, lang: str) -> str:
    """The lesson's strip and loudness line; empty without deep facts."""
    deep: DeepFacts | None = lesson.deep
    if deep is None:
        return ""
    length = lesson.duration_s or deep.decoded_s or 0.0
    strip = ""
    if length > 0:
        strip = ('<div class="strip">' + "".join(
            _spans(kind, getattr(deep, kind), length, lang) for kind in KINDS) + "</div>")
    parts = [_w(lang, "loudness", lufs=f"{deep.loudness_lufs:.1f}")
             if deep.loudness_lufs is not None else _w(lang, "no_audio")]
    if deep.decode_errors:
        parts.append(_w(lang, "errors", count=deep.decode_errors))
    return strip + f'<div class="loud">{escape(" · ".join(parts))}</div>'


def measured(lessons: Sequence[LessonSummary]) -> list[float]:
    """The integrated loudness of each lesson that has sound."""
    return [x.deep.loudness_lufs for x in lessons
            if x.deep is not None and x.deep.loudness_lufs is not None
            and x.deep.loudness_lufs > -70]


def sheet_columns(lessons: Sequence[LessonSummary], lang: str) -> tuple[list[str], list[object]]:
    """The ``--deep`` columns of the 课程核查 sheet: headings, and this course's values."""
    values = measured(lessons)
    span = f"{min(values):.1f} … {max(values):.1f}" if values else ""
    errors = sum(x.deep.decode_errors for x in lessons if x.deep is not None)
    return [_w(lang, "col_loudness"), _w(lang, "col_decode_errors")], [span, errors]


def spread(lessons: Sequence[LessonSummary], lang: str) -> tuple[str, str] | None:
    """A heading and the quietest to the loudest lesson of a course (escaped HTML), or
    ``None`` when fewer than two lessons were measured."""
    values = measured(lessons)
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    return _w(lang, "heading"), escape(_w(lang, "spread", low=f"{low:.1f}", high=f"{high:.1f}",
                                          spread=f"{high - low:.1f}"))

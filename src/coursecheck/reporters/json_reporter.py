"""``--format json``: the documented machine-readable report."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from coursecheck import __version__
from coursecheck.findings import CourseResult, summarize
from coursecheck.text import json_escaped


def report_dict(results: Sequence[CourseResult]) -> dict[str, Any]:
    """``{"tool": …, "courses": […], "summary": …}``, the shape the README documents."""
    return {
        "tool": {"name": "coursecheck", "version": __version__},
        "courses": [r.to_dict() for r in results],
        "summary": summarize(results),
    }


def json_text(data: Any) -> str:
    """``data`` as two-space-indented JSON text (Chinese not escaped) ending in a newline; a
    file name that is not UTF-8 shows as U+FFFD."""
    return json_escaped(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


class JsonReporter:
    """One JSON document on the stream, UTF-8 text (Chinese is not escaped)."""

    name = "json"

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Dump :func:`report_dict` with two-space indents."""
        stream.write(json_text(report_dict(results)))

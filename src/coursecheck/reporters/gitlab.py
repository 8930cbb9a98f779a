"""``--format gitlab``: GitLab Code Quality JSON (the Code Climate subset GitLab reads).

A list of issues, each with ``description`` (rule ID and message), ``check_name`` (the rule
ID), a ``fingerprint`` that is stable across runs and unique in the report, ``severity``, and
``location.path`` / ``location.lines.begin`` (1 for findings on a whole file).

Severity: an error is ``major`` and a warning ``minor``; ``critical`` and ``blocker`` are left
for tools whose findings break a build outright.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from coursecheck.findings import CourseResult, Severity
from coursecheck.reporters.locations import clean, fingerprinted
from coursecheck.text import json_escaped

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


class GitlabReporter:
    """A JSON array of Code Quality issues, UTF-8, Chinese not escaped."""

    name = "gitlab"

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Dump :func:`code_quality` with two-space indents."""
        stream.write(json_escaped(json.dumps(code_quality(results), ensure_ascii=False,
                                             indent=2)) + "\n")


def code_quality(results: Sequence[CourseResult]) -> list[dict[str, Any]]:
    """One Code Quality issue per finding, in report order."""
    return [
        {
            "type": "issue",
            "description": clean(f"{finding.rule}: {finding.message}"),
            "check_name": finding.rule,
            "fingerprint": fingerprint,
            "severity": SEVERITIES.get(finding.severity, "minor"),
            "location": {"path": clean(path), "lines": {"begin": finding.line or 1}},
        }
        for _, finding, path, fingerprint in fingerprinted(results)
    ]

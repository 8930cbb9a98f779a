"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

``::error file=PATH,line=N,title=coursecheck V104::message`` (``::warning`` for warnings; no
``line`` for video findings). GitHub shows at most 10 error and 10 warning annotations per step,
so ``--format auto`` prints the full text report as well inside GitHub Actions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from coursecheck.findings import CourseResult, Severity
from coursecheck.reporters.locations import fingerprinted
from coursecheck.text import visible

_DATA_ESCAPES = {"%": "%25", "\r": "%0D", "\n": "%0A"}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, CR and LF."""
    return "".join(_DATA_ESCAPES.get(c, c) for c in visible(text))


def escape_property(text: str) -> str:
    """Escape a command property's value: ``%``, CR, LF, ``:`` and ``,``."""
    return "".join(_PROPERTY_ESCAPES.get(c, c) for c in visible(text))


class GithubReporter:
    """One ``::error`` or ``::warning`` line per finding; nothing for a clean run."""

    name = "github"

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Print a workflow command for each finding, in report order."""
        for _, finding, path, _ in fingerprinted(results):
            command = "error" if finding.severity is Severity.ERROR else "warning"
            properties = [f"file={escape_property(path)}"]
            if finding.line is not None:
                properties.append(f"line={finding.line}")
            properties.append(f"title={escape_property(f'coursecheck {finding.rule}')}")
            stream.write(f"::{command} {','.join(properties)}::{escape_data(finding.message)}\n")

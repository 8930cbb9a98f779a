"""What every reporter is: a name and a ``write(results, stream, lang)`` method."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from coursecheck.findings import CourseResult


class Reporter(Protocol):
    """Writes the results of one run to a text stream in one format."""

    name: str

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Write the report for ``results`` to ``stream``, in ``lang`` where it has words."""
        ...

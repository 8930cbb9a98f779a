"""Output formats, looked up by name: ``REPORTERS["json"]().write(results, stream, lang)``."""

from __future__ import annotations

from coursecheck.reporters.base import Reporter
from coursecheck.reporters.json_reporter import JsonReporter
from coursecheck.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "Reporter"]

"""Output formats, looked up by name: ``REPORTERS["json"]().write(results, stream, lang)``."""

from __future__ import annotations

from coursecheck.reporters.base import Reporter
from coursecheck.reporters.github import GithubReporter
from coursecheck.reporters.gitlab import GitlabReporter
from coursecheck.reporters.json_reporter import JsonReporter
from coursecheck.reporters.junit import JunitReporter
from coursecheck.reporters.sarif import SarifReporter
from coursecheck.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "sarif": SarifReporter,
    "junit": JunitReporter,
    "github": GithubReporter,
    "gitlab": GitlabReporter,
}

__all__ = ["REPORTERS", "Reporter"]

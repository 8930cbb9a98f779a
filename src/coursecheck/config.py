"""Configuration: turn options plus config files into the :class:`Settings` for each course.

STUB — the full loader (``--config``, ``.coursecheck.yaml`` searched upwards, ``[tool.coursecheck]``
in pyproject.toml, rule severities, thresholds) is built in the CI issue. Until then only the
command-line language and ``--select``/``--ignore`` apply.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coursecheck.findings import Severity
from coursecheck.options import RunOptions
from coursecheck.settings import Settings, default_lang


class ConfigError(Exception):
    """A bad configuration: unknown key, unknown rule ID or bad value. Exit code 2."""

    def __init__(self, file: str, line: int | None, text: str) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {text}")
        self.file, self.line, self.text = file, line, text


def settings_for(course_root: Path, options: RunOptions) -> Settings:
    """The settings that apply to the course in ``course_root``."""
    settings = Settings(lang=options.lang or default_lang())
    return apply_selection(settings, options)


def apply_selection(settings: Settings, options: RunOptions) -> Settings:
    """Turn off rules not matched by ``--select`` or matched by ``--ignore`` (IDs or prefixes)."""
    if not options.select and not options.ignore:
        return settings
    from coursecheck.rules import REGISTRY

    severities = dict(settings.severities)
    for rule_id in REGISTRY:
        selected = not options.select or any(rule_id.startswith(p) for p in options.select)
        ignored = any(rule_id.startswith(p) for p in options.ignore)
        if not selected or ignored:
            severities[rule_id] = Severity.OFF
    return replace(settings, severities=severities)

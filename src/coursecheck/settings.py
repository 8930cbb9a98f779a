"""Settings: the thresholds and choices one run of coursecheck works with.

Every number defaults to what the 2023 guide (附件2) says. Configuration files and command-line
options only ever build a :class:`Settings`; rules read it and nothing else.
"""

from __future__ import annotations

import datetime as dt
import locale
import os
from dataclasses import dataclass, field

from coursecheck.findings import Severity

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Settings:
    """Thresholds from the spec, per-rule severity overrides and the message language."""

    lang: str = "en"
    max_minutes: float = 15.0
    advised_minutes: float = 7.0
    min_lessons: int = 10
    max_intro_chars: int = 100
    min_created: dt.date = dt.date(2022, 6, 1)
    frame_rate: float = 25.0
    frame_rate_tolerance: float = 0.01
    width: int = 1280
    height: int = 720
    severities: dict[str, Severity] = field(default_factory=dict)


def default_lang(environ: dict[str, str] | None = None, configured: str | None = None) -> str:
    """``COURSECHECK_LANG`` if set, else the config file's ``configured`` language, else ``zh``
    when the locale is Chinese, else ``en``."""
    env = os.environ if environ is None else environ
    chosen = env.get("COURSECHECK_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    if configured is not None and configured in LANGS:
        return configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    if environ is None:
        loc = locale.getlocale()[0] or ""
        if loc.lower().startswith("zh"):
            return "zh"
    return "en"

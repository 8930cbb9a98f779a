"""The shape of a coursecheck configuration file, and plain-English messages for its mistakes.

One pydantic model, :class:`ConfigModel`, is used for every source (``.coursecheck.yaml``,
``[tool.coursecheck]`` in ``pyproject.toml``, ``--config FILE``). Unknown keys are errors, so a
typo such as ``max_minute`` is caught instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from coursecheck.findings import Severity

Level = Literal["off", "warning", "error"]
THRESHOLDS = ("max_minutes", "advised_minutes", "min_lessons", "max_intro_chars", "min_created",
              "frame_rate", "width", "height", "deep", "black_min_seconds", "freeze_min_seconds",
              "silence_db", "silence_min_seconds", "loudness_profile", "loudness_target",
              "loudness_tolerance", "true_peak_max", "loudness_spread_max",
              "truncated_max_seconds", "frame_count_tolerance", "timestamp_jump_max_seconds",
              "av_end_max_seconds", "av_start_max_seconds", "zip_max_bytes", "zip_max_ratio",
              "docs_base_url")


def _rule_id(value: object) -> object:
    return value.strip().upper() if isinstance(value, str) else value


def _known_rule(rule_id: str) -> str:
    from coursecheck.rules import REGISTRY

    if rule_id not in REGISTRY:
        raise ValueError(f"unknown rule ID {rule_id!r}{_did_you_mean(rule_id, list(REGISTRY))}; "
                         "`coursecheck rules` lists them")
    return rule_id


def _level(value: object) -> object:
    if value is False:  # YAML 1.1 reads a bare `off` as false
        return "off"
    return value.strip().lower() if isinstance(value, str) else value


def _level_or_deep(value: object) -> object:
    if value is True:  # `deep: on` or `deep: true` means the full pass
        return "full"
    return _level(value)


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _language(value: object) -> object:
    """``cn``, ``zh-CN``, ``中文``, ``English`` … as ``zh``/``en``, as on the command line."""
    from coursecheck.settings import lang_named

    return (lang_named(value) or value) if isinstance(value, str) else value


RuleId = Annotated[str, BeforeValidator(_rule_id), AfterValidator(_known_rule)]
Minutes = Annotated[float, Field(gt=0, le=180, strict=True)]
Count = Annotated[int, Field(ge=1, le=10_000, strict=True)]
Pixels = Annotated[int, Field(ge=16, le=16_384, strict=True)]
Seconds = Annotated[float, Field(gt=0, le=36_000)]
Decibels = Annotated[float, Field(ge=-120, le=20)]
LoudnessUnits = Annotated[float, Field(gt=0, le=60)]


class ConfigModel(BaseModel):
    """Every key a configuration file may hold; a key left out keeps the built-in default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: dict[RuleId, Annotated[Level, BeforeValidator(_level)]] = Field(default_factory=dict)
    lang: Annotated[Literal["zh", "en"], BeforeValidator(_language)] | None = None
    max_minutes: Minutes | None = None
    advised_minutes: Minutes | None = None
    min_lessons: Count | None = None
    max_intro_chars: Count | None = None
    min_created: dt.date | None = None
    frame_rate: Annotated[float, Field(gt=0, le=240, strict=True)] | None = None
    width: Pixels | None = None
    height: Pixels | None = None
    deep: Annotated[Literal["off", "quick", "full"], BeforeValidator(_level_or_deep)] | None = None
    black_min_seconds: Seconds | None = None
    freeze_min_seconds: Seconds | None = None
    silence_db: Decibels | None = None
    silence_min_seconds: Seconds | None = None
    loudness_profile: Annotated[Literal["streaming", "ebu-r128"],
                                BeforeValidator(_lower)] | None = None
    loudness_target: Decibels | None = None
    loudness_tolerance: LoudnessUnits | None = None
    true_peak_max: Decibels | None = None
    loudness_spread_max: LoudnessUnits | None = None
    truncated_max_seconds: Seconds | None = None
    frame_count_tolerance: Annotated[float, Field(gt=0, lt=1)] | None = None
    timestamp_jump_max_seconds: Seconds | None = None
    av_end_max_seconds: Seconds | None = None
    av_start_max_seconds: Seconds | None = None
    zip_max_bytes: Annotated[int, Field(gt=0, strict=True)] | None = None
    zip_max_ratio: Annotated[float, Field(ge=1)] | None = None
    docs_base_url: Annotated[str, Field(pattern=r"^https?://[^\s]+$", max_length=2000,
                                        strict=True)] | None = None

    def severities(self) -> dict[str, Severity]:
        """The per-rule severity overrides."""
        return {rule_id: Severity(level) for rule_id, level in self.rules.items()}

    def thresholds(self) -> dict[str, Any]:
        """Only the thresholds the file sets, by :class:`Settings` field name."""
        return {key: getattr(self, key) for key in THRESHOLDS if getattr(self, key) is not None}


def describe(error: Any) -> tuple[tuple[str | int, ...], str]:
    """The key path and a one-line message for one pydantic error (an ``ErrorDetails``)."""
    loc = tuple(part for part in error["loc"] if part != "[key]")
    kind, value = error["type"], error.get("input")
    name = ".".join(str(part) for part in loc)
    if kind == "extra_forbidden":
        known = ["rules", "lang", *THRESHOLDS]
        return loc, (f"unknown key {name!r}{_did_you_mean(str(loc[-1]), known)}; "
                     f"known keys: {', '.join(known)}")
    if kind == "value_error":
        return loc, str(error["ctx"]["error"])
    if kind == "literal_error" and loc[:1] == ("rules",):
        return loc, f"{name}: {_shown(value)} is not a severity; use off, warning or error"
    if kind == "literal_error" and loc == ("deep",):
        return loc, f"deep: {_shown(value)} is not a depth; use off, quick or full"
    if kind == "literal_error" and loc == ("loudness_profile",):
        return loc, (f"loudness_profile: {_shown(value)} is not a profile; use streaming or "
                     "ebu-r128")
    if kind == "literal_error" and loc == ("lang",):
        return loc, f"lang: {_shown(value)} is not a language; use zh or en"
    if kind.startswith(("date_", "datetime_")):
        return loc, f"{name}: {_shown(value)} is not a date; write it as YYYY-MM-DD"
    message = str(error["msg"])
    return loc, f"{name}: {message[:1].lower()}{message[1:]} (got {_shown(value)})"


def cross_check(model: ConfigModel, max_minutes: float) -> tuple[tuple[str], str] | None:
    """A problem between keys: the advised length must not exceed the maximum."""
    limit = model.max_minutes if model.max_minutes is not None else max_minutes
    if model.advised_minutes is not None and model.advised_minutes > limit:
        return ("advised_minutes",), (f"advised_minutes ({model.advised_minutes:g}) is more than "
                                      f"max_minutes ({limit:g})")
    return None


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return type(value).__name__
    return repr(value)


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""

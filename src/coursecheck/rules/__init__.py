"""All rules, registered by importing their family modules. Look them up in :data:`REGISTRY`."""

from coursecheck.rules import (
    archive,
    audio,
    case_rules,
    container,
    course,
    deep_content,
    deep_course,
    deep_decode,
    files,
    internal,
    manifest_rules,
    province,
    statistics_rules,
    submission,
    trust,
    video,
)
from coursecheck.rules.base import REGISTRY, Problem, Rule, Scope

__all__ = ["REGISTRY", "Problem", "Rule", "Scope", "archive", "audio", "case_rules", "container",
           "course", "deep_content", "deep_course", "deep_decode", "files", "internal",
           "manifest_rules", "province",
           "statistics_rules", "submission", "trust", "video"]


def ordered() -> list[Rule]:
    """Every rule, sorted by ID."""
    return [REGISTRY[key] for key in sorted(REGISTRY)]

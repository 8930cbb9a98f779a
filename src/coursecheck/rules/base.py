"""The rule registry. A rule is an ID, a default severity, its documentation and a check.

A check yields :class:`Problem` values: what went wrong (a message key and its arguments) and where.
The engine, not the rule, stamps the rule ID and the configured severity onto each finding.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from coursecheck.facts import CourseFacts, LessonFacts
from coursecheck.findings import Severity
from coursecheck.probe import MediaFacts
from coursecheck.settings import Settings


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found. ``key`` picks the message (default: the rule ID) in each catalog.

    ``file`` defaults to the lesson's file for lesson rules and to the manifest for course rules.
    """

    key: str = ""
    args: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    expected: str | None = None
    actual: str | None = None


# The headings of a rule's documentation sections, in the order of :meth:`RuleDoc.sections`.
DOC_HEADINGS: dict[str, tuple[str, str, str, str, str]] = {
    "en": ("What it checks", "Why", "How to fix", "Passes", "Fails"),
    "zh": ("检查内容", "原因", "修改方法", "合格示例", "不合格示例"),
}


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation in one language: what it checks, why, how to fix, two examples."""

    what: str
    why: str
    fix: str
    good: str
    bad: str

    def sections(self, lang: str) -> list[tuple[str, str]]:
        """``(heading, text)`` for what, why, fix, good and bad; headings in ``lang``, falling
        back to English."""
        headings = DOC_HEADINGS.get(lang, DOC_HEADINGS["en"])
        return list(zip(headings, (self.what, self.why, self.fix, self.good, self.bad),
                        strict=True))


class Scope(enum.StrEnum):
    """Whether a check runs once per course, per probed lesson, once per learning-centre case,
    or (audit only) per province."""

    COURSE = "course"
    LESSON = "lesson"
    CASE = "case"
    PROVINCE = "province"


CourseCheck = Callable[[CourseFacts, Settings], Iterator[Problem]]
LessonCheck = Callable[[LessonFacts, MediaFacts, Settings], Iterator[Problem]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: ``summary`` and ``doc`` are keyed by language (``zh``, ``en``)."""

    id: str
    severity: Severity
    scope: Scope
    summary: Mapping[str, str]
    doc: Mapping[str, RuleDoc]
    check: Callable[..., Iterator[Problem]]
    needs_readable_media: bool = True

    def summary_in(self, lang: str) -> str:
        """The one-line summary in ``lang``, falling back to English."""
        return self.summary.get(lang) or self.summary["en"]

    def doc_in(self, lang: str) -> RuleDoc:
        """The full documentation in ``lang``, falling back to English."""
        return self.doc.get(lang) or self.doc["en"]


REGISTRY: dict[str, Rule] = {}

# The rules ``coursecheck fix`` repairs (fix.plan's FIXED_BY_ENCODING, the loudness rules, V102
# over the cover, V204 with --add-silence); their "how to fix" says so before any ffmpeg command.
FIXABLE: frozenset[str] = frozenset({
    "V101", "V102", "V103", "V104", "V105", "V106", "V201", "V202", "V203", "V204", "V205",
    "D104", "D105"})
FIX_FIRST: dict[str, str] = {
    "zh": "运行 coursecheck fix 课程文件夹 --out 新文件夹{extra} 自动修复（原文件夹不会被改动）。"
          "想自己处理的，再看下面的做法：\n",
    "en": "Run coursecheck fix COURSE --out NEW_FOLDER{extra} to repair it automatically (the "
          "original folder is left as it is). To do it yourself instead:\n",
}


def fix_first(rule_id: str, lang: str) -> str:
    """The sentence that points to ``coursecheck fix``, for a rule it repairs; else ``""``."""
    if rule_id not in FIXABLE:
        return ""
    extra = " --add-silence" if rule_id == "V204" else ""
    return FIX_FIRST.get(lang, FIX_FIRST["en"]).format(extra=extra)

F = TypeVar("F", bound=Callable[..., Iterator[Problem]])


def register(rule: Rule) -> Rule:
    """Add ``rule`` to the registry; a second rule with the same ID is a programming error."""
    if rule.id in REGISTRY:
        raise ValueError(f"duplicate rule ID {rule.id}")
    if set(rule.summary) != {"en", "zh"} or set(rule.doc) != {"en", "zh"}:
        raise ValueError(f"rule {rule.id} needs an English and a Chinese summary and doc")
    if rule.id in FIXABLE:
        rule = replace(rule, doc={lang: replace(doc, fix=fix_first(rule.id, lang) + doc.fix)
                                  for lang, doc in rule.doc.items()})
    REGISTRY[rule.id] = rule
    return rule


def _decorator(rule_id: str, severity: Severity, scope: Scope, summary: Mapping[str, str],
               doc: Mapping[str, RuleDoc], needs_readable_media: bool) -> Callable[[F], F]:
    def wrap(check: F) -> F:
        register(Rule(rule_id, severity, scope, summary, doc, check, needs_readable_media))
        return check
    return wrap


def course_rule(rule_id: str, severity: Severity, *, summary: Mapping[str, str],
                doc: Mapping[str, RuleDoc]) -> Callable[[F], F]:
    """Register a check that runs once per course: ``check(facts, settings)``."""
    return _decorator(rule_id, severity, Scope.COURSE, summary, doc, True)


def case_rule(rule_id: str, severity: Severity, *, summary: Mapping[str, str],
              doc: Mapping[str, RuleDoc]) -> Callable[[F], F]:
    """Register a check that runs once per learning-centre case: ``check(case_facts, settings)``."""
    return _decorator(rule_id, severity, Scope.CASE, summary, doc, True)


def province_rule(rule_id: str, severity: Severity, *, summary: Mapping[str, str],
                  doc: Mapping[str, RuleDoc]) -> Callable[[F], F]:
    """Register a check over one province's projects: ``check(province_facts, settings)``.

    Only ``coursecheck audit`` runs these, except those about one course's own fields
    (:data:`coursecheck.rules.province.ATTACH_TO_COURSE`), which every course check runs.
    """
    return _decorator(rule_id, severity, Scope.PROVINCE, summary, doc, True)


def lesson_rule(rule_id: str, severity: Severity, *, summary: Mapping[str, str],
                doc: Mapping[str, RuleDoc], needs_readable_media: bool = True) -> Callable[[F], F]:
    """Register a check that runs per probed lesson: ``check(lesson, media, settings)``.

    Unless ``needs_readable_media`` is false, it is skipped for files MediaInfo could not read.
    """
    return _decorator(rule_id, severity, Scope.LESSON, summary, doc, needs_readable_media)

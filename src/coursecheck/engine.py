"""Facts → findings. Runs every enabled rule over a course; a crashing rule becomes a finding.

The engine stamps each problem with its rule ID and the *configured* severity, and renders the
message in the chosen language.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from coursecheck import messages
from coursecheck.case import CaseFacts, is_case
from coursecheck.cover import ImageFacts, read_image
from coursecheck.facts import CourseFacts, LessonFacts
from coursecheck.findings import CourseResult, Finding, LessonSummary, Severity
from coursecheck.gather import Prober, gather
from coursecheck.probe import probe
from coursecheck.projects import ProvinceFacts, course_project
from coursecheck.rules import Problem, Rule, Scope, ordered
from coursecheck.rules.province import ATTACH_TO_COURSE
from coursecheck.settings import Settings
from coursecheck.spec import CASE_NAMES
from coursecheck.targets import CourseTarget, target_for

__all__ = ["CourseTarget", "check_case", "check_course", "crashed", "enabled_rules", "evaluate",
           "evaluate_case", "run_rule", "target_for"]


def check_course(target: CourseTarget, settings: Settings, prober: Prober = probe,
                 read_cover: Callable[[Path], ImageFacts] = read_image) -> CourseResult:
    """Gather facts for one course (or read one case) and run every enabled rule over them."""
    if is_case_target(target):
        return check_case(target, settings)
    facts = gather(target.root, target.manifest, prober, read_cover)
    if target.archive is not None:
        facts = replace(facts, archive=target.archive)
    return evaluate(facts, settings, target.display)


def crashed(display: str, settings: Settings, error: BaseException) -> CourseResult:
    """A course whose check crashed outside any rule: one X001 error with the one-line summary
    of the exception, so the other courses still get their report."""
    summary = traceback.format_exception_only(type(error), error)[-1].strip()
    text = messages.message(settings.lang, "X001.course", {"error": summary})
    return CourseResult(display, None, (), (Finding(
        "X001", Severity.ERROR, "course.yaml", text, key="X001.course",
        args=(("error", summary),)),))


def enabled_rules(settings: Settings) -> Iterator[tuple[Rule, Severity]]:
    """Each rule with its configured severity, leaving out rules turned off."""
    for rule in ordered():
        severity = settings.severities.get(rule.id, rule.severity)
        if severity is not Severity.OFF:
            yield rule, severity


def evaluate(facts: CourseFacts, settings: Settings, display: str) -> CourseResult:
    """Findings for already gathered facts, sorted by file then line then rule."""
    findings: list[Finding] = []
    for rule, severity in enabled_rules(settings):
        if rule.scope is Scope.PROVINCE and rule.id in ATTACH_TO_COURSE:
            findings += _course_fields(rule, severity, settings, facts)
            continue
        if rule.scope in (Scope.PROVINCE, Scope.CASE):
            continue  # rules over several courses only run in ``coursecheck audit``
        if rule.scope is Scope.COURSE:
            findings += run_rule(rule, severity, settings, facts.manifest_file, (facts,))
            continue
        for lesson in facts.lessons:
            media = lesson.media
            if media is None or media.error == "worker_died" or (
                    rule.needs_readable_media and media.error):
                continue
            findings += run_rule(rule, severity, settings, lesson.file, (lesson, media))
    findings += _worker_deaths(facts, settings)
    order = _file_order(facts)
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.file, f.line or 0, f.rule))
    name = facts.manifest.view.name if facts.manifest.view else None
    return CourseResult(display, name, tuple(_summaries(facts.lessons)), tuple(findings))


def _course_fields(rule: Rule, severity: Severity, settings: Settings,
                   facts: CourseFacts) -> list[Finding]:
    """A province rule about one course's own fields (A003, A004), run over that course alone,
    so ``check`` says what the province's summary table will reject."""
    if facts.manifest.file is None:
        return []
    project = course_project("", facts.manifest)
    province = ProvinceFacts(project.province or "", courses=(project,))
    return [replace(f, file=facts.manifest_file)
            for f in run_rule(rule, severity, settings, facts.manifest_file, (province,))]


def evaluate_case(facts: CaseFacts, settings: Settings, display: str) -> CourseResult:
    """The findings of the case rules for one learning-centre case, sorted by line then rule;
    the result is named after the school."""
    findings: list[Finding] = []
    for rule, severity in enabled_rules(settings):
        if rule.scope is Scope.CASE:
            findings += run_rule(rule, severity, settings, facts.case_file, (facts,))
    findings.sort(key=lambda f: (f.file, f.line or 0, f.rule))
    return CourseResult(display, facts.view.school if facts.view else None, (),
                        tuple(findings))


def check_case(target: CourseTarget, settings: Settings) -> CourseResult:
    """Read one case folder's case.yaml and run the case rules over it."""
    from coursecheck.case import find_case, read_case

    named = target.manifest if target.manifest and target.manifest.name in CASE_NAMES else None
    return evaluate_case(read_case(named or find_case(target.root)), settings, target.display)


def is_case_target(target: CourseTarget) -> bool:
    """Whether ``target`` names a learning-centre case: its case.yaml, or a folder holding one
    and no course.yaml."""
    if target.manifest is not None:
        return target.manifest.name in CASE_NAMES
    return is_case(target.root)


def run_rule(rule: Rule, severity: Severity, settings: Settings, default_file: str,
             facts: tuple[object, ...]) -> list[Finding]:
    """Run one check over ``facts``; a crash becomes an X001 finding on ``default_file``."""
    try:
        problems: list[Problem] = list(rule.check(*facts, settings))
    except Exception as exc:  # a bug in one rule must not hide the other findings
        text = messages.message(settings.lang, "X001", {"rule": rule.id,
                                                        "error": f"{type(exc).__name__}: {exc}"})
        return [Finding("X001", Severity.ERROR, default_file, text)]
    return [
        Finding(
            rule=rule.id,
            severity=severity,
            file=p.file or default_file,
            message=messages.message(settings.lang, p.key or rule.id, p.args),
            line=p.line,
            expected=p.expected,
            actual=p.actual,
            key=p.key or rule.id,
            args=tuple(sorted((k, str(v)) for k, v in p.args.items())),
        )
        for p in problems
    ]


def _worker_deaths(facts: CourseFacts, settings: Settings) -> list[Finding]:
    """X001 on each lesson whose probe killed its worker process twice (see
    :mod:`coursecheck.workers`): coursecheck could not read it, which is not the file's fault
    as far as anyone can tell."""
    found = []
    for lesson in facts.lessons:
        if lesson.media is not None and lesson.media.error == "worker_died":
            args = {"error": lesson.media.error_detail}
            found.append(Finding("X001", Severity.ERROR, lesson.file,
                                 messages.message(settings.lang, "X001.worker", args),
                                 key="X001.worker", args=tuple(args.items())))
    return found


def _file_order(facts: CourseFacts) -> dict[str, int]:
    order = {facts.manifest_file: 0}
    if facts.cover:
        order.setdefault(facts.cover.path.written, 1)
    for lesson in facts.lessons:
        order.setdefault(lesson.file, len(order) + 1)
    return order


def _duration(lesson: LessonFacts) -> float | None:
    """The lesson's length: its video's, or a pure-audio lesson's audio's."""
    return lesson.media.duration_s if lesson.media else None


def _summaries(lessons: Iterable[LessonFacts]) -> Iterator[LessonSummary]:
    for lesson in lessons:
        video = lesson.media.video if lesson.media else None
        yield LessonSummary(
            title=lesson.entry.lesson.title,
            file=lesson.file,
            duration_s=round(duration, 3) if (duration := _duration(lesson)) else None,
            width=video.width if video else None,
            height=video.height if video else None,
            fps=round(video.frame_rate, 3) if video and video.frame_rate else None,
            codec=video.format if video else None,
            deep=lesson.deep,
        )

"""Roots → course folders → plans → one pooled probe of every file → results → province rules."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from coursecheck.audit.discover import find_courses
from coursecheck.audit.model import NO_PROVINCE, AuditCourse, AuditResult, ProvinceReport
from coursecheck.audit.pool import probe_all, progress
from coursecheck.config import ConfigCache, check_selection, settings_for
from coursecheck.engine import crashed, enabled_rules, evaluate, run_rule
from coursecheck.findings import CourseResult, Finding
from coursecheck.gather import CoursePlan, complete, find_manifest, plan_course
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts
from coursecheck.rules import Scope
from coursecheck.rules.province import ATTACH_TO_COURSE, AuditedCourse
from coursecheck.settings import Settings, default_lang
from coursecheck.targets import display_path


@dataclass(frozen=True, slots=True)
class _Course:
    root: Path
    display: str
    settings: Settings
    plan: CoursePlan | None
    crash: CourseResult | None = None


def _plan(root: Path, options: RunOptions, configs: ConfigCache) -> _Course:
    display = display_path(root)
    settings = settings_for(root, options, configs)
    try:
        return _Course(root, display, settings, plan_course(root, find_manifest(root)))
    except Exception as exc:
        return _Course(root, display, settings, None, crashed(display, settings, exc))


def audit(roots: Sequence[Path], options: RunOptions, jobs: int) -> AuditResult:
    """Check every course under ``roots``; Ctrl-C returns what was finished, marked interrupted.

    Each course is checked with its own settings (see :mod:`coursecheck.config`); one
    :class:`ConfigCache` serves the whole run, so each configuration file is parsed once.
    Raises :class:`ConfigError` for a bad configuration file a course uses, or a ``--select`` /
    ``--ignore`` that names no rule.
    """
    check_selection(options)
    configs = ConfigCache()
    courses = [_plan(root, options, configs) for root in find_courses(list(roots))]
    files = list(dict.fromkeys(itertools.chain.from_iterable(
        c.plan.to_probe for c in courses if c.plan is not None)))
    probed: dict[Path, MediaFacts] = {}
    notes: list[str] = []
    interrupted = False
    try:
        with progress(len(files)) as tick:
            probe_all(files, options, jobs, tick, notes, probed)
    except KeyboardInterrupt:
        interrupted = True
    audited = [_finish(c, probed) for c in courses]
    done = [a for a in audited if a is not None]
    result = _with_province_findings(done)
    lang = courses[0].settings.lang if courses else options.lang or default_lang()
    return replace(result, interrupted=interrupted, found=len(courses), notes=tuple(notes),
                   lang=lang)


def _finish(course: _Course, probed: dict[Path, MediaFacts]) -> AuditCourse | None:
    """Evaluate one course if all its files were probed; ``None`` if the run stopped first."""
    if course.plan is None:
        assert course.crash is not None
        return AuditCourse(course.crash, course.root, settings=course.settings)
    if any(path not in probed for path in course.plan.to_probe):
        return None
    try:
        facts = complete(course.plan, probed.__getitem__)
        result = evaluate(facts, course.settings, course.display)
    except Exception as exc:
        return AuditCourse(crashed(course.display, course.settings, exc), course.root,
                           settings=course.settings)
    return AuditCourse(result, course.root, facts.manifest, course.settings)


def province_settings(members: Sequence[AuditCourse]) -> Settings:
    """The settings the province rules run with: those of the province's first course by path
    (``members`` are sorted by path).

    So A001–A004 follow the configuration the province's courses are checked with (their
    severities, ``--select``/``--ignore`` and language), never the working directory's.
    """
    return members[0].settings


def _with_province_findings(courses: list[AuditCourse]) -> AuditResult:
    """Run the province rules per province; course-level ones join their course's findings."""
    ordered = sorted(courses, key=lambda c: (c.province == NO_PROVINCE, c.province,
                                             c.result.path))
    extra: dict[str, list[Finding]] = {}
    provinces: list[ProvinceReport] = []
    for province, group in itertools.groupby(ordered, key=lambda c: c.province):
        members = list(group)
        settings = province_settings(members)
        audited = [AuditedCourse(c.result.path, c.manifest) for c in members
                   if c.manifest is not None]
        by_manifest = {a.manifest_path: a for a in audited}  # how A003/A004 name their course
        own: list[Finding] = []
        for rule, severity in enabled_rules(settings):
            if rule.scope is not Scope.PROVINCE:
                continue
            for finding in run_rule(rule, severity, settings, "", (audited,)):
                owner = by_manifest.get(finding.file) if rule.id in ATTACH_TO_COURSE else None
                if owner is not None:
                    extra.setdefault(owner.path, []).append(
                        replace(finding, file=owner.manifest_file))
                else:
                    own.append(finding)
        provinces.append(ProvinceReport(province, tuple(c.result.path for c in members),
                                        tuple(own)))
    final = tuple(
        replace(c, result=replace(c.result, findings=(*c.result.findings,
                                                      *extra.get(c.result.path, ()))))
        for c in ordered)
    return AuditResult(final, tuple(provinces))

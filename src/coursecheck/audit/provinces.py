"""The province rules of an audit: run once per province over its courses, cases and
statistics file; A003/A004 join the findings of the course or case they are about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from coursecheck.audit.model import (
    NO_PROVINCE,
    AuditCase,
    AuditCourse,
    AuditResult,
    Project,
    ProvinceReport,
)
from coursecheck.engine import enabled_rules, run_rule
from coursecheck.findings import Finding
from coursecheck.projects import AuditedProject, ProvinceFacts, course_project, wrong_fields
from coursecheck.rules import Scope
from coursecheck.rules.province import ATTACH_TO_COURSE
from coursecheck.settings import Settings
from coursecheck.statistics import StatisticsFacts


def province_settings(members: Sequence[Project]) -> Settings:
    """The settings the province rules run with: those of the province's first project by path
    (``members`` are sorted by path).

    So the province rules follow the configuration the province's courses are checked with
    (their severities, ``--select``/``--ignore`` and language), never the working directory's.
    """
    return members[0].settings


def _audited(project: Project) -> AuditedProject | None:
    """The province rules' view of a course or case (``None`` if it crashed)."""
    if isinstance(project, AuditCourse):
        if project.manifest is None:
            return None
        return course_project(project.result.path, project.manifest)
    if project.facts is None:
        return None
    return AuditedProject("case", project.result.path, project.facts.case_file,
                          project.facts.doc, project.view is not None, project.result.name,
                          project.province, project.level, project.contact_name,
                          project.contact_phone, project.recommendation_order,
                          wrong_fields(project.facts.field_errors))


def _province_of(stats: StatisticsFacts, projects: Sequence[Project]) -> StatisticsFacts:
    """``stats`` with its province: its own, else that of the projects in its folder."""
    if stats.province:
        return stats
    folder = stats.path.rpartition("/")[0]
    near = sorted({p.province for p in projects if p.province and (
        p.result.path.startswith(folder + "/") if folder else True)})
    return replace(stats, province=near[0]) if len(near) == 1 else stats


def with_province_findings(courses: list[AuditCourse], cases: list[AuditCase],
                            statistics: list[StatisticsFacts]) -> AuditResult:
    """Run the province rules per province; A003/A004 join their course's (case's) findings."""
    def key(c: Project) -> tuple[bool, str, str]:
        return (c.province == NO_PROVINCE, c.province, c.result.path)

    courses, cases = sorted(courses, key=key), sorted(cases, key=key)
    projects: list[Project] = sorted([*courses, *cases], key=key)
    stats_of: dict[str, StatisticsFacts] = {}
    for stats in (_province_of(s, projects) for s in statistics):
        stats_of.setdefault(stats.province, stats)  # the first file by path wins
    extra: dict[str, list[Finding]] = {}
    provinces: list[ProvinceReport] = []
    names = sorted({p.province for p in projects} | set(stats_of),
                   key=lambda n: (n == NO_PROVINCE, n))
    for province in names:
        members = [p for p in projects if p.province == province]
        settings = province_settings(members) if members else stats_of[province].settings
        audited = [a for a in map(_audited, members) if a is not None]
        facts = ProvinceFacts(province, tuple(a for a in audited if a.kind == "course"),
                              tuple(a for a in audited if a.kind == "case"),
                              stats_of.get(province))
        by_manifest = {a.manifest_path: a for a in audited}  # how A003/A004 name their project
        own: list[Finding] = []
        for rule, severity in enabled_rules(settings):
            if rule.scope is not Scope.PROVINCE:
                continue
            for finding in run_rule(rule, severity, settings, "", (facts,)):
                owner = by_manifest.get(finding.file) if rule.id in ATTACH_TO_COURSE else None
                if owner is not None and owner.kind == "course":
                    continue  # the course's own check already found it (see engine.evaluate)
                if owner is not None:
                    extra.setdefault(owner.path, []).append(replace(finding, file=owner.file))
                else:
                    own.append(finding)
        provinces.append(ProvinceReport(
            province, tuple(c.result.path for c in members if isinstance(c, AuditCourse)),
            tuple(own), tuple(c.result.path for c in members if isinstance(c, AuditCase)),
            stats_of.get(province)))

    return AuditResult(tuple(_with_extra(c, extra) for c in courses), tuple(provinces),
                       cases=tuple(_with_extra(c, extra) for c in cases))


P = TypeVar("P", AuditCourse, AuditCase)


def _with_extra(project: P, extra: dict[str, list[Finding]]) -> P:
    """``project`` with the province findings that belong to it added."""
    findings = (*project.result.findings, *extra.get(project.result.path, ()))
    return replace(project, result=replace(project.result, findings=findings))

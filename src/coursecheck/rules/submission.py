"""A005–A006: the order of a province's projects (附件3 注) and its number of cases (正文 四)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from coursecheck.findings import Severity
from coursecheck.projects import AuditedProject, ProvinceFacts
from coursecheck.rules.base import Problem, RuleDoc, province_rule
from coursecheck.settings import Settings

MAX_CASES = 5
MAX_NAMED = 8  # a message names at most this many projects, then "…"


def named(projects: Sequence[AuditedProject]) -> str:
    """``path, path, …`` for a message: the first :data:`MAX_NAMED` projects."""
    paths = [p.path for p in projects]
    return ", ".join(paths[:MAX_NAMED]) + (", …" if len(paths) > MAX_NAMED else "")


@province_rule(
    "A005", Severity.WARNING,
    summary={"en": "A province's recommendation orders are incomplete or repeated",
             "zh": "同一省份的推荐顺序不完整或有重复"},
    doc={
        "en": RuleDoc(
            what="Within a province, either every project (course and case) has a "
                 "`recommendation_order` or none has, and no two share a number.",
            why="Annex 3 lists brand learning centres and brand courses together, in the order "
                "the province recommends them (此表请省级教育行政部门按照推荐顺序填写). A gap or a "
                "tie leaves the order to chance: projects without a number go after the others, "
                "by folder path.",
            fix="Give every course.yaml and case.yaml of the province a distinct "
                "`recommendation_order`: 1 for the project recommended first, then 2, 3, …",
            good="c01/course.yaml: recommendation_order: 1\n"
                 "centre/case.yaml: recommendation_order: 2",
            bad="c01/course.yaml: recommendation_order: 1\n"
                "c02/course.yaml: recommendation_order: 1   # the same number"),
        "zh": RuleDoc(
            what="同一省份内，所有项目（课程和典型案例）要么都填写 `recommendation_order`，"
                 "要么都不填，且编号不重复。",
            why="附件3 把品牌社区学习中心和品牌课程列在一张表里，并要求“按照推荐顺序填写”。"
                "缺号或重号会让顺序变得随意：没有编号的项目按文件夹路径排在有编号的项目之后。",
            fix="为本省每个 course.yaml 和 case.yaml 填写不同的 `recommendation_order`："
                "最先推荐的填 1，其后依次为 2、3……",
            good="c01/course.yaml：recommendation_order: 1\n"
                 "centre/case.yaml：recommendation_order: 2",
            bad="c01/course.yaml：recommendation_order: 1\n"
                "c02/course.yaml：recommendation_order: 1   # 编号重复"),
    },
)
def recommendation_order(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once when only some projects have an order, and once per number used twice."""
    projects = [p for p in province.projects if p.valid]
    ordered = [p for p in projects if p.order is not None]
    unordered = [p for p in projects if p.order is None]
    if ordered and unordered:
        yield Problem(key="A005.mixed", args={"count": len(unordered), "names": named(unordered)},
                      file="", expected="recommendation_order: 1, 2, 3, …",
                      actual=f"{len(ordered)}/{len(projects)}")
    by_number: dict[int, list[AuditedProject]] = {}
    for project in ordered:
        assert project.order is not None
        by_number.setdefault(project.order, []).append(project)
    for number, same in sorted(by_number.items()):
        if len(same) > 1:
            yield Problem(key="A005.duplicate", args={"number": number, "names": named(same)},
                          file=same[1].manifest_path,
                          line=same[1].line_of("recommendation_order"), actual=str(number))


@province_rule(
    "A006", Severity.WARNING,
    summary={"en": "A province has more than 5 learning-centre cases",
             "zh": "同一省份申报典型案例超过 5 个"},
    doc={
        "en": RuleDoc(
            what="A province submits at most 5 typical cases of brand community learning centres "
                 "(folders holding case.yaml).",
            why="Section 四 of the guide: 各省申报品牌社区学习中心典型案例原则上不超过5个.",
            fix="Keep the 5 strongest cases and move the others out of the submission folder.",
            good="浙江省: 5 cases", bad="浙江省: 6 cases"),
        "zh": RuleDoc(
            what="每个省份申报的品牌社区学习中心典型案例（含 case.yaml 的文件夹）不超过 5 个。",
            why="指南正文四：各省申报品牌社区学习中心典型案例原则上不超过5个。",
            fix="择优保留 5 个案例，把其余案例移出申报文件夹。",
            good="浙江省：5 个案例", bad="浙江省：6 个案例"),
    },
)
def case_quota(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once for a province with too many cases."""
    count = len(province.cases)
    if count > MAX_CASES:
        yield Problem(args={"count": count, "limit": MAX_CASES}, file="",
                      expected=f"≤{MAX_CASES}", actual=str(count))

"""S001–S003: a province's statistics.yaml (社区教育机构统计表, 附件5). Only ``audit`` runs these."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.findings import Severity
from coursecheck.projects import ProvinceFacts
from coursecheck.rules.base import Problem, RuleDoc, province_rule
from coursecheck.settings import Settings
from coursecheck.statistics import (
    COUNTS,
    FUNDING,
    LABELS,
    OPTIONAL_COUNTS,
    TEXTS,
    StatisticsFacts,
)

# (part, whole): an institution that is one kind of the whole cannot outnumber it (S002).
SUBSETS = (("higher_vocational_colleges_active", "higher_vocational_colleges"),
           ("secondary_vocational_schools_active", "secondary_vocational_schools"))
# (institutions, the units they serve): usually at most one per unit (S003).
PER_UNIT = (("prefecture_guidance_centers", "prefecture_cities"),
            ("county_colleges", "county_level_units"),
            ("town_schools", "towns"),
            ("village_learning_points", "villages"))


def _pairs(stats: StatisticsFacts, pairs: tuple[tuple[str, str], ...]) -> Iterator[Problem]:
    for part, whole in pairs:
        part_value, whole_value = stats.value(part), stats.value(whole)
        if part_value is not None and whole_value is not None and part_value > whole_value:
            yield Problem(args={"part": LABELS[part], "part_value": part_value,
                                "whole": LABELS[whole], "whole_value": whole_value},
                          file=stats.path, line=stats.line_of(part),
                          expected=f"{part} ≤ {whole}", actual=f"{part_value} > {whole_value}")


@province_rule(
    "S001", Severity.ERROR,
    summary={"en": "statistics.yaml lacks a field, or a count is negative or not a whole number",
             "zh": "statistics.yaml 缺少字段，或数量为负数、不是整数"},
    doc={
        "en": RuleDoc(
            what="statistics.yaml is a YAML mapping with `province`, `center_name` and the ten "
                 "counts of Annex 5 (prefecture_cities … town_schools), each a whole number "
                 "≥ 0. `villages`, `village_learning_points` and `training_total` may be left "
                 "out, but when present are whole numbers ≥ 0; `per_capita_funding` is a number "
                 "≥ 0 (yuan per person per year). No other key is allowed.",
            why="Annex 5 (社区教育机构统计表) is written from this file; a blank or impossible "
                "cell is sent back.",
            fix="Fill in the field at the line given with a whole number, without units or "
                "quotes: `towns: 1364`, not `towns: \"1364个\"`.",
            good="towns: 1364\ntown_schools: 1290",
            bad="towns: -3\ntown_schools: 12.5"),
        "zh": RuleDoc(
            what="statistics.yaml 是一个 YAML 映射，含 `province`、`center_name` 和附件5 的十项数量"
                 "（prefecture_cities … town_schools），每项为不小于 0 的整数。`villages`、"
                 "`village_learning_points`、`training_total` 可以不填，填写时须为不小于 0 的整数；"
                 "`per_capita_funding`（元/年/人）为不小于 0 的数。不允许其他字段。",
            why="附件5《社区教育机构统计表》由此文件生成，空白或不合理的数据会被退回。",
            fix="在提示的行填写整数，不带单位和引号：写 `towns: 1364`，不写 `towns: \"1364个\"`。",
            good="towns: 1364\ntown_schools: 1290",
            bad="towns: -3\ntown_schools: 12.5"),
    },
)
def statistics_values(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """One problem per unreadable file, missing or unknown field, or impossible value."""
    stats = province.statistics
    if stats is None:
        return
    if stats.load_error is not None:
        yield Problem(key="S001.load", args={"detail": stats.load_error.detail},
                      file=stats.path, line=stats.load_error.line)
        return
    for key in stats.data:
        if str(key) not in LABELS:
            yield Problem(key="S001.unknown", args={"field": key}, file=stats.path,
                          line=stats.line_of(str(key)))
    for key, label in TEXTS.items():
        if key not in stats.data:
            yield Problem(key="S001.missing", args={"field": key, "label": label},
                          file=stats.path, line=1)
        elif stats.text(key) is None:
            yield Problem(key="S001.text", args={"field": key, "label": label},
                          file=stats.path, line=stats.line_of(key))
    numbers = {**COUNTS, **OPTIONAL_COUNTS, FUNDING[0]: FUNDING[1]}
    for key, label in numbers.items():
        if key not in stats.data:
            if key in COUNTS:
                yield Problem(key="S001.missing", args={"field": key, "label": label},
                              file=stats.path, line=1)
            continue
        raw = stats.data[key]
        if stats.value(key) is not None:
            continue
        is_number = isinstance(raw, int | float) and not isinstance(raw, bool)
        variant = "S001.negative" if is_number and raw < 0 else "S001.type"
        yield Problem(key=variant, args={"field": key, "label": label, "value": raw},
                      file=stats.path, line=stats.line_of(key),
                      expected="0, 1, 2, …", actual=str(raw))


@province_rule(
    "S002", Severity.ERROR,
    summary={"en": "statistics.yaml: more institutions doing community education than exist",
             "zh": "statistics.yaml：开展社区教育的院校数多于院校总数"},
    doc={
        "en": RuleDoc(
            what="higher_vocational_colleges_active ≤ higher_vocational_colleges (开展社区教育的"
                 "高等职业院校数 ≤ 高等职业院校数), and secondary_vocational_schools_active ≤ "
                 "secondary_vocational_schools (开展社区教育的中等职业学校数 ≤ 中等职业学校数).",
            why="The colleges doing community education are some of all the colleges; more of "
                "them than of all is a typing error.",
            fix="Check both figures against the source and correct the wrong one.",
            good="higher_vocational_colleges: 49\nhigher_vocational_colleges_active: 31",
            bad="higher_vocational_colleges: 31\nhigher_vocational_colleges_active: 49"),
        "zh": RuleDoc(
            what="开展社区教育的高等职业院校数 ≤ 高等职业院校数；开展社区教育的中等职业学校数 ≤ "
                 "中等职业学校数（含职教中心）。",
            why="开展社区教育的院校是全部院校的一部分，数量多于全部院校说明填写有误。",
            fix="对照原始数据核对两个数字，改正错误的一项。",
            good="higher_vocational_colleges: 49\nhigher_vocational_colleges_active: 31",
            bad="higher_vocational_colleges: 31\nhigher_vocational_colleges_active: 49"),
    },
)
def statistics_subsets(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each part larger than its whole."""
    if province.statistics is not None:
        yield from _pairs(province.statistics, SUBSETS)


@province_rule(
    "S003", Severity.WARNING,
    summary={"en": "statistics.yaml: more institutions than the administrative units they serve",
             "zh": "statistics.yaml：机构数多于其服务的行政区划数"},
    doc={
        "en": RuleDoc(
            what="Each pair is compared: prefecture_guidance_centers ≤ prefecture_cities "
                 "(地级社区教育指导中心 ≤ 地级市), county_colleges ≤ county_level_units "
                 "(县级社区教育学院 ≤ 县级市), town_schools ≤ towns (乡镇（街道）社区教育学校 ≤ "
                 "镇（街道）), and, when both are given, village_learning_points ≤ villages "
                 "(村（社区）学习点 ≤ 村（社区）).",
            why="Usually each unit has at most one such institution. More is possible (a city "
                "with two centres) but often a column mix-up, so it is worth a second look.",
            fix="Check the figures; if they are right, keep them (or turn S003 off for that "
                "province in .coursecheck.yaml).",
            good="towns: 1364\ntown_schools: 1290",
            bad="towns: 1290\ntown_schools: 1364"),
        "zh": RuleDoc(
            what="逐对比较：地级社区教育指导中心数 ≤ 地级市数；县级社区教育学院数 ≤ 县级市数；"
                 "乡镇（街道）社区教育学校数 ≤ 镇（街道）数；两项都填写时，村（社区）学习点数 ≤ "
                 "村（社区）数。",
            why="通常每个行政区划至多有一个这样的机构。多于区划数虽有可能（如一个市有两个中心），"
                "但常是填错了列，值得再核对一次。",
            fix="核对数字；确实无误的可保留（或在 .coursecheck.yaml 中为该省关闭 S003）。",
            good="towns: 1364\ntown_schools: 1290",
            bad="towns: 1290\ntown_schools: 1364"),
    },
)
def statistics_per_unit(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each pair with more institutions than units."""
    if province.statistics is not None:
        yield from _pairs(province.statistics, PER_UNIT)

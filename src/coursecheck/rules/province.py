"""A001–A004: what a province's submission needs (正文 四 and 附件3).

A001 and A002 compare several courses, so only ``audit`` runs them. A003 and A004 are about one
course's own fields (:data:`ATTACH_TO_COURSE`): ``check`` runs them over the course alone, and
``audit`` over each case.

A province rule reads a :class:`ProvinceFacts`: the province's courses and learning-centre cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from coursecheck.findings import Severity
from coursecheck.projects import AuditedProject, ProvinceFacts
from coursecheck.rules.base import Problem, RuleDoc, province_rule
from coursecheck.settings import Settings

MAX_COURSES = 20
# A003 and A004 are about one project's manifest: the audit adds them to that course's (or case's)
# findings, so its verdict and the summary table reflect them; the others stay in the province
# block.
ATTACH_TO_COURSE = frozenset({"A003", "A004"})
MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def phone_ok(phone: str) -> bool:
    """An 11-digit mobile number (optionally +86) or a landline like 010-66097008."""
    compact = re.sub(r"[\s()（）]", "", phone)
    return bool(MOBILE.match(compact) or LANDLINE.match(compact))


@province_rule(
    "A001", Severity.WARNING,
    summary={"en": "A province has more than 20 courses", "zh": "同一省份申报课程超过 20 门"},
    doc={
        "en": RuleDoc(
            what="A province submits at most 20 brand courses.",
            why="Section 四 of the guide: 申报社区教育品牌课程原则上不超过20门.",
            fix="Choose the 20 strongest courses; the summary table lists them in the order of "
                "recommendation.",
            good="浙江省: 18 courses", bad="浙江省: 23 courses"),
        "zh": RuleDoc(
            what="每个省份申报的品牌课程不超过 20 门。",
            why="指南正文四：申报社区教育品牌课程原则上不超过20门。",
            fix="择优保留 20 门，并按推荐顺序填写汇总表。",
            good="浙江省：18 门", bad="浙江省：23 门"),
    },
)
def quota(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once for a province with too many courses."""
    count = len(province.courses)
    if count > MAX_COURSES:
        yield Problem(args={"count": count, "limit": MAX_COURSES}, file="",
                      expected=f"≤{MAX_COURSES}", actual=str(count))


@province_rule(
    "A002", Severity.WARNING,
    summary={"en": "Two courses (or two cases) in one province have the same name",
             "zh": "同一省份有两门课程同名（或两个典型案例学校同名）"},
    doc={
        "en": RuleDoc(
            what="Course names, and the schools of learning-centre cases, are unique within a "
                 "province.",
            why="The summary table and the national platforms list courses by name; two with "
                "one name are indistinguishable, and often one is a duplicate submission.",
            fix="Rename one course, or drop the duplicate folder.",
            good="老年人智能手机使用入门 / 老年人智能手机进阶",
            bad="老年人智能手机使用入门 twice"),
        "zh": RuleDoc(
            what="同一省份内课程名称不重复，典型案例的学校名称也不重复。",
            why="汇总表和国家平台按名称列出课程，同名课程无法区分，且往往是重复申报。",
            fix="修改其中一门的名称，或删除重复的文件夹。",
            good="老年人智能手机使用入门 / 老年人智能手机进阶",
            bad="两门都叫 老年人智能手机使用入门"),
    },
)
def unique_names(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires on each later course (case) that repeats an earlier course's name (case's school)."""
    yield from _repeats(province.courses, "A002", "name")
    yield from _repeats(province.cases, "A002.case", "school")


def _repeats(projects: Sequence[AuditedProject], key: str, field: str) -> Iterator[Problem]:
    first: dict[str, AuditedProject] = {}
    for project in projects:
        if not project.name:
            continue
        name = project.name.strip()
        if name in first:
            yield Problem(key=key, args={"name": name, "other": first[name].path},
                          file=project.manifest_path, line=project.line_of(field))
        else:
            first[name] = project


@province_rule(
    "A003", Severity.ERROR,
    summary={"en": "A course or case lacks province, level or contact, which the summary table "
                   "needs",
             "zh": "课程或典型案例缺少汇总表所需的省份、层级或联系人信息"},
    doc={
        "en": RuleDoc(
            what="`province`, `level` (county | township | village) and `contact` with `name` "
                 "and `phone` are filled in (in case.yaml: `school_contact`).",
            why="Annex 3, the province's summary table, lists each course with its level (所处层级), "
                "contact (联系人) and phone (联系电话).",
            fix="Add the missing fields to course.yaml.",
            good="province: 浙江省\nlevel: township\ncontact: {name: 王老师, phone: \"13800138000\"}",
            bad="contact: {name: 王老师}   # no phone, no province, no level"),
        "zh": RuleDoc(
            what="填写了 `province`、`level`（county / township / village）以及含 `name` 和 "
                 "`phone` 的 `contact`（case.yaml 中为 `school_contact`）。",
            why="附件3 汇总表要列出每门课程的所处层级、联系人和联系电话。",
            fix="在 course.yaml 中补全缺少的字段。",
            good="province: 浙江省\nlevel: township\ncontact: {name: 王老师, phone: \"13800138000\"}",
            bad="contact: {name: 王老师}   # 缺电话、省份和层级"),
    },
)
def summary_fields(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per course or case, naming every field it lacks."""
    for project in (*province.courses, *province.cases):
        if not project.valid:
            continue
        contact = project.contact_key
        missing = [name for name, value in (
            ("province", project.province), ("level", project.level),
            (f"{contact}.name", project.contact_name),
            (f"{contact}.phone", project.contact_phone))
            if not value and name not in project.wrong]  # present but wrong: C003/K001 say so
        if missing:
            yield Problem(key="A003" if project.kind == "course" else "A003.case",
                          args={"fields": ", ".join(missing)}, file=project.manifest_path,
                          line=project.line_of(contact) or 1)


@province_rule(
    "A004", Severity.WARNING,
    summary={"en": "A contact phone is neither a mobile nor a landline number",
             "zh": "联系电话既不是手机号也不是固定电话"},
    doc={
        "en": RuleDoc(
            what="`contact.phone` is an 11-digit mobile number (13800138000, optionally +86) or "
                 "a landline with its area code (010-66097008, 0571-87654321).",
            why="Reviewers call the contact; a mistyped number costs a submission its chance.",
            fix="Correct the number; write it in quotes so YAML keeps it as text.",
            good="phone: \"13800138000\"", bad="phone: \"1380013800\"   # 10 digits"),
        "zh": RuleDoc(
            what="`contact.phone` 是 11 位手机号（13800138000，可带 +86），或带区号的固定电话"
                 "（010-66097008、0571-87654321）。",
            why="评审会联系联系人，号码写错可能错失机会。",
            fix="改正号码，并加引号让 YAML 按文本保存。",
            good="phone: \"13800138000\"", bad="phone: \"1380013800\"   # 只有 10 位"),
    },
)
def phone_format(province: ProvinceFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each course contact phone that matches neither pattern (K103 checks cases)."""
    for course in province.courses:
        phone = course.contact_phone
        if phone and not phone_ok(phone):
            yield Problem(args={"phone": phone}, file=course.manifest_path,
                          line=course.line_of("contact", "phone"),
                          expected="13800138000 | 010-66097008", actual=phone)

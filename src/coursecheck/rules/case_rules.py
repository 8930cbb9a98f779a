"""K001–K104: one typical case of a brand community learning centre (case.yaml, 附件4)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from coursecheck.case import SECTIONS, CaseFacts
from coursecheck.findings import Severity
from coursecheck.rules.base import Problem, RuleDoc, case_rule
from coursecheck.rules.manifest_rules import field_problems
from coursecheck.rules.province import phone_ok
from coursecheck.settings import Settings
from coursecheck.text import char_count

MAX_HIGHLIGHTS = 1000
MAX_PROMOTION = 300
MIN_SECTION = 50
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
REQUIRED = "school, foundation, team, activities, sustainability, highlights, promotion"


@case_rule(
    "K001", Severity.ERROR,
    summary={"en": "case.yaml is missing, not valid YAML, or a field is missing, empty, of the "
                   "wrong type or unknown",
             "zh": "case.yaml 缺失或不是有效的 YAML，或字段缺失、为空、类型错误、未知"},
    doc={
        "en": RuleDoc(
            what="A case folder holds case.yaml: one YAML mapping (within the limits course.yaml "
                 f"has: 1 MiB, 32 levels, 50,000 values, no repeated key) with {REQUIRED} "
                 "filled in and no unknown key.",
            why="Annex 4 (品牌社区学习中心典型案例推介表) is written from these fields; a missing "
                "or misspelt one leaves a hole in the form.",
            fix="Fix the field at the line given. schemas/case.schema.json lets an editor "
                "complete field names; `coursecheck schema --kind case` prints it.",
            good="school: 杭州市西湖区社区学院\nfoundation: 学院建有……",
            bad="school_name: 杭州市西湖区社区学院   # unknown key; the field is `school`"),
        "zh": RuleDoc(
            what="案例文件夹中有 case.yaml：一个 YAML 映射（与 course.yaml 同样的上限：1 MiB、"
                 f"32 层、50,000 个值、不得重复键），填写了 {REQUIRED}，且没有未知字段。",
            why="附件4《品牌社区学习中心典型案例推介表》由这些字段生成，缺失或拼错的字段会在表中留空。",
            fix="按提示的行号改正字段。编辑器加载 schemas/case.schema.json 后可补全字段名；"
                "`coursecheck schema --kind case` 可输出该文件。",
            good="school: 杭州市西湖区社区学院\nfoundation: 学院建有……",
            bad="school_name: 杭州市西湖区社区学院   # 未知字段，应为 `school`"),
    },
)
def case_fields(facts: CaseFacts, settings: Settings) -> Iterator[Problem]:
    """The file is missing or unreadable, or one problem per field error, located."""
    if facts.file is None:
        yield Problem(key="K001.none", file=facts.case_file)
    elif facts.load_error is not None:
        error = facts.load_error
        kind = "no_document" if error.kind == "empty" else error.kind  # not an empty field
        yield Problem(key=f"K001.{kind}", args={"detail": error.detail},
                      file=facts.case_file, line=error.line)
    else:
        yield from field_problems("K001", facts.field_errors,
                                  facts.view.raw if facts.view else {}, facts.line_of,
                                  facts.case_file)


def _too_long(facts: CaseFacts, field: str, limit: int) -> Iterator[Problem]:
    text = getattr(facts.view, field, None) if facts.view else None
    if text:
        count = char_count(text)
        if count > limit:
            yield Problem(args={"count": count, "limit": limit}, file=facts.case_file,
                          line=facts.line_of(field), expected=f"≤{limit}", actual=str(count))


@case_rule(
    "K101", Severity.ERROR,
    summary={"en": "The highlights (特色和经验) are longer than 1000 characters",
             "zh": "特色和经验超过 1000 字"},
    doc={
        "en": RuleDoc(
            what="`highlights` has at most 1000 characters, counted as C101 counts: Unicode "
                 "characters after NFC normalisation, without leading and trailing white space; "
                 "a Chinese character, a full-width mark and a Latin letter each count as one.",
            why="Annex 4: 特色和经验（字数不超过1000字）.",
            fix="Shorten the text to 1000 characters.",
            good="highlights: （980 字）", bad="highlights: （1001 字）"),
        "zh": RuleDoc(
            what="`highlights` 不超过 1000 字，计数方法与 C101 相同：NFC 规范化后的 Unicode "
                 "字符数，不计首尾空白；汉字、全角标点和拉丁字母各算一个字。",
            why="附件4：特色和经验（字数不超过1000字）。",
            fix="把内容压缩到 1000 字以内。",
            good="highlights: （980 字）", bad="highlights: （1001 字）"),
    },
)
def highlights_length(facts: CaseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when ``highlights`` is over the limit."""
    yield from _too_long(facts, "highlights", MAX_HIGHLIGHTS)


@case_rule(
    "K102", Severity.ERROR,
    summary={"en": "The promotion text (重点宣传推介内容) is longer than 300 characters",
             "zh": "重点宣传推介内容超过 300 字"},
    doc={
        "en": RuleDoc(
            what="`promotion` has at most 300 characters, counted as C101 counts.",
            why="Annex 4: 重点宣传推介内容（主要凝练可推广、可复制的典型做法和经验。字数不超过300字内）.",
            fix="Keep the practices others can copy, in 300 characters at most.",
            good="promotion: （280 字）", bad="promotion: （301 字）"),
        "zh": RuleDoc(
            what="`promotion` 不超过 300 字，计数方法与 C101 相同。",
            why="附件4：重点宣传推介内容（主要凝练可推广、可复制的典型做法和经验。字数不超过300字内）。",
            fix="只保留可推广、可复制的做法和经验，控制在 300 字以内。",
            good="promotion: （280 字）", bad="promotion: （301 字）"),
    },
)
def promotion_length(facts: CaseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when ``promotion`` is over the limit."""
    yield from _too_long(facts, "promotion", MAX_PROMOTION)


@case_rule(
    "K103", Severity.WARNING,
    summary={"en": "A case's phone is neither a mobile nor a landline, or its e-mail is not an "
                   "address",
             "zh": "典型案例的联系电话既不是手机号也不是固定电话，或电子邮箱格式不对"},
    doc={
        "en": RuleDoc(
            what="`province_contact.phone` and `school_contact.phone` are 11-digit mobile numbers "
                 "or landlines with their area code (as A004 checks), and `school_contact.email` "
                 "looks like name@example.cn.",
            why="Reviewers call or write to these contacts; a mistyped one costs the case its "
                "chance.",
            fix="Correct the number or address; quote phone numbers so YAML keeps them as text.",
            good='school_contact: {name: 王老师, phone: "0571-87654321", email: wang@example.cn}',
            bad='school_contact: {name: 王老师, phone: "87654321", email: wang.example.cn}'),
        "zh": RuleDoc(
            what="`province_contact.phone` 和 `school_contact.phone` 是 11 位手机号或带区号的固定"
                 "电话（与 A004 相同），`school_contact.email` 形如 name@example.cn。",
            why="评审会致电或发邮件给联系人，写错可能让案例错失机会。",
            fix="改正号码或邮箱；电话号码加引号让 YAML 按文本保存。",
            good='school_contact: {name: 王老师, phone: "0571-87654321", email: wang@example.cn}',
            bad='school_contact: {name: 王老师, phone: "87654321", email: wang.example.cn}'),
    },
)
def case_contacts(facts: CaseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each phone matching neither pattern and for an e-mail that is no address."""
    view = facts.view
    if view is None:
        return
    for key, contact in (("province_contact", view.province_contact),
                         ("school_contact", view.school_contact)):
        phone = contact.phone if contact else None
        if phone and not phone_ok(phone):
            yield Problem(key="K103.phone", args={"field": f"{key}.phone", "phone": phone},
                          file=facts.case_file, line=facts.line_of(key, "phone"),
                          expected="13800138000 | 010-66097008", actual=phone)
    email = view.school_contact.email if view.school_contact else None
    if email and not EMAIL.match(email.strip()):
        yield Problem(key="K103.email", args={"email": email}, file=facts.case_file,
                      line=facts.line_of("school_contact", "email"),
                      expected="name@example.cn", actual=email)


@case_rule(
    "K104", Severity.WARNING,
    summary={"en": "A section of the case is suspiciously short (under 50 characters)",
             "zh": "典型案例的某一栏内容过短（少于 50 字）"},
    doc={
        "en": RuleDoc(
            what="Each of the six narrative fields (foundation, team, activities, sustainability, "
                 f"highlights, promotion) has at least {MIN_SECTION} characters.",
            why="Annex 4 asks each row for facts: 设施、经费保障, 社区教育工作者、志愿者队伍, "
                "办学成效、社会影响 and so on. A line or two is what a reviewer sends back.",
            fix="Describe the facts the row asks for, with figures where there are any.",
            good="team: 学院有专职教师 12 人、兼职教师 45 人，注册志愿者 300 余人……",
            bad="team: 师资力量雄厚。"),
        "zh": RuleDoc(
            what=f"六个叙述栏目（foundation、team、activities、sustainability、highlights、promotion）"
                 f"各不少于 {MIN_SECTION} 字。",
            why="附件4 每一栏都要求填写具体情况，如设施、经费保障，社区教育工作者、志愿者队伍，"
                "办学成效、社会影响等。只有一两句话的栏目往往会被退回。",
            fix="按栏目要求写明具体情况，有数字的写上数字。",
            good="team: 学院有专职教师 12 人、兼职教师 45 人，注册志愿者 300 余人……",
            bad="team: 师资力量雄厚。"),
    },
)
def short_sections(facts: CaseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once per narrative field under the minimum."""
    if facts.view is None:
        return
    for field, label in SECTIONS.items():
        text = getattr(facts.view, field)
        if text and char_count(text) < MIN_SECTION:
            count = char_count(text)
            yield Problem(args={"field": field, "label": label, "count": count,
                                "limit": MIN_SECTION},
                          file=facts.case_file, line=facts.line_of(field),
                          expected=f"≥{MIN_SECTION}", actual=str(count))

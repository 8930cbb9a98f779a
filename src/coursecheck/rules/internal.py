"""X001: coursecheck's own failure, documented like a rule so ``explain X001`` works.

The engine raises it, not a check: when a rule crashes (the other rules still run), or when a
course cannot be checked at all (the other courses still are). Its check never fires by itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings


@course_rule(
    "X001", Severity.ERROR,
    summary={"en": "coursecheck itself failed on a rule or a course (please report it)",
             "zh": "coursecheck 自身在某条规则或某门课程上出错（请报告）"},
    doc={
        "en": RuleDoc(
            what="Raised by coursecheck, not by your course: a rule crashed, or a course could "
                 "not be checked at all. The message names the rule and the error. The other "
                 "rules and the other courses are still checked.",
            why="A bug must never hide the other findings, nor pass a course it could not "
                "check: the course fails until the check runs.",
            fix="Report it with the message and, if you can, the file that triggers it; "
                "`coursecheck check COURSE --debug` prints the traceback. Meanwhile "
                "`--ignore RULE` skips the rule that crashed.",
            good="(no X001)",
            bad="X001 Internal error in rule V104: ZeroDivisionError: division by zero."),
        "zh": RuleDoc(
            what="由 coursecheck 自身产生，与课程无关：某条规则运行出错，或某门课程根本无法检查。"
                 "消息中写明规则和错误。其他规则、其他课程照常检查。",
            why="程序缺陷不能掩盖其他问题，也不能让未检查完的课程显示为通过：在检查能够运行之前，"
                "该课程判为不通过。",
            fix="请连同消息报告此问题，最好附上引发问题的文件；"
                "`coursecheck check 课程文件夹 --debug` 会显示详细的出错信息。"
                "在修复之前，可以用 `--ignore 规则编号` 跳过出错的规则。",
            good="（没有 X001）",
            bad="X001 规则 V104 内部出错：ZeroDivisionError: division by zero。"),
    },
)
def internal_error(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Never fires: the engine reports X001 itself."""
    yield from ()

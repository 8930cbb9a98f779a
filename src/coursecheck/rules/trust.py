"""C006: a submitted course that ships its own configuration (which an audit ignores)."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings

CONFIG_NAMES = (".coursecheck.yaml", ".coursecheck.yml")


@course_rule(
    "C006", Severity.WARNING,
    summary={"en": "The course ships its own configuration, which the audit ignored",
             "zh": "课程自带配置文件，核查时已忽略"},
    doc={
        "en": RuleDoc(
            what="When `audit` (or `check --no-course-config`) checks a course, a `.coursecheck.yaml` "
                 "or `.coursecheck.yml` inside the course folder is reported and not read.",
            why="In a province's audit every course is an untrusted submission. A configuration "
                "inside it could turn off the rules it fails (`rules: {V104: off}`) or loosen the "
                "thresholds, so the audit takes its settings only from `--config` or from files "
                "above the course folders. The warning tells the auditor that the course tried.",
            fix="Delete the file from the submitted course. Teams that want shared settings put "
                "them above the course folders, where the auditor decides.",
            good="my-course/course.yaml\nmy-course/lessons/01.mp4",
            bad="my-course/.coursecheck.yaml   # rules: {V104: off}"),
        "zh": RuleDoc(
            what="`audit`（或 `check --no-course-config`）核查课程时，课程文件夹里的 "
                 "`.coursecheck.yaml` 或 `.coursecheck.yml` 会被报告，且不会被读取。",
            why="省级核查时每门课程都是待审材料。课程自带的配置可能关闭它不合格的规则（如 "
                "`rules: {V104: off}`）或放宽阈值，所以核查只使用 `--config` 或课程文件夹以外的配置。"
                "此警告提醒核查人员该课程带有配置文件。",
            fix="从报送的课程中删除该文件。需要统一设置时，把配置放在课程文件夹的上一级，由核查人员决定。",
            good="my-course/course.yaml\nmy-course/lessons/01.mp4",
            bad="my-course/.coursecheck.yaml   # rules: {V104: off}"),
    },
)
def ships_configuration(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires on each configuration file at the top of a course whose configuration was ignored."""
    if settings.course_config:
        return
    for name in CONFIG_NAMES:
        if name in facts.files:
            yield Problem(file=name, args={"file": name})

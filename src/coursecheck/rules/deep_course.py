"""D107: loudness that jumps from one lesson to the next within a course (``--deep``)."""

from __future__ import annotations

from collections.abc import Iterator

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.rules.deep_content import wholly_silent
from coursecheck.settings import Settings


@course_rule(
    "D107", Severity.WARNING,
    summary={"en": "The lessons of a course differ in loudness",
             "zh": "同一课程各微课响度差别大"},
    doc={
        "en": RuleDoc(
            what="With `--deep`, the loudest and the quietest lesson of a course differ by at "
                 "most `loudness_spread_max` (3 LU). The finding is on the manifest and names "
                 "both lessons.",
            why="Uneven loudness between lessons is what learners notice first: they turn the "
                "volume up for one lesson and are blasted by the next.",
            fix="Normalise every lesson to the same target. `coursecheck fix` normalises the "
                "lessons that are too quiet or too loud (D104, D105), to −18 LUFS or as near it "
                "as keeps them within this limit of the others.",
            good="lessons between −18.9 and −17.2 LUFS",
            bad="lesson 3 at −25.0 LUFS, lesson 7 at −17.0 LUFS: 8.0 LU apart"),
        "zh": RuleDoc(
            what="使用 `--deep` 时，同一课程中最响与最轻的微课响度相差不超过 `loudness_spread_max`"
                 "（3 LU）。问题标在清单上，并写明这两个微课。",
            why="各微课音量不一是学习者最先察觉的问题：这一节把音量调大，下一节就被吓一跳。",
            fix="把每个微课规范到同一目标响度。`coursecheck fix` 会规范过轻或过响的微课"
                "（D104、D105），调到 −18 LUFS，或在与其余微课相差不超过本限值的前提下尽量接近 −18。",
            good="各微课在 −18.9 到 −17.2 LUFS 之间",
            bad="第 3 课 −25.0 LUFS，第 7 课 −17.0 LUFS：相差 8.0 LU"),
    },
)
def loudness_spread(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires once when the spread of the lessons' loudness is over the limit."""
    measured = [(lesson.deep.loudness_lufs, lesson.file) for lesson in facts.lessons
                if lesson.deep is not None and lesson.deep.loudness_lufs is not None
                and not wholly_silent(lesson.deep)]
    if len(measured) < 2:
        return
    quiet, loud = min(measured), max(measured)
    spread = loud[0] - quiet[0]
    if spread > settings.loudness_spread_max:
        yield Problem(args={"spread": f"{spread:.1f}", "limit": f"{settings.loudness_spread_max:g}",
                            "quiet": quiet[1], "quiet_lufs": f"{quiet[0]:.1f}",
                            "loud": loud[1], "loud_lufs": f"{loud[0]:.1f}"},
                      file=facts.manifest_file, line=facts.manifest_line("lessons"),
                      expected=f"≤{settings.loudness_spread_max:g} LU", actual=f"{spread:.1f} LU")

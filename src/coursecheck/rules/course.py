"""C101–C108: what Annex 2 asks of the course's metadata and cover image."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from coursecheck.cover import ACCEPTED_FORMATS
from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.paths import PathStatus
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings
from coursecheck.spec import DECLARATIONS, THEMES
from coursecheck.text import char_count
from coursecheck.yamlload import as_yaml

_COUNTING_EN = ("Characters are Unicode code points after NFC normalisation, with leading and "
                "trailing white space stripped: a Chinese character, a full-width punctuation mark "
                "and a Latin letter each count as one.")
_COUNTING_ZH = ("字数按 Unicode 码位计算（先做 NFC 规范化并去掉首尾空白）：一个汉字、一个全角标点、"
                "一个英文字母都各算一个字。")


@course_rule(
    "C101", Severity.ERROR,
    summary={"en": "The course intro is longer than 100 characters",
             "zh": "课程简介超过 100 字"},
    doc={
        "en": RuleDoc(
            what="`intro` holds at most 100 characters (简介 100 字以内). " + _COUNTING_EN,
            why="Annex 2 limits the course introduction to 100 characters.",
            fix="Shorten the intro; keep who the course is for and what they will learn.",
            good="intro: 面向社区老年居民，讲解智能手机的基本操作。",
            bad="intro: <a 130-character paragraph>"),
        "zh": RuleDoc(
            what="`intro` 不超过 100 字（简介 100 字以内）。" + _COUNTING_ZH,
            why="附件2规定课程简介在 100 字以内。",
            fix="精简简介，保留面向人群和学习内容即可。",
            good="intro: 面向社区老年居民，讲解智能手机的基本操作。",
            bad="intro: <一段 130 字的文字>"),
    },
)
def intro_length(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the course intro is over the limit."""
    view = facts.manifest.view
    if view and view.intro is not None:
        count = char_count(view.intro)
        if count > settings.max_intro_chars:
            yield Problem(args={"count": count, "limit": settings.max_intro_chars},
                          file=facts.manifest_file, line=facts.manifest_line("intro"),
                          expected=f"≤{settings.max_intro_chars}", actual=str(count))


@course_rule(
    "C102", Severity.ERROR,
    summary={"en": "The instructor intro is longer than 100 characters",
             "zh": "授课人简介超过 100 字"},
    doc={
        "en": RuleDoc(
            what="`instructor.intro` holds at most 100 characters. " + _COUNTING_EN,
            why="Annex 2 limits the instructor introduction (授课人简介) to 100 characters.",
            fix="Shorten it to the instructor's role and main qualification.",
            good="instructor:\n  name: 李明\n  intro: 社区学校专职教师，从事老年教育十年。",
            bad="instructor:\n  name: 李明\n  intro: <a 150-character biography>"),
        "zh": RuleDoc(
            what="`instructor.intro` 不超过 100 字。" + _COUNTING_ZH,
            why="附件2规定授课人简介在 100 字以内。",
            fix="精简为授课人的身份和主要资历。",
            good="instructor:\n  name: 李明\n  intro: 社区学校专职教师，从事老年教育十年。",
            bad="instructor:\n  name: 李明\n  intro: <一段 150 字的履历>"),
    },
)
def instructor_intro_length(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the instructor intro is over the limit."""
    view = facts.manifest.view
    if view and view.instructor is not None:
        count = char_count(view.instructor.intro)
        if count > settings.max_intro_chars:
            yield Problem(args={"count": count, "limit": settings.max_intro_chars},
                          file=facts.manifest_file,
                          line=facts.manifest_line("instructor", "intro"),
                          expected=f"≤{settings.max_intro_chars}", actual=str(count))


@course_rule(
    "C103", Severity.ERROR,
    summary={"en": "The course was created before 2022-06-01",
             "zh": "课程资源建设时间早于 2022-06-01"},
    doc={
        "en": RuleDoc(
            what="`created` is on or after 2022-06-01.",
            why="Annex 2 accepts only new course resources built after June 2022 "
                "(2022 年 6 月以后新建课程资源).",
            fix="If the date is a typo, correct it. An older course cannot be submitted; "
                "rebuild it as a new resource.",
            good="created: 2023-03-15",
            bad="created: 2021-09-01"),
        "zh": RuleDoc(
            what="`created` 不早于 2022-06-01。",
            why="附件2要求为 2022 年 6 月以后新建的课程资源。",
            fix="如果是笔误请改正；旧课程不能申报，需要重新建设。",
            good="created: 2023-03-15",
            bad="created: 2021-09-01"),
    },
)
def created_date(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when ``created`` is before the cut-off."""
    view = facts.manifest.view
    if view and view.created is not None and view.created < settings.min_created:
        yield Problem(args={"date": view.created.isoformat(),
                            "limit": settings.min_created.isoformat()},
                      file=facts.manifest_file, line=facts.manifest_line("created"),
                      expected=f"≥{settings.min_created.isoformat()}",
                      actual=view.created.isoformat())


@course_rule(
    "C104", Severity.ERROR,
    summary={"en": "The course has fewer than 10 lessons",
             "zh": "微课少于 10 个"},
    doc={
        "en": RuleDoc(
            what="`lessons` lists at least 10 micro-lessons.",
            why="Annex 2: each course contains at least 10 micro-lessons (至少包含 10 个微课).",
            fix="Add lessons until there are at least 10; each should teach one knowledge point.",
            good="lessons: [10 or more entries]",
            bad="lessons: [8 entries]"),
        "zh": RuleDoc(
            what="`lessons` 至少列出 10 个微课。",
            why="附件2规定每门课程至少包含 10 个微课。",
            fix="补充微课至至少 10 个，每个微课聚焦一个知识点。",
            good="lessons: [10 个或更多]",
            bad="lessons: [8 个]"),
    },
)
def lesson_count(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when fewer lessons are listed than required."""
    view = facts.manifest.view
    if view and "lessons" in view.raw and view.lesson_count < settings.min_lessons:
        yield Problem(args={"count": view.lesson_count, "limit": settings.min_lessons},
                      file=facts.manifest_file, line=facts.manifest_line("lessons"),
                      expected=f"≥{settings.min_lessons}", actual=str(view.lesson_count))


@course_rule(
    "C105", Severity.ERROR,
    summary={"en": "The theme is not one of the ten official themes",
             "zh": "课程主题不是十个官方主题之一"},
    doc={
        "en": RuleDoc(
            what="`theme` is exactly one of: " + "、".join(THEMES) + ".",
            why="Section 二（三） of the guide names the ten themes a brand course may take.",
            fix="Copy one theme exactly, including every character; the message suggests the "
                "closest.",
            good="theme: 老年智慧生活",
            bad="theme: 老年人智慧生活"),
        "zh": RuleDoc(
            what="`theme` 必须与以下之一完全一致：" + "、".join(THEMES) + "。",
            why="指南正文二（三）规定了品牌课程的十个主题。",
            fix="逐字照抄其中一个主题；提示中会给出最接近的主题。",
            good="theme: 老年智慧生活",
            bad="theme: 老年人智慧生活"),
    },
)
def theme(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the theme is not in the list; suggests the closest one."""
    view = facts.manifest.view
    if view and view.theme is not None and view.theme not in THEMES:
        close = difflib.get_close_matches(view.theme, THEMES, n=1, cutoff=0.0)
        yield Problem(key="C105" if close else "C105.none",
                      args={"theme": view.theme, "suggestion": close[0] if close else "",
                            "themes": "、".join(THEMES)},
                      file=facts.manifest_file, line=facts.manifest_line("theme"),
                      expected=close[0] if close else None, actual=view.theme)


@course_rule(
    "C106", Severity.ERROR,
    summary={"en": "A declaration is missing or not true",
             "zh": "承诺项缺失或不为 true"},
    doc={
        "en": RuleDoc(
            what="`declarations` holds public_welfare, no_copyright_dispute and "
                 "open_sharing_consent, each set to true (YAML true, not a string).",
            why="Annex 2: the course is public-benefit (公益属性), has no copyright dispute "
                "(无版权纠纷), and its owner consents to open sharing on the national platforms.",
            fix="Add the block with all three set to true, after confirming each promise holds.",
            good="declarations:\n  public_welfare: true\n  no_copyright_dispute: true\n"
                 "  open_sharing_consent: true",
            bad="declarations:\n  public_welfare: true\n  no_copyright_dispute: \"是\""),
        "zh": RuleDoc(
            what="`declarations` 含 public_welfare、no_copyright_dispute、open_sharing_consent "
                 "三项，且都为 true（YAML 的 true，不是字符串）。",
            why="附件2要求课程具有公益属性、无版权纠纷，并承诺同意纳入国家智慧教育云平台和"
                "国家开放大学终身教育平台进行开放共享。",
            fix="确认各项承诺属实后，补全这三项并设为 true。",
            good="declarations:\n  public_welfare: true\n  no_copyright_dispute: true\n"
                 "  open_sharing_consent: true",
            bad="declarations:\n  public_welfare: true\n  no_copyright_dispute: \"是\""),
    },
)
def declarations(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """One problem per promise that is absent or not literally ``true``."""
    view = facts.manifest.view
    if view is None:
        return
    block = view.raw.get("declarations")
    if not isinstance(block, dict):
        yield Problem(key="C106.block", args={"keys": ", ".join(DECLARATIONS)},
                      file=facts.manifest_file, line=facts.manifest_line("declarations"))
        return
    for key, meaning in DECLARATIONS.items():
        value = block.get(key)
        if value is not True:
            where = ("declarations", key) if key in block else ("declarations",)
            shown = as_yaml(value)  # YAML spelling: false, not Python's False
            yield Problem(key="C106.missing" if key not in block else "C106",
                          args={"key": key, "meaning": meaning, "value": shown},
                          file=facts.manifest_file, line=facts.manifest_line(*where),
                          expected="true", actual="(missing)" if key not in block else shown)


@course_rule(
    "C107", Severity.ERROR,
    summary={"en": "The cover image is missing or not a readable JPEG or PNG",
             "zh": "首页图片缺失，或不是可读取的 JPEG/PNG"},
    doc={
        "en": RuleDoc(
            what="`cover` names a JPEG or PNG inside the course folder that decodes completely.",
            why="Annex 2 requires a cover image (首页图片); the platforms accept JPEG and PNG.",
            fix="Export the cover as JPEG or PNG (16:9, at least 1280×720 is best) and point "
                "`cover` at it, e.g. `ffmpeg -i cover.webp cover.jpg`.",
            good="cover: cover.jpg   # a 1280×720 JPEG",
            bad="cover: cover.webp   # or a file that does not exist"),
        "zh": RuleDoc(
            what="`cover` 指向课程文件夹内一张能完整解码的 JPEG 或 PNG 图片。",
            why="附件2要求提供首页图片；平台接受 JPEG 和 PNG。",
            fix="把封面导出为 JPEG 或 PNG（建议 16:9、至少 1280×720），再让 `cover` 指向它，"
                "如 `ffmpeg -i cover.webp cover.jpg`。",
            good="cover: cover.jpg   # 1280×720 的 JPEG",
            bad="cover: cover.webp   # 或不存在的文件"),
    },
)
def cover_readable(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the cover does not resolve, does not decode, or has another format."""
    cover = facts.cover
    if cover is None:
        return
    line = facts.manifest_line("cover")
    if cover.path.status is not PathStatus.OK:
        yield Problem(key=f"C107.{cover.path.status}", args={"file": cover.path.written},
                      file=facts.manifest_file, line=line)
    elif cover.image is not None and cover.image.error:
        yield Problem(key="C107.unreadable", args={"file": cover.path.written,
                                                   "detail": cover.image.error},
                      file=cover.path.written)
    elif cover.image is not None and cover.image.format not in ACCEPTED_FORMATS:
        yield Problem(key="C107.format", args={"file": cover.path.written,
                                               "format": cover.image.format},
                      file=cover.path.written, expected="JPEG | PNG",
                      actual=str(cover.image.format))


@course_rule(
    "C108", Severity.WARNING,
    summary={"en": "The cover image is smaller than 640×360 or far from 16:9",
             "zh": "首页图片小于 640×360，或比例明显不是 16:9"},
    doc={
        "en": RuleDoc(
            what="The cover is at least 640×360 pixels and within 10% of a 16:9 aspect ratio.",
            why="Course lists on the platforms show covers as 16:9 tiles; a small or square "
                "cover is blurred or cropped.",
            fix="Re-export at 1280×720, e.g. `ffmpeg -i cover.png -vf "
                "\"scale=1280:720:force_original_aspect_ratio=decrease,"
                "pad=1280:720:(ow-iw)/2:(oh-ih)/2\" cover.jpg`.",
            good="a 1280×720 cover",
            bad="a 400×400 cover"),
        "zh": RuleDoc(
            what="封面至少 640×360 像素，宽高比与 16:9 相差不超过 10%。",
            why="平台以 16:9 卡片展示课程封面，过小或方形的封面会模糊或被裁切。",
            fix="按 1280×720 重新导出，如 `ffmpeg -i cover.png -vf "
                "\"scale=1280:720:force_original_aspect_ratio=decrease,"
                "pad=1280:720:(ow-iw)/2:(oh-ih)/2\" cover.jpg`。",
            good="1280×720 的封面",
            bad="400×400 的封面"),
    },
)
def cover_shape(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for a readable cover that is too small or not close to 16:9."""
    image = facts.cover.image if facts.cover else None
    if image is None or image.error or not image.width or not image.height:
        return
    ratio = image.width / image.height
    small = image.width < 640 or image.height < 360
    if small or abs(ratio - 16 / 9) / (16 / 9) > 0.10:
        yield Problem(key="C108.small" if small else "C108",
                      args={"size": f"{image.width}×{image.height}"},
                      file=facts.cover.path.written if facts.cover else None,
                      expected="≥640×360, 16:9", actual=f"{image.width}×{image.height}")

"""C001–C004: finding, reading and shaping the manifest (course.yaml)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any

from coursecheck.facts import CourseFacts
from coursecheck.findings import Severity
from coursecheck.manifest import FieldError
from coursecheck.rules.base import Problem, RuleDoc, course_rule
from coursecheck.settings import Settings
from coursecheck.spec import MANIFEST_NAMES

# Kinds of pydantic error, grouped into the four things C003 can say.
_EXPECTED = {
    "string_type": "text", "bool_type": "true | false", "list_type": "list",
    "model_type": "mapping", "model_attributes_type": "mapping", "dict_type": "mapping",
    "date_type": "YYYY-MM-DD", "date_parsing": "YYYY-MM-DD", "date_from_datetime_parsing":
    "YYYY-MM-DD", "date_from_datetime_inexact": "YYYY-MM-DD", "literal_error":
    "county | township | village", "int_type": "1, 2, 3, …", "greater_than": "1, 2, 3, …",
}
# The same, in words a Chinese author reads.
_EXPECTED_ZH = {"text": "文字", "true | false": "true 或 false", "list": "列表（每项以 - 开头）",
                "mapping": "字段映射（下一行缩进写子字段）"}


# For errors raised by our own validators ("value_error"), what the field expects.
_FIELD_EXPECTED = {"created": "YYYY-MM-DD"}


@course_rule(
    "C001", Severity.ERROR,
    summary={"en": "The folder has no course.yaml or course.yml",
             "zh": "课程文件夹中没有 course.yaml 或 course.yml"},
    doc={
        "en": RuleDoc(
            what="The course folder must hold a manifest named course.yaml (or course.yml).",
            why="The manifest carries what Annex 2 asks for: name, intros, theme, cover and the "
                "ordered list of lessons. Without it nothing can be checked.",
            fix="Create course.yaml at the top of the folder (`coursecheck init FOLDER` writes a "
                "draft), then fill in every field. When the message names a file such as "
                "course.yaml.txt, Course.yaml or 课程.yaml, rename that file to course.yaml: "
                "Windows hides the .txt that Notepad adds, and the platforms' servers tell upper "
                "from lower case. Until then, `check` and `audit` still check every video "
                "and audio file in the folder (the V-rules), in name order.",
            good="my-course/course.yaml\nmy-course/lessons/01.mp4",
            bad="my-course/lessons/01.mp4   # no manifest"),
        "zh": RuleDoc(
            what="课程文件夹根目录必须有清单文件 course.yaml（或 course.yml）。",
            why="附件2要求的课程名称、简介、主题、首页图片和微课列表都写在清单里，没有清单就无法核查。",
            fix="在文件夹根目录新建 course.yaml（可运行 `coursecheck init 课程文件夹` 生成草稿），"
                "并填写全部字段。如果提示找到了 course.yaml.txt、Course.yaml 或 课程.yaml 之类的"
                "文件，请把它改名为 course.yaml：Windows 默认隐藏记事本加上的 .txt 扩展名，"
                "平台服务器区分大小写。在此之前，`check` 和 `audit` 仍会按文件名顺序"
                "核查文件夹中的每个视频和音频（V 类规则）。",
            good="my-course/course.yaml\nmy-course/lessons/01.mp4",
            bad="my-course/lessons/01.mp4   # 缺少清单"),
    },
)
def manifest_missing(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when no manifest file was found, naming a misnamed one when there is one."""
    if facts.manifest.file is not None or (facts.archive and facts.archive.refused_whole):
        return  # a zip that was not unpacked at all is Z004 or Z005, not a missing manifest
    near = facts.manifest.near
    if near is None:
        yield Problem(file="course.yaml")
    elif near.strip().lower().endswith(".txt"):
        yield Problem(key="C001.txt", args={"found": near}, file=near)
    elif near.strip().lower() in MANIFEST_NAMES:
        yield Problem(key="C001.case", args={"found": near}, file=near)
    else:
        yield Problem(key="C001.near", args={"found": near}, file=near)


@course_rule(
    "C002", Severity.ERROR,
    summary={"en": "The manifest is not valid YAML, not a mapping, or too large or deep",
             "zh": "清单不是有效的 YAML、不是键值映射，或过大、嵌套过深"},
    doc={
        "en": RuleDoc(
            what="course.yaml must be one YAML document whose top level is a mapping of fields. "
                 "Files over 1 MiB, nested deeper than 32 levels, expanding to more than 50,000 "
                 "values through aliases, or repeating a key are refused.",
            why="A manifest that does not parse cannot be checked; the limits stop a hostile file "
                "(an alias bomb) from hanging a CI job or exhausting memory.",
            fix="Open the file at the line given and fix the syntax: indent with spaces, put a "
                "space after every colon, quote values that start with special characters. "
                "Slips of a Chinese input method are named as such, on their own line: a "
                "full-width colon (name：…), no space after the colon (theme:老年智慧生活), "
                "full-width spaces, tabs. Switch the input method to English punctuation while "
                "typing field names.",
            good="name: 老年人智能手机使用入门\ntheme: 老年智慧生活",
            bad="name: 老年人智能手机使用入门\n  theme 老年智慧生活   # bad indent, no colon"),
        "zh": RuleDoc(
            what="course.yaml 必须是一个 YAML 文档，顶层为字段映射。超过 1 MiB、嵌套超过 32 层、"
                 "经别名展开超过 50,000 个值或重复键的文件会被拒绝。",
            why="无法解析的清单无法核查；这些上限可防止恶意文件（别名炸弹）拖垮 CI 或耗尽内存。",
            fix="按提示的行号修改语法：用空格缩进，冒号后加空格，以特殊字符开头的值加引号。"
                "中文输入法造成的错误会在所在行单独指出：全角冒号（name：…）、冒号后缺空格"
                "（theme:老年智慧生活）、全角空格、Tab 缩进。"
                "输入字段名时请切换到英文标点。",
            good="name: 老年人智能手机使用入门\ntheme: 老年智慧生活",
            bad="name: 老年人智能手机使用入门\n  theme 老年智慧生活   # 缩进错误，缺少冒号"),
    },
)
def manifest_unreadable(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires for each input-method slip, and when the manifest could not be decoded or parsed."""
    for slip in facts.manifest.slips:
        yield Problem(key=f"C002.{slip.kind}", args={"key": slip.key or "…"},
                      file=facts.manifest_file, line=slip.line)
    error = facts.manifest.load_error
    if error is not None:
        yield Problem(key=f"C002.{error.kind}", args={"detail": error.detail},
                      file=facts.manifest_file, line=error.line)


@course_rule(
    "C003", Severity.ERROR,
    summary={"en": "A field is missing, has the wrong type, is empty, or is unknown",
             "zh": "字段缺失、类型错误、为空或为未知字段"},
    doc={
        "en": RuleDoc(
            what="Every required field is present, has the right type and is not empty, and no "
                 "unknown field appears (a typo such as `intorduction` is caught here). Required: "
                 "name, theme, intro, created, instructor.name, instructor.intro, cover, lessons "
                 "(each with title and file).",
            why="A misspelt or missing field silently drops information the reviewers need.",
            fix="Rename or add the field at the line given. The schema in "
                "schemas/course.schema.json lets an editor complete field names for you.",
            good="instructor:\n  name: 李明\n  intro: 社区学校专职教师",
            bad="instructor:\n  name: 李明\n  introduction: 社区学校专职教师   # unknown field"),
        "zh": RuleDoc(
            what="所有必填字段都存在、类型正确且不为空，且没有未知字段（如拼错的 `intorduction`）。"
                 "必填：name、theme、intro、created、instructor.name、instructor.intro、cover、"
                 "lessons（每项含 title 和 file）。",
            why="拼错或缺失的字段会让评审需要的信息悄悄丢失。",
            fix="按提示的行号改正或补上字段。编辑器加载 schemas/course.schema.json 后可自动补全字段名。",
            good="instructor:\n  name: 李明\n  intro: 社区学校专职教师",
            bad="instructor:\n  name: 李明\n  introduction: 社区学校专职教师   # 未知字段"),
    },
)
def manifest_fields(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """One problem per field error, located at the field (or its parent when it is missing)."""
    view = facts.manifest.view
    errors = [e for e in facts.manifest.field_errors  # a declaration not true/false is C106's
              if not (e.path[:1] == ("declarations",) and e.kind == "bool_type")]
    yield from field_problems("C003", errors, view.raw if view else {},
                              facts.manifest_line, facts.manifest_file, facts.manifest.written)


def field_problems(rule: str, errors: Iterable[FieldError], raw: Any,
                   line_of: Callable[..., int | None], file: str,
                   written: Callable[..., str | None] = lambda *path: None) -> Iterator[Problem]:
    """C003's problems (keys ``RULE.missing`` and so on) for a manifest's field errors; case.yaml
    (K001) words them the same way. ``written`` gives a value as the manifest spells it."""
    for error in errors:
        field = dotted(error.path)
        line = line_of(*error.path)
        if error.kind == "missing":
            yield Problem(key=f"{rule}.missing", args={"field": field}, file=file, line=line)
        elif error.kind == "extra_forbidden":
            key = f"{rule}.unknown_hint" if error.detail else f"{rule}.unknown"
            yield Problem(key=key, args={"field": field, "hint": error.detail}, file=file,
                          line=line)
        elif error.kind == "string_too_short" or _left_blank(raw, error.path):
            yield Problem(key=f"{rule}.empty", args={"field": field}, file=file, line=line)
        else:
            yield _wrong_value(rule, raw, error, line, file, written)


@course_rule(
    "C004", Severity.WARNING,
    summary={"en": "The manifest is not UTF-8 (read as GB18030/GBK or UTF-16)",
             "zh": "清单不是 UTF-8 编码（已按 GB18030/GBK 或 UTF-16 读取）"},
    doc={
        "en": RuleDoc(
            what="The manifest should be saved as UTF-8. A GB18030/GBK or UTF-16 file (what "
                 "Notepad calls ANSI and Unicode) is still read.",
            why="Other tools, CI systems and the national platforms expect UTF-8; GBK text shows "
                "up as mojibake there.",
            fix="Re-save as UTF-8: in Notepad choose 另存为 → 编码 UTF-8; in VS Code click the "
                "encoding in the status bar → Save with Encoding → UTF-8; or run "
                "`iconv -f GB18030 -t UTF-8 course.yaml > course.utf8.yaml` and rename it.",
            good="course.yaml saved as UTF-8",
            bad="course.yaml saved as GBK (ANSI in older Windows Notepad)"),
        "zh": RuleDoc(
            what="清单应保存为 UTF-8 编码；GB18030/GBK 或 UTF-16 编码的文件（记事本里的"
                 "“ANSI”和“Unicode”）仍会被读取。",
            why="其他工具、CI 系统和国家平台都按 UTF-8 读取，GBK 文本在那里会变成乱码。",
            fix="另存为 UTF-8：记事本选“另存为 → 编码 UTF-8”；VS Code 点击状态栏编码 → "
                "“通过编码保存” → UTF-8；或运行 "
                "`iconv -f GB18030 -t UTF-8 course.yaml > course.utf8.yaml` 后改名。",
            good="course.yaml 以 UTF-8 保存",
            bad="course.yaml 以 GBK（旧版记事本的 ANSI）保存"),
    },
)
def manifest_encoding(facts: CourseFacts, settings: Settings) -> Iterator[Problem]:
    """Fires when the manifest decoded only as GB18030, or is UTF-16."""
    if facts.manifest.encoding == "gb18030":
        yield Problem(file=facts.manifest_file, expected="UTF-8", actual="GB18030")
    elif facts.manifest.encoding == "utf-16":
        yield Problem(key="C004.utf16", file=facts.manifest_file, expected="UTF-8",
                      actual="UTF-16")


def _wrong_value(rule: str, raw: Any, error: FieldError, line: int | None, file: str,
                 spelt: Callable[..., str | None]) -> Problem:
    """``RULE.type`` for a value of the wrong kind; in course.yaml, phones, dates and levels get
    their own advice (``C003.phone`` and so on)."""
    path, kind, detail = error.path, error.kind, error.detail
    value = _lookup(raw, path)
    written = spelt(*path) or _describe(value)
    field, name = dotted(path), str(path[-1])
    expected = _EXPECTED.get(kind) or _FIELD_EXPECTED.get(name)
    where = Problem(file=file, line=line, actual=written)
    if name == "phone" and not isinstance(value, str):
        octal = isinstance(value, int) and str(value) != written.lstrip("+")
        return replace(where, key=f"{rule}.phone_octal" if octal else f"{rule}.phone",
                       args={"value": written, "number": value}, expected=f'"{written}"')
    if rule != "C003":
        name = ""  # case.yaml words the rest generically
    if name == "created":
        return replace(where, key="C003.date", args={"value": written}, expected="YYYY-MM-DD")
    if name == "level":
        return replace(where, key="C003.level", args={"value": written},
                       expected="county | township | village")
    return replace(where, key=f"{rule}.type", args={
        "field": field, "detail": detail, "value": written, "expected_en": expected or detail,
        "expected_zh": _EXPECTED_ZH.get(expected or "", expected or detail)},
        expected=expected)


def dotted(path: tuple[str | int, ...]) -> str:
    """``("lessons", 2, "file")`` → ``lessons[2].file``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def _left_blank(raw: Any, path: tuple[str | int, ...]) -> bool:
    """Whether the field is there with nothing after its colon (``name:``, which YAML reads as
    null): "must not be empty" says that better than "null has the wrong type"."""
    parent = _lookup(raw, path[:-1]) if path else None
    return isinstance(parent, dict) and path[-1] in parent and parent[path[-1]] is None


def _lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"

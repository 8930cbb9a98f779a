"""Expected and found values of findings, in the reader's language.

Rules record these values in English (``CFR``, ``no audio track``, ``moov at end``); a report in
Chinese shows them through :func:`value_in`. Numbers, sizes, codec names and file names are the
same in both languages and pass through unchanged.
"""

from __future__ import annotations

import re

_ZH: dict[str, str] = {
    "CFR": "恒定帧率（CFR）",
    "VFR": "可变帧率（VFR）",
    "faststart": "faststart（索引在文件开头）",
    "moov at end": "索引（moov）在文件末尾",
    "AAC audio": "AAC 音频",
    "no audio track": "没有音频轨道",
    "H.264 video": "H.264 视频",
    "no video track": "没有视频轨道",
    "Progressive": "逐行扫描",
    "Interlaced": "隔行扫描",
    "MBAFF": "隔行扫描（MBAFF）",
    "(missing)": "（缺失）",
    "(none)": "（无）",
    "JPEG | PNG": "JPEG 或 PNG",
    "8-bit 4:2:0, ≤ High": "8 位 4:2:0，不高于 High",
}
_ZH_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(\d+) decode errors", r"\1 个解码错误"),
    (r"audio (.*)", r"音频 \1"),
)


def value_in(lang: str, value: str) -> str:
    """``value`` as a reader of ``lang`` should see it; unknown values are left as they are."""
    if lang != "zh":
        return value
    if value in _ZH:
        return _ZH[value]
    for pattern, replacement in _ZH_PATTERNS:
        match = re.fullmatch(pattern, value)
        if match:
            return match.expand(replacement)
    return value


# PyYAML's commonest problems, with what usually causes them (its line is often the next one).
_YAML_HINTS: dict[str, dict[str, str]] = {
    "could not find expected ':'": {
        "en": "could not find the expected ':' (often a colon with no space after it, on "
              "this line or the one above: write 'theme: 老年智慧生活', not "
              "'theme:老年智慧生活')",
        "zh": "找不到应有的冒号“:”（常见原因：这一行或上一行的冒号后面少了空格，"
              "如 theme:老年智慧生活 应写成 theme: 老年智慧生活）"},
    "mapping values are not allowed in this context": {
        "en": "a 'key: value' is not allowed here (often an indentation that differs from "
              "the lines around it, or ': ' inside a value: put such a value in double "
              "quotes)",
        "zh": "此处不能出现“键: 值”（常见原因：缩进与上下行不一致，或值中含有“: ”，"
              "这样的值请加双引号）"},
    "did not find expected key": {
        "en": "did not find the expected key (often an indentation that differs from the "
              "lines around it, or a quote that is not closed)",
        "zh": "没有找到应有的键（常见原因：缩进与上下行不一致，或引号没有闭合）"},
    "did not find expected '-' indicator": {
        "en": "did not find the expected '-' (the items of a list must all be indented "
              "alike)",
        "zh": "没有找到应有的“-”（同一列表中各项的缩进必须相同）"},
    "found unexpected end of stream": {
        "en": "the file ends unexpectedly (a quote that is not closed?)",
        "zh": "文件意外结束（是否有引号没有闭合？）"},
}

# The reasons and details findings quote (``{reason}``, ``{detail}``) that coursecheck words
# itself or that Python gives in English whatever the locale; others are kept as they are.
_ZH_REASONS: dict[str, str] = {
    "NUL character": "含有 NUL 字符",
    "ends with '/'": "以“/”结尾",
    "absolute path": "是绝对路径",
    "'..' in the path": "路径中有“..”",
    "symlink to a place outside the folder": "是指向文件夹之外的符号链接",
    "not a regular file": "不是普通文件",
    "File is not a zip file": "不是 zip 格式的文件",
    "Truncated file header": "文件头不完整",
    "Bad magic number for file header": "文件头已损坏",
    **{problem: said["zh"] for problem, said in _YAML_HINTS.items()},
}
_EN_REASONS: dict[str, str] = {problem: said["en"] for problem, said in _YAML_HINTS.items()}


def reason_in(lang: str, text: str) -> str:
    """A finding's ``{reason}`` or ``{detail}`` as a reader of ``lang`` should see it: a known
    English reason (one of coursecheck's, an OS error's words, a zip's) in Chinese; PyYAML's
    commonest problems with what usually causes them, in either language; any other text as it
    is."""
    if lang != "zh":
        return _EN_REASONS.get(text, text)
    if text in _ZH_REASONS:
        return _ZH_REASONS[text]
    from coursecheck.notes import Note, os_words

    words = os_words(text)
    return words.render(lang) if isinstance(words, Note) else text

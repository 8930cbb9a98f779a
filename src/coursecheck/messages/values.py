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
}


def reason_in(lang: str, text: str) -> str:
    """A finding's ``{reason}`` or ``{detail}`` as a reader of ``lang`` should see it: a known
    English reason (one of coursecheck's, an OS error's words, a zip's) in Chinese; any other
    text as it is."""
    if lang != "zh":
        return text
    if text in _ZH_REASONS:
        return _ZH_REASONS[text]
    from coursecheck.notes import Note, os_words

    words = os_words(text)
    return words.render(lang) if isinstance(words, Note) else text

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

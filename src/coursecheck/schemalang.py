"""``coursecheck schema --lang``: the manifest's JSON Schema with titles in the chosen language.

The models describe each field in both languages, Chinese first (``课程名称 Course name``), and
that bilingual schema is the English one (``schemas/*.schema.json`` are made with ``--lang en``).
The Chinese one is the same schema with every title an editor shows in Chinese: a field's title
is the Chinese half of its description, a section's comes from :data:`TITLES_ZH`. Nothing that
validates (types, limits, required fields, enums) changes with the language.
"""

from __future__ import annotations

import re
from typing import Any

# Titles whose description does not start in Chinese, by their English title.
TITLES_ZH = {
    "coursecheck course manifest (course.yaml)": "社区教育品牌课程清单（course.yaml）",
    "coursecheck learning-centre case (case.yaml)": "品牌社区学习中心典型案例（case.yaml）",
    "Declarations": "承诺",
    "Lesson": "微课",
}
# The Chinese half: from the start up to a space (or a colon) before an English word.
_CHINESE_HALF = re.compile(r"([^\x00-\x7f].*?)[:：]?\s+(?=[A-Za-z(])")


def localized(schema: dict[str, Any], lang: str) -> dict[str, Any]:
    """``schema`` as printed in ``lang``: itself for English, Chinese titles for ``zh``."""
    return _with_chinese_titles(schema) if lang == "zh" else schema


def chinese_title(description: object) -> str | None:
    """The Chinese half of a bilingual description, or ``None`` when it starts in English."""
    if not isinstance(description, str) or not description or description[0].isascii():
        return None
    if not re.search(r"[A-Za-z]", description):
        return description
    match = _CHINESE_HALF.match(description)
    return match.group(1).rstrip("，,：:") if match else None


def _with_chinese_titles(node: Any) -> Any:
    if isinstance(node, list):
        return [_with_chinese_titles(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _with_chinese_titles(value) for key, value in node.items()}
    title, description = node.get("title"), node.get("description")
    if isinstance(title, str) or isinstance(description, str):  # a schema, not "properties"
        described = [description, *(a.get("description") for a in node.get("anyOf", ())
                                    if isinstance(a, dict))]  # Optional[...] keeps it inside
        chinese = (TITLES_ZH.get(title) if isinstance(title, str) else None) or next(
            (t for t in map(chinese_title, described) if t), None)
        if chinese:
            out["title"] = chinese
    return out

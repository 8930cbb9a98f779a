"""``statistics.yaml``: a province's 社区教育机构统计表 (附件5), one key per column.

A province may put it at the top of its folder, next to its course and case folders. Reading it
never raises: a file that does not parse is a :class:`StatisticsFacts` with a ``load_error``, and
the S rules say what is wrong with the values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursecheck.settings import Settings
from coursecheck.yamlload import YamlDoc, YamlError

# key -> the 附件5 column, in the table's order. ``province`` names the province (as in the
# manifests); it is not a column of the table.
COUNTS: dict[str, str] = {
    "prefecture_cities": "地级市数（个）",
    "prefecture_guidance_centers": "地级社区教育指导中心数（个）",
    "higher_vocational_colleges": "高等职业院校数（个）",
    "higher_vocational_colleges_active": "开展社区教育的高等职业院校数（个）",
    "county_level_units": "县级市数（个）",
    "county_colleges": "县级社区教育学院数（个）",
    "secondary_vocational_schools": "中等职业学校数（含职教中心）（个）",
    "secondary_vocational_schools_active": "开展社区的中等职业学校数（含职教中心）（个）",
    "towns": "镇（街道）数（个）",
    "town_schools": "乡镇（街道）社区教育学校数（个）",
}
# Columns the table has that a province may leave out (their cells stay blank).
OPTIONAL_COUNTS: dict[str, str] = {
    "villages": "村（社区）数（个）",
    "village_learning_points": "村（社区）学习点数（个）",
    "training_total": "全省线上线下培训总数（人次）",
}
FUNDING = ("per_capita_funding", "县域社区教育人均投入经费（元/年/人）")
CENTER = ("center_name", "省级社区教育指导服务中心名称")
TEXTS: dict[str, str] = {"province": "省份", CENTER[0]: CENTER[1]}

# The table's columns in order: (key, heading).
COLUMNS: tuple[tuple[str, str], ...] = (
    CENTER, *COUNTS.items(), ("villages", OPTIONAL_COUNTS["villages"]),
    ("village_learning_points", OPTIONAL_COUNTS["village_learning_points"]), FUNDING,
    ("training_total", OPTIONAL_COUNTS["training_total"]))
LABELS: dict[str, str] = {**TEXTS, **COUNTS, **OPTIONAL_COUNTS, FUNDING[0]: FUNDING[1]}
TRAINING_NOTE = "注：线上线下培训总数统计时间范围为 2022 年 9 月至 2023 年 9 月。"


@dataclass(frozen=True, slots=True)
class StatisticsFacts:
    """One statistics file: where it is, and its data or why it could not be read.

    ``province`` is the file's own ``province``, else the province of the projects in the
    same folder (filled in by the audit), else empty.
    """

    path: str
    file: str
    province: str = ""
    load_error: YamlError | None = None
    doc: YamlDoc | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings, compare=False)

    def line_of(self, key: str) -> int | None:
        """The 1-based line of ``key``, or of the document's start."""
        return self.doc.line_of((key,)) if self.doc else None

    def value(self, key: str) -> int | float | None:
        """A count that is a whole number ≥ 0 (or the funding, any number ≥ 0), else ``None``."""
        raw = self.data.get(key)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
            return None
        if key == FUNDING[0]:
            return raw
        return raw if isinstance(raw, int) else None

    def text(self, key: str) -> str | None:
        """A text field, stripped, or ``None``."""
        raw = self.data.get(key)
        return raw.strip() or None if isinstance(raw, str) else None


def read_statistics(path: Path, shown: str) -> StatisticsFacts:
    """Read ``path`` (shown in findings as ``shown``); never raises."""
    from coursecheck.gather import read_document

    read = read_document(path)
    if isinstance(read.result, YamlError):
        return StatisticsFacts(shown, path.name, load_error=read.result)
    data = read.result.data
    own = data.get("province")
    province = own.strip() if isinstance(own, str) else ""
    return StatisticsFacts(shown, path.name, province, doc=read.result, data=data)

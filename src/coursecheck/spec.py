"""Constants taken word for word from the 2023 guide (县域社区学习中心建设指南)."""

from __future__ import annotations

# 正文 二（三）: the ten themes of a brand course, in the order the guide lists them.
THEMES: tuple[str, ...] = (
    "科学素质与互联网学习",
    "职业技能",
    "老年智慧生活",
    "家庭教育指导",
    "乡村振兴",
    "非遗传承",
    "道德与法治",
    "人文艺术",
    "康养健身",
    "社区治理与应急管理",
)

# 附件3: the level column of the summary table, keyed by the manifest's English value.
LEVELS: dict[str, str] = {
    "county": "县（市、区）",
    "township": "乡镇（街道）",
    "village": "村（社区）",
}

# The annex's wording, and the short forms authors write, for each level.
LEVEL_WORDS: dict[str, str] = {
    "县（市、区）": "county", "县": "county", "县级": "county",
    "乡镇（街道）": "township", "乡镇": "township", "街道": "township", "乡": "township",
    "镇": "township",
    "村（社区）": "village", "村": "village", "社区": "village",
}

# 附件2: the three promises every course makes.
DECLARATIONS: dict[str, str] = {
    "public_welfare": "公益属性",
    "no_copyright_dispute": "无版权纠纷",
    "open_sharing_consent": "同意纳入国家智慧教育云平台和国家开放大学终身教育平台进行开放共享",
}

MANIFEST_NAMES: tuple[str, ...] = ("course.yaml", "course.yml")

# 附件4: a folder holding one of these is a learning-centre case.
CASE_NAMES: tuple[str, ...] = ("case.yaml", "case.yml")

# 附件5: a province's statistics file, at the top of its folder.
STATISTICS_NAMES: tuple[str, ...] = ("statistics.yaml", "statistics.yml")

VIDEO_EXTENSIONS: frozenset[str] = frozenset(
    {".mp4", ".m4v", ".mov", ".mkv", ".avi", ".flv", ".wmv", ".webm", ".mpg", ".mpeg", ".ts",
     ".mts", ".m2ts", ".3gp", ".3g2", ".vob", ".f4v", ".rmvb", ".rm", ".asf", ".mxf", ".m2v",
     ".ivf"}
)

AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".oga", ".opus", ".wma", ".amr", ".ape",
     ".aif", ".aiff", ".aifc", ".ac3", ".eac3", ".dsf", ".dff", ".wv", ".tak", ".tta", ".mpc",
     ".mp2", ".caf", ".au", ".dts", ".w64", ".mka", ".adif"}
)

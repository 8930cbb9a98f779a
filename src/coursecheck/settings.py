"""Settings: the thresholds and choices one run of coursecheck works with.

Every number defaults to what the 2023 guide (附件2) says. Configuration files and command-line
options only ever build a :class:`Settings`; rules read it and nothing else.
"""

from __future__ import annotations

import datetime as dt
import locale
import os
import sys
from dataclasses import dataclass, field

from coursecheck.findings import Severity

LANGS = ("zh", "en")


@dataclass(frozen=True, slots=True)
class Settings:
    """Thresholds from the spec, per-rule severity overrides and the message language."""

    lang: str = "en"
    max_minutes: float = 15.0
    advised_minutes: float = 7.0
    min_lessons: int = 10
    max_intro_chars: int = 100
    min_created: dt.date = dt.date(2022, 6, 1)
    frame_rate: float = 25.0
    frame_rate_tolerance: float = 0.01
    width: int = 1280
    height: int = 720
    severities: dict[str, Severity] = field(default_factory=dict)
    # a course sent as a zip: the most its members may hold, and the most one may decompress
    # per packed byte (a zip bomb becomes Z004, never a full disk); see docs/en/zip.md
    zip_max_bytes: int = 20 * 1000**3
    zip_max_ratio: float = 100.0
    # where the rule pages are hosted; without it, reports name their path in the repository
    docs_base_url: str | None = None
    # False when the course's own configuration was ignored (audit, check --no-course-config)
    course_config: bool = True
    # --deep: off, quick (packets and audio) or full (everything decoded); see docs/en/deep.md
    deep: str = "off"
    black_min_seconds: float = 2.0
    freeze_min_seconds: float = 120.0
    silence_db: float = -50.0
    silence_min_seconds: float = 10.0
    loudness_profile: str = "streaming"
    loudness_target: float = -18.0
    loudness_tolerance: float = 4.0
    true_peak_max: float = -1.0
    loudness_spread_max: float = 3.0
    truncated_max_seconds: float = 1.0
    frame_count_tolerance: float = 0.01
    timestamp_jump_max_seconds: float = 0.5
    av_end_max_seconds: float = 1.0
    av_start_max_seconds: float = 0.2


# Named loudness windows: (target LUFS, tolerance LU, highest true peak dBTP).
# streaming: the AES TD1008 anchor for speech in streamed and on-demand audio, -18 LUFS, with a
# window wide enough for quiet and mobile listening. ebu-r128: EBU R 128, -23 LUFS +-1 LU
# (R 128 allows +-1 LU where exact normalisation is not possible), true peak -1 dBTP.
LOUDNESS_PROFILES: dict[str, tuple[float, float, float]] = {
    "streaming": (-18.0, 4.0, -1.0),
    "ebu-r128": (-23.0, 1.0, -1.0),
}


def default_lang(environ: dict[str, str] | None = None, configured: str | None = None) -> str:
    """``COURSECHECK_LANG`` if set, else the config file's ``configured`` language, else ``zh``
    when the locale is Chinese, else ``en``.

    The locale is ``LC_ALL``, ``LC_MESSAGES`` or ``LANG`` when one is set; otherwise (only when
    ``environ`` is the real environment) what the system says: see :func:`system_locales`.
    """
    env = os.environ if environ is None else environ
    chosen = lang_named(env.get("COURSECHECK_LANG", ""))
    if chosen is not None:
        return chosen
    if configured is not None and configured in LANGS:
        return configured
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if chinese_locale(value) else "en"
    if environ is None and any(chinese_locale(name) for name in system_locales()):
        return "zh"
    return "en"


_ZH_NAMES = {"cn", "chinese", "中文", "汉语", "简体中文", "简体", "繁体中文", "繁體中文"}
_EN_NAMES = {"english", "英文", "英语"}


def lang_named(name: str) -> str | None:
    """``zh`` or ``en`` for a language as people write it: ``zh``, ``cn``, ``zh-CN``,
    ``zh_CN.UTF-8``, ``中文``, ``en``, ``en-US``, ``English``, ``英文`` (any case); ``None`` for
    anything else."""
    text = name.strip().lower()
    if text in _ZH_NAMES or (text and chinese_locale(text) and not text.isdigit()):
        return "zh"
    if text in _EN_NAMES or text == "en" or text[:3] in ("en-", "en_", "en."):
        return "en"
    return None


# Code pages and encodings only a Chinese locale uses (Windows: 936 mainland, 950 Taiwan/HK).
_CHINESE_CODEPAGES = {"936", "950", "54936", "20936", "gbk", "gb2312", "gb18030", "big5",
                      "big5hkscs", "cp936", "cp950", "euc-cn", "euccn"}


def chinese_locale(name: str) -> bool:
    """Whether a locale name is Chinese: POSIX and BCP 47 forms (``zh_CN.UTF-8``, ``zh-Hans``),
    Windows' (``Chinese (Simplified)_China.936``, ``Chinese_China``, ``chs``, ``cht``) and a
    Chinese code page alone (``cp936``, ``.936``, ``GBK``)."""
    text = name.strip().lower()
    if not text or text in ("c", "posix"):
        return False
    if text.startswith(("zh", "chinese")) or text in ("chs", "cht"):
        return True
    codepage = text.rsplit(".", 1)[-1]
    return codepage in _CHINESE_CODEPAGES


def windows_ui_language(langid: int) -> str:
    """``zh`` for a Windows LANGID whose primary language is Chinese (0x04), else ``""``."""
    return "zh" if langid & 0x3FF == 0x04 else ""


def system_locales() -> list[str]:
    """What the system says about its language: the locale name, on Windows the user's UI
    language (``GetUserDefaultUILanguage``, read through ctypes), and the locale encoding
    (``cp936`` on Chinese Windows)."""
    names = [locale.getlocale()[0] or ""]
    if sys.platform == "win32":
        try:
            import ctypes

            names.append(windows_ui_language(ctypes.windll.kernel32.GetUserDefaultUILanguage()))
        except (AttributeError, OSError):  # no kernel32 to ask: the other names decide
            pass
    names.append(locale.getencoding())
    return names

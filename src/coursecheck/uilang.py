"""The language of the command line itself: usage errors, progress lines, ``--help``.

Findings carry their language in the settings; the words around them (an error before any
course is read, a progress line, the help) are printed before settings exist. They follow
``--lang`` on the command line, else ``$COURSECHECK_LANG`` and the locale, decided once per
process by :func:`detect` (``coursecheck.cli.main`` calls it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence

_current: list[str] = []


def detect(argv: Sequence[str] | None = None) -> str:
    """``zh`` or ``en``: the ``--lang`` in ``argv`` (default ``sys.argv``), else the default
    language; remembered for :func:`current`."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    from coursecheck.settings import default_lang, lang_named

    lang = lang_named(lang) if lang is not None else None
    if lang is None:
        lang = default_lang()
    _current[:] = [lang]
    return lang


def current() -> str:
    """The language :func:`detect` chose (``en`` before it runs)."""
    return _current[0] if _current else "en"


# Why a value is refused (click and pydantic's words), in Chinese.
_ZH_INVALID: tuple[tuple[str, str], ...] = (
    (r"Input should be greater than or equal to (.*)", r"应不小于 \1"),
    (r"Input should be greater than (.*)", r"应大于 \1"),
    (r"Input should be less than or equal to (.*)", r"应不大于 \1"),
    (r"Input should be less than (.*)", r"应小于 \1"),
    (r"Input should be a valid integer.*", r"应为整数"),
    (r"Input should be a valid number.*", r"应为数字"),
    (r"Value error, (.*) is not one of (.*?)\.?", r"\1 不是以下之一：\2"),
)


def _translated(table: tuple[tuple[str, str], ...], text: str) -> str | None:
    """``text`` by the first (pattern, replacement) of ``table`` it matches; ``None`` if none."""
    for pattern, replacement in table:
        found = re.fullmatch(pattern, text, re.S)
        if found:
            return found.expand(replacement)
    return None


def _names(match: re.Match[str]) -> str:
    """``--out / -o``: an option and its short name, the match's first two groups."""
    return " / ".join(n for n in match.groups()[:2] if n)


def _option(template: str) -> Callable[[re.Match[str]], str]:
    """A replacement that puts ``--out / -o`` (an option and its short name) into ``template``."""
    return lambda match: template.format(_names(match))


def _invalid(match: re.Match[str]) -> str:
    """``Invalid value for '--jobs' / '-j': Input should be …`` in Chinese."""
    why = match.group(3)
    return f"{_names(match)} 的值无效：{_translated(_ZH_INVALID, why) or why}"


# Why a path cannot be used or written (coursecheck.app.unusable, coursecheck.runner.unwritable).
_ZH_WHY: tuple[tuple[str, str], ...] = (
    (r"it is a folder", r"这是一个文件夹"),
    (r"folder (.*) does not exist", r"文件夹 \1 不存在"),
    (r"folder (.*) is not writable", r"文件夹 \1 不可写入"),
    (r"the folder (.*) cannot be entered", r"无法进入文件夹 \1"),
)


def _why(text: str) -> str:
    """Why a path cannot be used, in Chinese when known (an OS error's words too)."""
    said = _translated(_ZH_WHY, text)
    if said is not None:
        return said
    from coursecheck.messages.values import reason_in

    return reason_in("zh", text)


def _config_value(match: re.Match[str]) -> str:
    """``max_minutes: input should be greater than 0 (got -3)`` in Chinese."""
    said = _translated(_ZH_INVALID, "Input should be " + match.group(2))
    if said is None:
        return match.group(0)
    return f"{match.group(1)}：{said}（实际是 {match.group(3)}）"


# English usage errors and their Chinese, as (pattern, replacement) pairs tried in order; a
# replacement is a template for :meth:`re.Match.expand` or a function of the match.
_ZH_ERRORS: tuple[tuple[str, str | Callable[[re.Match[str]], str]], ...] = (
    (r"path does not exist: (.*)", r"路径不存在：\1"),
    (r"not a folder: (.*)", r"不是文件夹：\1"),
    (r"not a folder or a zip: (.*); audit takes folders and zips \((`coursecheck check .*`) "
     r"checks the course it is in\)",
     r"不是文件夹，也不是 zip 压缩包：\1；audit 只接受文件夹和 zip（\2 检查它所在的课程）"),
    (r"config file does not exist: (.*)", r"配置文件不存在：\1"),
    (r"cannot write (--\S+ .*?|.*?): (.*)", lambda m: f"无法写入 {m[1]}：{_why(m[2])}"),
    (r"cannot use (.*?): (.*)", lambda m: f"无法使用 {m[1]}：{_why(m[2])}"),
    (r"(.*) already exists; use --force to replace it", r"\1 已存在；加 --force 才会替换它"),
    (r"Missing argument '(.*)'\.?", r"缺少参数 \1"),
    (r"Missing option '(.*?)'(?: / '(.*?)')?\.?", _option("缺少选项 {}")),
    (r"No such option: (\S+)(.*)", r"没有这个选项：\1\2"),
    (r"No such command '(.*)'\.?", r"没有这个命令：\1"),
    (r"Missing command\.?", r"缺少命令（如 check、audit）"),
    (r"Option '(.*)' requires an argument\.?", r"选项 \1 需要一个值"),
    (r"Invalid value for '(.*?)'(?: / '(.*?)')?: (.*)", _invalid),
    (r"Got unexpected extra arguments? \((.*)\)", r"多余的参数：\1"),
    (r"unknown format (.*?)(?: for audit)?; choose (?:from )?(.*)", r"未知的格式 \1，可选：\2"),
    (r"--output takes NAME=PATH, e.g. (.*) \(got (.*)\)", r"--output 的写法是 格式=路径，"
                                                         r"例如 \1（实际是 \2）"),
    (r"--deep takes quick, full or off \(got (.*)\)",
     r"--deep 只能是 quick、full 或 off（实际是 \1）"),
    (r"unknown rule ID (\S+) \(did you mean (.*)\?\); `coursecheck rules` lists them",
     r"没有编号为 \1 的规则（是否应为 \2？）；`coursecheck rules` 列出全部规则"),
    (r"unknown rule ID (.*?); `coursecheck rules` lists them",
     r"没有编号为 \1 的规则；`coursecheck rules` 列出全部规则"),
    # fix --out
    (r"--out (.*) is inside the course folder (.*); choose a folder outside it",
     r"--out \1 位于课程文件夹 \2 之内；请选择课程文件夹之外的文件夹"),
    (r"--out (.*) contains the course folder (.*); choose a separate, empty folder",
     r"--out \1 包含课程文件夹 \2；请另选一个空文件夹"),
    (r"--out (.*) exists and is not a folder", r"--out \1 已存在，且不是文件夹"),
    (r"--out (.*) is not empty; use --force to write into it anyway",
     r"--out \1 不是空文件夹；加 --force 才会写入其中"),
    (r"cannot read --out (.*?): (.*)", r"无法读取 --out \1：\2"),
    (r"cannot create --out (.*?): (.*)", r"无法创建 --out \1：\2"),
    (r"(.*) is not a course folder", r"\1 不是课程文件夹"),
    (r"no ffmpeg found: install imageio-ffmpeg or put ffmpeg on PATH",
     r"没有找到 ffmpeg：请安装 imageio-ffmpeg，或把 ffmpeg 加入 PATH"),
    # audit --package and --shard
    (r"--package (.*) already exists; choose a new folder or add --force",
     r"--package \1 已存在；请换一个新文件夹，或加 --force 替换它"),
    (r"--package (.*) is a file, not a folder", r"--package \1 是文件，不是文件夹"),
    (r"--package (.*): folder (.*) does not exist", r"--package \1：文件夹 \2 不存在"),
    (r"--package (.*): folder (.*) is not writable", r"--package \1：文件夹 \2 不可写入"),
    (r"(--\w+) (.*) is inside the course or case folder (.*); coursecheck never writes into one",
     r"\1 \2 位于课程或典型案例文件夹 \3 之内；coursecheck 从不向其中写入"),
    (r"--shard needs --deep: it decodes a slice of the lessons into the cache",
     r"--shard 需要 --deep：它把一部分微课解码并存入缓存"),
    (r"--shard keeps its results in the cache, so it cannot run with --no-cache",
     r"--shard 把结果存入缓存，所以不能与 --no-cache 同用"),
    (r"--shard makes no report; export from the final audit without --shard",
     r"--shard 不输出报告；请在最后不加 --shard 的 audit 中导出"),
    (r"--scheduler needs Dask, which is not installed; install it with: (.*)",
     r"--scheduler 需要 Dask，但尚未安装；安装方法：\1"),
    # a configuration file's mistakes (after its FILE:LINE: prefix, see error_line)
    (r"the configuration is not valid YAML \((.*)\)", r"配置文件不是有效的 YAML（\1）"),
    (r"the configuration is not UTF-8 text(?: \((.*)\))?", r"配置文件不是 UTF-8 文本"),
    (r"the configuration must be a mapping of keys, not (.*)",
     r"配置文件须为“键: 值”映射，而不是 \1"),
    (r"the key (.*) appears twice", r"键 \1 出现了两次"),
    (r"the file is not valid TOML \((.*)\)", r"文件不是有效的 TOML（\1）"),
    (r"there is no \[tool\.coursecheck\] table", r"没有 [tool.coursecheck] 表"),
    (r"\[tool\.coursecheck\] must be a table", r"[tool.coursecheck] 必须是一个表"),
    (r"cannot read the configuration: (.*)", r"无法读取配置文件：\1"),
    (r"'(.*)' is followed by a full-width colon '：' \(Chinese input method\); write '(.*)' "
     r"\(colon, then a space\)",
     r"“\1”后面是全角冒号“：”（中文输入法），YAML 只认半角冒号；"
     r"请改成“\2”（半角冒号后加一个空格）"),
    (r"the line of '(.*)' uses full-width spaces \(U\+3000\); use ordinary spaces",
     r"“\1”这一行用了全角空格（U+3000）；请改用半角空格"),
    (r"the line of '(.*)' is indented with a tab; indent with spaces",
     r"“\1”这一行用 Tab 键缩进；请改用空格缩进"),
    (r"'(.*)' has no space after its colon; write '(.*)' \(colon, then a space\)",
     r"“\1”的冒号后面没有空格；请改成“\2”（半角冒号后加一个空格）"),
    (r"unknown key (\S+) \(did you mean (.*)\?\); known keys: (.*)",
     r"未知的键 \1（是否应为 \2？）；可用的键：\3"),
    (r"unknown key (\S+); known keys: (.*)", r"未知的键 \1；可用的键：\2"),
    (r"([\w.]+): (.*) is not a severity; use off, warning or error",
     r"\1：\2 不是级别，请用 off、warning 或 error"),
    (r"deep: (.*) is not a depth; use off, quick or full",
     r"deep：\1 不是深度，请用 off、quick 或 full"),
    (r"loudness_profile: (.*) is not a profile; use streaming or ebu-r128",
     r"loudness_profile：\1 不是响度标准，请用 streaming 或 ebu-r128"),
    (r"lang: (.*) is not a language; use zh or en", r"lang：\1 不是语言，请用 zh 或 en"),
    (r"([\w.]+): (.*) is not a date; write it as YYYY-MM-DD",
     r"\1：\2 不是日期，请写成 YYYY-MM-DD"),
    (r"advised_minutes \((.*)\) is more than max_minutes \((.*)\)",
     r"advised_minutes（\1）大于 max_minutes（\2）"),
    (r"([\w.]+): input should be (.*) \(got (.*)\)", _config_value),
    (r"unknown --preset (.*?); choose from (.*)", r"未知的 --preset \1，可选：\2"),
    (r"(.*) holds no course: (.*)", r"\1 中没有课程：\2"),
    (r"--deep needs ffmpeg: (.*)",
     r"--deep 需要 ffmpeg：请安装 imageio-ffmpeg、把 ffmpeg 加入 PATH 或设置 COURSECHECK_FFMPEG"
     r"（`coursecheck doctor` 会显示找到了什么）"),
)


def error_line(text: str, lang: str | None = None) -> str:
    """``coursecheck: error: TEXT``, in Chinese (``coursecheck: 错误：…``) when the language is
    zh and the sentence is one it knows; the path and values in it are kept as they are."""
    if (lang or current()) != "zh":
        return f"coursecheck: error: {text}"
    return f"coursecheck: 错误：{_chinese(text)}"


def _chinese(text: str) -> str:
    """``text`` in Chinese when it is a sentence :data:`_ZH_ERRORS` knows, with or without a
    location before it (a configuration file's ``FILE:LINE: ``, kept as it is); else ``text``."""
    starts = [0] + [m.end() for m in re.finditer(": ", text)]
    for start in starts:
        for pattern, replacement in _ZH_ERRORS:
            match = re.fullmatch(pattern, text[start:], re.S)
            if match:
                said = replacement(match) if callable(replacement) else match.expand(replacement)
                return text[:start] + said
    return text


_WORDS = {
    "zh": {"probing": "正在读取", "files": "个文件", "thumbnails": "正在生成缩略图",
           "lessons": "个微课", "encoding": "正在编码", "done": "完成", "failed": "失败",
           "decoding": "正在解码", "see_help": "（见 `{path} --help`）", "note": "提示",
           "interrupted": "已中断", "reading": "正在读取课程清单", "courses": "门课程"},
    "en": {"see_help": " (see `{path} --help`)", "note": "note", "interrupted": "interrupted"},
}


def word(key: str, lang: str | None = None) -> str:
    """A word of the command line's own (``probing``, ``files``, …) in the current language;
    the key itself in English."""
    return _WORDS.get(lang or current(), {}).get(key) or _WORDS["en"].get(key, key)

"""The Chinese ``--help``: every command's summary, examples and options, put over the English
ones when the command line's language is zh (``--lang zh``, ``$COURSECHECK_LANG``, the locale).

The commands keep their English help where they are defined; this module only swaps texts in
the click command tree that Typer built, so a command or option with no Chinese here keeps its
English help rather than losing it.
"""

from __future__ import annotations

from typing import Any

_EX = "[bold]示例[/bold]\n\n"

COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "检查课程文件夹：清单、首页图片和每个微课视频。",
        _EX + "  coursecheck check 我的课程\n\n"
              "  coursecheck check --lang zh 课程/*/\n\n"
              "  coursecheck check 我的课程/course.yaml --format json > 报告.json\n\n"
              "  coursecheck check 课程/*/ --output sarif=coursecheck.sarif "
              "--output junit=junit.xml\n"
              "      CI 中另外写出 SARIF 和 JUnit 报告\n\n"
              "  coursecheck check 我的课程 --ignore V2 --select C,V1\n\n"
              "路径也可以是课程中的任意文件（pre-commit 就是这样传入的）："
              "会检查它所在的课程，只检查一次。\n\n"
              "退出码：0 没有错误 · 1 有错误（加 --strict 时警告也算）· 2 用法错误或内部错误。"),
    "audit": (
        "检查 ROOT 下的每个课程文件夹，并导出附件3汇总表。",
        _EX + "  coursecheck audit 省级申报文件夹\n\n"
              "  coursecheck audit 省级申报文件夹 --xlsx 汇总表.xlsx --html 核查报告.html\n\n"
              "  coursecheck audit 省级申报文件夹 --csv 全部问题.csv --details\n\n"
              "  coursecheck audit 省级申报文件夹 --format json > 核查结果.json\n\n"
              "  coursecheck audit 省级申报文件夹 --package 申报材料\n"
              "      每个省份一个文件夹：附件3、附件4、附件5、HTML 报告和未纳入清单.txt\n\n"
              "  coursecheck audit 浙江省.zip --xlsx 汇总表.xlsx\n"
              "      压缩包中的每个课程文件夹都作为一门课程核查\n\n"
              "  coursecheck audit 省级申报文件夹 --deep --jobs 4\n"
              "      逐帧解码，找出花屏、黑屏、静音、响度等问题\n\n"
              "每个 ROOT 下，含 course.yaml（或 course.yml）的文件夹是一门课程，"
              "含 case.yaml 的文件夹是一个学习中心典型案例，"
              "省份文件夹顶层的 statistics.yaml 是附件5 统计数据；"
              "课程或案例文件夹内部不再向下查找。"
              "再次核查时，没有变化的课程直接从课程结果缓存得到结果。"
              "按 Ctrl-C 会干净地停止，并报告已核查的课程"
              "（退出码 130；收到 SIGTERM 时同样处理，退出码 143）。\n\n"
              "退出码：0 没有错误 · 1 有错误（加 --strict 时警告也算）· 2 用法错误或内部错误 · "
              "130 被 Ctrl-C 中断 · 143 被终止。"),
    "fix": (
        "把不符合视频规则的微课重新编码，写入一个新的、能通过检查的文件夹（原文件夹不动）。",
        _EX + "  coursecheck fix 我的课程 --out 修复后的课程\n\n"
              "  coursecheck fix 我的课程 --out 修复后的课程 --dry-run\n"
              "      只显示计划和 ffmpeg 命令\n\n"
              "  coursecheck fix 我的课程 --out 修复后的课程 --add-silence\n"
              "      给没有声音的微课加静音轨\n\n"
              "  coursecheck fix 我的课程 --out 修复后的课程 --jobs 2 --crf 18 --preset slow\n\n"
              "不符合 V101、V103–V106 或 V201–V203/V205 的微课重新编码为 H.264 High、yuv420p、"
              "1280×720（等比缩放，不足处补黑边）、25 fps 恒定帧率、AAC-LC 48 kHz 立体声 128 kb/s、"
              "MP4 +faststart。只有音频的微课（V102）配上首页图片（没有时用写着标题的画面）。"
              "其余文件原样复制。原课程文件夹不会被写入。\n\n"
              "退出码：0 修复后的课程通过检查 · 1 仍有错误 · 2 用法错误 · 130 被 Ctrl-C 中断。"),
    "init": (
        "为课程文件夹生成 course.yaml 清单草稿：列出其中的视频和音频，每个字段都有待填写的占位。",
        _EX + "  coursecheck init 我的课程\n\n"
              "  coursecheck init 我的课程 --force    # 替换已有的 course.yaml"),
    "rules": (
        "列出全部规则：编号、默认级别和检查内容。",
        _EX + "  coursecheck rules --lang zh\n\n  coursecheck rules --format json"),
    "explain": (
        "解释一条规则：检查什么、为什么、怎样修改，以及正反示例。",
        _EX + "  coursecheck explain V104 --lang zh\n\n  coursecheck explain C205"),
    "schema": (
        "输出 course.yaml（或 case.yaml）的 JSON Schema，供编辑器和其他工具使用。",
        _EX + "  coursecheck schema --lang zh > course.schema.json\n"
              "      标题为中文，编辑器悬停提示显示中文字段名\n\n"
              "  coursecheck schema --kind case > case.schema.json"),
    "doctor": (
        "显示 coursecheck 将使用的 MediaInfo 和 ffmpeg（含路径），以及它们能否正常工作。",
        _EX + "  coursecheck doctor --lang zh"),
}

OPTIONS: dict[str, str] = {
    "paths": "课程文件夹、其 course.yaml，或课程中的文件。",
    "roots": "存放课程文件夹的文件夹（任意层级），或课程文件夹的 zip 压缩包。",
    "course": "课程文件夹（或其 course.yaml）。",
    "folder": "存放微课视频的课程文件夹。",
    "rule_id": "规则编号，如 V104。",
    "format": "输出格式。",
    "output": "另外把格式 NAME 的报告写到 PATH，可重复。",
    "lang": "消息语言：zh 或 en（cn、zh-CN、中文 也表示 zh）。默认依次取 $COURSECHECK_LANG、"
            "配置文件的 lang、系统语言。",
    "strict": "警告也判为不通过。",
    "exit_zero": "有错误也以 0 退出（用法错误除外）。",
    "config": "配置文件；默认从课程文件夹向上查找 .coursecheck.yaml 或 pyproject.toml。",
    "select": "只检查这些规则编号或前缀（如 V1,C2），可重复。",
    "ignore": "跳过这些规则编号或前缀（如 V2），可重复。",
    "cache_dir": "缓存的位置：读取结果、封面、缩略图，以及（audit）整门核查过的课程"
                 "（默认：用户缓存目录）。",
    "no_cache": "不用缓存：每个文件、每门课程都重新读取和核查，也不写缓存。",
    "debug": "内部错误时显示完整的出错信息。",
    "deep": "把每个微课完整解码一遍，检查文件头看不出的问题（D 规则）。",
    "jobs": "并行处理的数量。",
    "details": "列出每门课程的问题，而不只是不通过的课程。",
    "xlsx": "写出附件3汇总表（Excel）。",
    "csv": "把全部问题写成 CSV（UTF-8 带 BOM，可直接用 Excel 打开）。",
    "html": "写出可在浏览器中打开的独立 HTML 报告。",
    "package": "写出整套申报材料，每个省份一个文件夹。",
    "force": "允许替换已有的文件或文件夹。",
    "out": "修复后课程的输出文件夹；须在原课程之外，且为空。",
    "dry_run": "只显示计划和每条 ffmpeg 命令，不做任何改动。",
    "crf": "x264 画质：数值越小画质越好、文件越大。",
    "preset": "x264 速度档：ultrafast … veryslow。",
    "add_silence": "给没有音频的微课加一条静音 AAC 音轨（修复 V204）。",
    "kind": "course（course.yaml）或 case（case.yaml，学习中心典型案例）。",
    "version": "显示版本。",
    "no_course_config": "忽略课程文件夹里自带的 .coursecheck.yaml（与 audit 相同，"
                        "供省级人员检查上报的课程）；发现这样的文件时报告 C006。",
    "scheduler": "在这个 Dask 集群上运行读取和深度检查（默认：$COURSECHECK_SCHEDULER，否则本机）。"
                 "每个工作节点都要装有 coursecheck\\[dask]，且课程文件夹的路径相同。",
    "max_readers": "集群上同时读取的微课最多这么多个，以减轻文件服务器的负担（默认：不限）。",
    "shard": "只把第 K 份（共 N 份，划分固定）微课解码并存入缓存，不输出报告（用于 SLURM/PBS "
             "作业数组）；所有分片完成后，不加 --shard 运行 audit --deep 即得到完整报告。",
}

ROOT_HELP = ("检查社区教育品牌课程包是否符合 2023 年申报要求：course.yaml 清单和每个 MP4 微课。\n\n"
             "Check community-education brand-course packages against the 2023 national rules.")
ROOT_EPILOG = ("从这里开始：coursecheck check 课程文件夹  ·  coursecheck rules  ·  "
               "coursecheck doctor  ·  每个命令都有 --help")

PANELS = {"OPTIONS_PANEL_TITLE": "选项", "ARGUMENTS_PANEL_TITLE": "参数",
          "COMMANDS_PANEL_TITLE": "命令", "DEFAULT_STRING": "[默认：{}]",
          "REQUIRED_LONG_STRING": "[必填]"}


HELP_OPTION = "显示本帮助并退出。"


def localize(group: Any) -> None:
    """Put the Chinese help over ``group`` (the click group Typer built) and its commands."""
    group.help, group.epilog = ROOT_HELP, ROOT_EPILOG
    _chinese_help_option(group)
    for name, command in getattr(group, "commands", {}).items():
        _chinese_help_option(command)
        summary, epilog = COMMANDS.get(name, (None, None))
        if summary:
            command.help, command.short_help, command.epilog = summary, None, epilog
        for param in command.params:
            text = OPTIONS.get(param.name or "")
            if text and hasattr(param, "help"):
                param.help = text
    for param in group.params:
        text = OPTIONS.get(param.name or "")
        if text and hasattr(param, "help"):
            param.help = text
    from typer import rich_utils

    for constant, title in PANELS.items():
        if hasattr(rich_utils, constant):
            setattr(rich_utils, constant, title)
    fold_long_lines(rich_utils)


def _chinese_help_option(command: Any) -> None:
    """``--help``'s own line in Chinese: click makes that option when it prints the help, with
    its English text, so the text is set on what it makes."""
    make = getattr(command, "get_help_option", None)
    if make is None:
        return

    def chinese(ctx: Any) -> Any:
        option = make(ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    command.get_help_option = chinese


def fold_long_lines(rich_utils: Any) -> None:
    """Make every help text fold at the table's edge instead of ending in "…".

    Rich wraps a table cell at spaces and cuts off a longer run with an ellipsis; Chinese has
    no spaces, so most of an option's help was cut off at 80 columns (and in English, a long
    name such as ``$COURSECHECK_SCHEDULER`` in a narrow terminal).
    """
    make = getattr(rich_utils, "_make_rich_text", None)
    if make is None or getattr(make, "folds", False):
        return
    from rich.text import Text

    def folding(**kwargs: Any) -> Any:
        made = make(**kwargs)
        if isinstance(made, Text):
            made.overflow = "fold"
        return made

    folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = folding

"""The ``coursecheck`` command line: options → settings → run → exit code. No checking logic.

Heavy modules (pydantic, pymediainfo, ffmpeg) are imported inside the commands, so ``--help`` and
``--version`` start fast.
"""

from __future__ import annotations

import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from coursecheck import __version__

app = typer.Typer(
    name="coursecheck",
    help="Check community-education brand-course packages (社区教育品牌课程) against the 2023 "
         "national rules: the course.yaml manifest and every MP4 lesson.\n\n"
         "检查社区教育品牌课程包是否符合 2023 年申报要求（附件2）。",
    epilog="Start with: coursecheck check path/to/course  ·  coursecheck rules  ·  "
           "coursecheck doctor",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(StrEnum):
    """Message language."""

    zh = "zh"
    en = "en"


class Format(StrEnum):
    """Report format for ``check``."""

    text = "text"
    json = "json"


class ListFormat(StrEnum):
    """Format for ``rules``."""

    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coursecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool | None, typer.Option("--version", "-V", callback=_version,
                                                 is_eager=True, help="Print the version.")] = None,
) -> None:
    """Check community-education brand-course packages."""


LangOpt = Annotated[Lang | None, typer.Option(
    "--lang", help="Message language. Default: $COURSECHECK_LANG, else zh for a Chinese locale, "
                   "else en.")]


def _lang(lang: Lang | None) -> str:
    from coursecheck.settings import default_lang

    return lang.value if lang else default_lang()


def usage_error(text: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    typer.echo(f"coursecheck: error: {text}", err=True)
    raise typer.Exit(2)


@app.command(epilog=(
    "[bold]Examples[/bold]\n\n"
    "  coursecheck check my-course\n\n"
    "  coursecheck check --lang zh courses/*/\n\n"
    "  coursecheck check my-course/course.yaml --format json > report.json\n\n"
    "Exit codes: 0 no errors · 1 errors (or warnings with --strict) · 2 usage or internal error."))
def check(
    paths: Annotated[list[Path], typer.Argument(
        help="Course folders, or course.yaml files inside them.", show_default=False)],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    lang: LangOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
) -> None:
    """Check course folders: the manifest, the cover and every lesson video.

    检查课程文件夹：清单、首页图片和每个微课视频。
    """
    missing = [p for p in paths if not p.exists()]
    if missing:
        usage_error(f"path does not exist: {missing[0]}")
    from coursecheck.runner import run_check

    raise typer.Exit(run_check(paths, format.value, _lang(lang), strict))


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck rules --lang zh\n\n"
                    "  coursecheck rules --format json")
def rules(
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")
                      ] = ListFormat.text,
    lang: LangOpt = None,
) -> None:
    """List every rule with its ID, default severity and summary.  列出全部规则。"""
    from coursecheck.explain import print_rules

    print_rules(format.value, _lang(lang))


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck explain V104 --lang zh")
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="A rule ID such as V104.")],
    lang: LangOpt = None,
) -> None:
    """Explain one rule: what it checks, why, how to fix it, and examples.  解释一条规则。"""
    from coursecheck.explain import print_explanation

    if not print_explanation(rule_id.upper(), _lang(lang)):
        usage_error(f"unknown rule ID {rule_id!r}; `coursecheck rules` lists them")


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck schema > schemas/course.schema.json")
def schema() -> None:
    """Print the JSON Schema of course.yaml, for editors and other tools.

    输出清单的 JSON Schema。
    """
    import json

    from coursecheck.manifest import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command(epilog="[bold]Example[/bold]\n\n  coursecheck doctor")
def doctor() -> None:
    """Show the coursecheck, MediaInfo and ffmpeg it will use, and whether each works.

    检查运行环境。
    """
    from coursecheck.doctor import run_doctor

    raise typer.Exit(run_doctor())


# Typer vendors click in recent releases; reach its UsageError through a public subclass.
UsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def main() -> None:
    """Console-script entry point: one line on stderr for usage and internal errors."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=sys.argv[1:], prog_name="coursecheck", standalone_mode=False)
    except UsageError as exc:
        ctx = getattr(exc, "ctx", None)
        hint = f" (see `{ctx.command_path} --help`)" if ctx else ""
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(f"coursecheck: error: {text}{hint}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("coursecheck: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if "--debug" in sys.argv:
            traceback.print_exc()
        typer.echo(f"coursecheck: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for the traceback)", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

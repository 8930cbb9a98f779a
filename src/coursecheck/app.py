"""The Typer application object and the option types commands share.

Command modules in :mod:`coursecheck.commands` register themselves on :data:`app`. Keep imports
here light: ``coursecheck --help`` loads this module and every command module.
"""

from __future__ import annotations

import os
import stat
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from coursecheck import __version__
from coursecheck.text import elide

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
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(StrEnum):
    """Message language."""

    zh = "zh"
    en = "en"


LangOpt = Annotated[Lang | None, typer.Option(
    "--lang", case_sensitive=False,
    help="Message language: zh or en (cn, zh-CN and 中文 mean zh too). Default: "
         "$COURSECHECK_LANG, else the config file's `lang`, else zh for a Chinese locale, "
         "else en.")]


def lang_or_default(lang: Lang | None) -> str:
    """``--lang`` when given, else the default language (``$COURSECHECK_LANG``, the locale)."""
    if lang:
        return lang.value
    from coursecheck.settings import default_lang

    return default_lang()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coursecheck {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool | None, typer.Option("--version", "-V", callback=_version,
                                                 is_eager=True, help="Print the version.")] = None,
    lang: LangOpt = None,
) -> None:
    """Check community-education brand-course packages."""
    if lang:  # ``coursecheck --lang zh --help`` and ``coursecheck --lang zh check …`` work too
        os.environ["COURSECHECK_LANG"] = lang.value


def usage_error(text: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    from coursecheck.uilang import error_line

    typer.echo(error_line(text), err=True)
    raise typer.Exit(2)


def unusable(path: Path, folder: bool = False) -> str | None:
    """Why a path given on the command line cannot be used (missing, not a folder, a name too
    long, no permission), or ``None``. Never raises."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return f"path does not exist: {elide(str(path))}"
    except PermissionError as exc:
        shut = next((p for p in reversed(path.absolute().parents)
                     if not os.access(p, os.X_OK)), None)
        if shut is not None:
            return f"cannot use {elide(str(path))}: the folder {elide(str(shut))} cannot be entered"
        return f"cannot use {elide(str(path))}: {exc.strerror or exc}"
    except OSError as exc:
        return f"cannot use {elide(str(path))}: {exc.strerror or exc}"
    if folder and not stat.S_ISDIR(st.st_mode):
        return f"not a folder: {elide(str(path))}"
    return None

"""The ``coursecheck`` entry point: run the Typer app; usage and internal errors are one line.

Commands live in :mod:`coursecheck.commands`; heavy modules are imported inside them, so
``--help`` and ``--version`` start fast.
"""

from __future__ import annotations

import sys
import traceback

import typer

from coursecheck import commands, uilang
from coursecheck.app import app
from coursecheck.streams import forgiving_streams

__all__ = ["app", "commands", "main"]

# Typer vendors click in recent releases; reach its UsageError through a public subclass.
UsageError: type[Exception] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


DEEP_LEVELS = ("quick", "full", "off")


def with_deep_value(args: list[str]) -> list[str]:
    """``--deep`` may stand alone (meaning ``full``) or take a level: ``--deep quick``. The
    parser always wants a value, so a bare ``--deep`` becomes ``--deep=full``."""
    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--":
            break
        if arg == "--deep" and (i + 1 == len(out) or out[i + 1].lower() not in DEEP_LEVELS):
            out[i] = "--deep=full"
    return out


def main() -> None:
    """Console-script entry point: one line on stderr for usage and internal errors."""
    forgiving_streams()  # a cp936 console must never turn a report into a traceback
    lang = uilang.detect(sys.argv[1:])
    command = typer.main.get_command(app)
    if lang == "zh":
        from coursecheck.helpzh import localize

        localize(command)
    try:
        code = command.main(args=with_deep_value(sys.argv[1:]), prog_name="coursecheck",
                            standalone_mode=False)
    except UsageError as exc:
        ctx = getattr(exc, "ctx", None)
        hint = uilang.word("see_help").format(path=ctx.command_path) if ctx else ""
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(uilang.error_line(text) + hint, err=True)
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

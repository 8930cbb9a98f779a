"""The ``coursecheck`` entry point: run the Typer app; usage and internal errors are one line.

Commands live in :mod:`coursecheck.commands`; heavy modules are imported inside them, so
``--help`` and ``--version`` start fast. This module itself imports nothing heavy at the top, so
a Ctrl-C while Python is still loading coursecheck ends with the "interrupted" line and exit 130,
not a traceback; SIGTERM is handled like Ctrl-C (exit 143; see :mod:`coursecheck.interrupts`).
"""

from __future__ import annotations

import signal
import sys
import traceback
from typing import Any

__all__ = ["main"]  # and, loaded on first use, ``app`` and ``commands``


def __getattr__(name: str) -> Any:
    """``app`` and ``commands``, loaded on first use."""
    if name in ("app", "commands"):
        from coursecheck import commands
        from coursecheck.app import app

        return {"app": app, "commands": commands}[name]
    raise AttributeError(name)


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


def with_lang_names(args: list[str]) -> list[str]:
    """``--lang cn``, ``--lang zh-CN``, ``--lang 中文`` or ``--lang English`` as ``zh``/``en``
    (see :func:`coursecheck.settings.lang_named`); anything else is left for the parser to
    refuse with its list of choices."""
    from coursecheck.settings import lang_named

    out = list(args)
    for i, arg in enumerate(out):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(out):
            out[i + 1] = lang_named(out[i + 1]) or out[i + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
            out[i] = "--lang=" + (lang_named(value) or value)
    return out


def main() -> None:
    """Console-script entry point: one line on stderr for usage and internal errors."""
    before = signal.getsignal(signal.SIGTERM)
    try:
        from coursecheck.interrupts import raise_on_sigterm

        raise_on_sigterm()
        _run()
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM before a command could catch it
        from coursecheck.interrupts import exit_code

        print("coursecheck: interrupted", file=sys.stderr)
        sys.exit(exit_code(exc))
    finally:
        signal.signal(signal.SIGTERM, before)


class _Stopped(Exception):
    """A KeyboardInterrupt (or SIGTERM) on its way past Typer."""

    def __init__(self, interrupt: KeyboardInterrupt) -> None:
        super().__init__()
        self.interrupt = interrupt


def _run() -> None:
    import typer

    from coursecheck import commands, uilang  # noqa: F401  (commands register themselves)
    from coursecheck.app import app
    from coursecheck.streams import forgiving_streams

    forgiving_streams()  # a cp936 console must never turn a report into a traceback
    lang = uilang.detect(sys.argv[1:])

    # Typer vendors click in recent releases; reach its UsageError through a public subclass.
    usage_error: type[Exception] = next(
        c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
    command = typer.main.get_command(app)
    if lang == "zh":
        from coursecheck.helpzh import localize

        localize(command)
    elif {"--help", "-h"} & set(sys.argv[1:]) or len(sys.argv) < 2:
        from typer import rich_utils

        from coursecheck.helpzh import fold_long_lines

        fold_long_lines(rich_utils)  # a long word (a path, $COURSECHECK_...) is not cut off
    invoke = command.invoke

    def invoke_keeping_interrupts(ctx: Any) -> Any:
        """Typer turns a KeyboardInterrupt into a silent exit 130; carry it past Typer."""
        try:
            return invoke(ctx)
        except KeyboardInterrupt as exc:
            raise _Stopped(exc) from None

    setattr(command, "invoke", invoke_keeping_interrupts)  # noqa: B010  (an instance attribute)
    try:
        args = with_lang_names(with_deep_value(sys.argv[1:]))
        code = command.main(args=args, prog_name="coursecheck", standalone_mode=False)
    except _Stopped as exc:
        raise exc.interrupt from None
    except usage_error as exc:
        ctx = getattr(exc, "ctx", None)
        hint = uilang.word("see_help").format(path=ctx.command_path) if ctx else ""
        text = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        typer.echo(uilang.error_line(text) + hint, err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort as exc:  # click turns a KeyboardInterrupt into Abort
        cause = exc.__cause__ or exc.__context__
        raise cause if isinstance(cause, KeyboardInterrupt) else KeyboardInterrupt() from None
    except Exception as exc:
        if "--debug" in sys.argv:
            traceback.print_exc()
        typer.echo(f"coursecheck: internal error: {type(exc).__name__}: {exc} "
                   "(run with --debug for the traceback)", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)

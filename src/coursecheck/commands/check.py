"""``coursecheck check``: options → :class:`RunOptions` → :func:`run_check` → exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coursecheck.app import LangOpt, app, unusable, usage_error

EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "  coursecheck check my-course\n\n"
    "  coursecheck check --lang zh courses/*/\n\n"
    "  coursecheck check my-course/course.yaml --format json > report.json\n\n"
    "  coursecheck check courses/*/ --output sarif=coursecheck.sarif --output junit=junit.xml\n\n"
    "  coursecheck check my-course --ignore V2 --select C,V1\n\n"
    "A path may also be any file inside a course (as pre-commit passes them): the course folder "
    "holding it is checked, once.\n\n"
    "Exit codes: 0 no errors · 1 errors (or warnings with --strict) · 2 usage or internal error.")


def _output(value: str) -> tuple[str, Path]:
    name, sep, path = value.partition("=")
    if not sep or not name or not path:
        usage_error(f"--output takes NAME=PATH, e.g. sarif=report.sarif (got {value!r})")
    return name.strip().lower(), Path(path)


def rule_ids(values: list[str] | None) -> tuple[str, ...]:
    """``["V1,C2", "A"]`` → ``("V1", "C2", "A")``: the IDs and prefixes --select/--ignore take."""
    return tuple(part.strip().upper() for v in values or () for part in v.split(",")
                 if part.strip())


def deep_level(value: str | None, paths: list[Path]) -> str | None:
    """``--deep`` alone is ``full``; ``--deep quick``, ``--deep full``, ``--deep off``.

    The option's value is optional, so in ``--deep my-course`` the parser hands over the course
    as the value: an existing path there is put back in front of ``paths``.
    """
    if value is None:
        return None
    level = value.strip().lower()
    if level in ("quick", "full", "off"):
        return level
    if Path(value).exists():
        paths.insert(0, Path(value))
        return "full"
    usage_error(f"--deep takes quick, full or off (got {value!r})")
    return None


@app.command(epilog=EPILOG)
def check(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Course folders, their course.yaml, or files inside them.", show_default=False)
                     ] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="Report format on stdout: auto (text; plus GitHub annotations "
                               "when GITHUB_ACTIONS=true), text, json, sarif, junit, github, "
                               "gitlab.")] = "auto",
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", metavar="NAME=PATH",
        help="Also write format NAME to PATH. Repeatable.")] = None,
    lang: LangOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Exit 0 even when there are errors (not on usage errors).")] = False,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Configuration file; default: .coursecheck.yaml or \\[tool.coursecheck] "
                         "in pyproject.toml, searched from the course folder upwards.")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", help="Only these rule IDs or prefixes (e.g. V1,C2). Repeatable.")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", help="Skip these rule IDs or prefixes (e.g. V2). Repeatable.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Where to keep the cache: probe results and covers (default: the "
                            "user cache dir).")
                         ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Probe every file afresh.")
                        ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
    deep: Annotated[str | None, typer.Option(
        "--deep", metavar="[quick|full]",
        help="Decode every lesson once and check what headers cannot show (D-rules): full "
             "decodes everything, quick only the audio and the packets.")] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=1, help="Lessons decoded in parallel with --deep.")] = 1,
    no_course_config: Annotated[bool, typer.Option(
        "--no-course-config",
        help="Ignore a .coursecheck.yaml inside the course, as audit does (for provincial staff "
             "checking a submitted course); C006 reports one it finds.")] = False,
) -> None:
    """Check course folders: the manifest, the cover and every lesson video.

    检查课程文件夹：清单、首页图片和每个微课视频。
    """
    from coursecheck.options import RunOptions

    paths = list(paths or ())
    level = deep_level(deep, paths)
    if not paths:
        usage_error("Missing argument 'PATHS...'")
    problems = [problem for p in paths if (problem := unusable(p))]
    if problems:
        usage_error(problems[0])
    if config is not None and not config.is_file():
        usage_error(f"config file does not exist: {config}")
    options = RunOptions(
        paths=tuple(paths), fmt=format.strip().lower(),
        outputs=tuple(_output(o) for o in output or ()), lang=lang.value if lang else None,
        strict=strict, exit_zero=exit_zero, config=config, select=rule_ids(select),
        ignore=rule_ids(ignore), cache_dir=cache_dir, no_cache=no_cache,
        deep=level, jobs=jobs, course_config=not no_course_config)
    from coursecheck.runner import run_check

    raise typer.Exit(run_check(options))

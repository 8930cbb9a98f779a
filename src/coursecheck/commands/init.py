"""``coursecheck init``: write a first course.yaml for a folder of videos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coursecheck.app import LangOpt, app, lang_or_default, unusable, usage_error


@app.command(epilog="[bold]Examples[/bold]\n\n  coursecheck init my-course\n\n"
                    "  coursecheck init my-course --force    # replace an existing course.yaml")
def init(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER",
                                           help="The course folder holding the lesson videos.",
                                           show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing course.yaml.")
                     ] = False,
    lang: LangOpt = None,
) -> None:
    """Write FOLDER/course.yaml listing the videos, with placeholders for every field.

    为课程文件夹生成 course.yaml 清单草稿（这是唯一会写入课程文件夹的命令）。
    """
    from coursecheck.fix.words import say
    from coursecheck.initmanifest import draft, existing_manifest, write_draft
    from coursecheck.text import printable

    shown = printable(str(folder))  # a folder name that is not UTF-8 shows as U+FFFD
    problem = unusable(folder, folder=True)  # "path does not exist" for a typo, not "not a folder"
    if problem is not None:
        usage_error(problem)
    existing = existing_manifest(folder)
    if existing is not None and not force:
        usage_error(f"{printable(str(existing))} already exists; use --force to replace it")
    made = draft(folder)
    try:
        written = write_draft(folder, made.text)
    except OSError as exc:
        usage_error(f"cannot write {printable(str(folder / 'course.yaml'))}: "
                    f"{exc.strerror or exc}")
    language = lang_or_default(lang)
    typer.echo(say(language, "init_wrote", file=printable(str(written)),
                   count=len(made.lessons)))
    if not made.lessons and not made.skipped:
        typer.echo(say(language, "init_none", folder=shown))
    if made.skipped:
        typer.echo(say(language, "init_skipped"))
        for name in made.skipped:
            typer.echo(f"  {name}")
    typer.echo(say(language, "init_todo"))
    for todo in made.todos:
        typer.echo(f"  {written.name}:{todo.line}  {todo.field}  ({todo.hint})")
    if made.lessons:
        typer.echo(say(language, "init_titles"))
    typer.echo(say(language, "init_then", folder=shown))

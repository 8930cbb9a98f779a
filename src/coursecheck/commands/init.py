"""``coursecheck init``: write a first course.yaml for a folder of videos."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coursecheck.app import LangOpt, app, usage_error

WORDS = {
    "en": {"wrote": "Wrote {file} with {count} lessons.",
           "none": "No video files found in {folder}; list the lessons under `lessons:`.",
           "todo": "Still to fill in:",
           "titles": "Lesson titles were taken from the file names; edit them as needed.",
           "skipped": "Not listed, because the name is not valid UTF-8 (shown with \ufffd); "
                      "rename each, then add it under `lessons:`:",
           "then": "Then run: coursecheck check {folder}"},
    "zh": {"wrote": "已写入 {file}，共 {count} 个微课。",
           "none": "{folder} 中没有找到视频文件；请在 `lessons:` 下列出微课。",
           "todo": "还需要填写：",
           "titles": "微课标题取自文件名，请按需修改。",
           "skipped": "以下视频的文件名不是有效的 UTF-8（无法识别的字符显示为 \ufffd），"
                      "未列入清单；请重命名后在 `lessons:` 下添加：",
           "then": "然后运行：coursecheck check {folder}"},
}


@app.command(epilog="[bold]Examples[/bold]\n\n  coursecheck init my-course\n\n"
                    "  coursecheck init my-course --force    # replace an existing course.yaml")
def init(
    folder: Annotated[Path, typer.Argument(help="The course folder holding the lesson videos.",
                                           show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing course.yaml.")
                     ] = False,
    lang: LangOpt = None,
) -> None:
    """Write FOLDER/course.yaml listing the videos, with placeholders for every field.

    为课程文件夹生成 course.yaml 清单草稿（这是唯一会写入课程文件夹的命令）。
    """
    from coursecheck.initmanifest import draft, existing_manifest, write_draft
    from coursecheck.settings import default_lang
    from coursecheck.text import printable

    shown = printable(str(folder))  # a folder name that is not UTF-8 shows as U+FFFD
    if not folder.is_dir():
        usage_error(f"not a folder: {shown}")
    existing = existing_manifest(folder)
    if existing is not None and not force:
        usage_error(f"{printable(str(existing))} already exists; use --force to replace it")
    made = draft(folder)
    try:
        written = write_draft(folder, made.text)
    except OSError as exc:
        usage_error(f"cannot write {printable(str(folder / 'course.yaml'))}: "
                    f"{exc.strerror or exc}")
    words = WORDS.get(lang.value if lang else default_lang(), WORDS["en"])
    typer.echo(words["wrote"].format(file=printable(str(written)), count=len(made.lessons)))
    if not made.lessons and not made.skipped:
        typer.echo(words["none"].format(folder=shown))
    if made.skipped:
        typer.echo(words["skipped"])
        for name in made.skipped:
            typer.echo(f"  {name}")
    typer.echo(words["todo"])
    for todo in made.todos:
        typer.echo(f"  {written.name}:{todo.line}  {todo.field}  ({todo.hint})")
    if made.lessons:
        typer.echo(words["titles"])
    typer.echo(words["then"].format(folder=shown))

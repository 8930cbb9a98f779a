"""``coursecheck fix``: options → :class:`FixOptions` → :func:`run_fix` → exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coursecheck.app import LangOpt, app, usage_error

PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
           "veryslow")

EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "  coursecheck fix my-course --out my-course-fixed\n\n"
    "  coursecheck fix my-course --out fixed --dry-run      # print the ffmpeg commands only\n\n"
    "  coursecheck fix my-course --out fixed --jobs 2 --crf 18 --preset slow\n\n"
    "Lessons that fail V101, V103–V106 or V201–V203/V205 are re-encoded to H.264 High, yuv420p, "
    "1280×720 (scaled to fit, padded with black), 25 fps CFR, AAC-LC 48 kHz stereo 128 kb/s, "
    "MP4 +faststart. An audio-only lesson (V102) is put over the cover, or over a slate with "
    "its title. Everything else is copied byte for byte. The source folder is never written.\n\n"
    "Exit codes: 0 the fixed course passes check · 1 it still has errors · 2 usage error · "
    "130 interrupted (Ctrl-C).")


@app.command(epilog=EPILOG)
def fix(
    course: Annotated[Path, typer.Argument(metavar="COURSE",
                                           help="The course folder (or its course.yaml).",
                                           show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the fixed course "
                                      "to; must be outside the course and empty.",
                                      show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty --out folder "
                                        "(files of the same name are replaced).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Print the plan and each "
                                          "ffmpeg command; change nothing.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64,
                                      help="Files encoded in parallel.")] = 1,
    crf: Annotated[int, typer.Option("--crf", min=0, max=51,
                                     help="x264 quality: lower is better and bigger.")] = 20,
    preset: Annotated[str, typer.Option("--preset", help="x264 speed preset: "
                                        + ", ".join(PRESETS) + ".")] = "medium",
    add_silence: Annotated[bool, typer.Option("--add-silence", help="Give lessons without "
                                              "audio a silent AAC track (fixes V204).")
                           ] = False,
    lang: LangOpt = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
) -> None:
    """Re-encode the lessons that fail the video rules into a new folder that passes.

    把不合格的微课重新编码到新文件夹；原课程文件夹不会被修改。
    """
    if not course.exists():
        usage_error(f"path does not exist: {course}")
    if preset not in PRESETS:
        usage_error(f"unknown --preset {preset!r}; choose from {', '.join(PRESETS)}")
    from coursecheck.fix.main import FixOptions, FixUsageError, run_fix

    options = FixOptions(source=course, out=out, force=force, dry_run=dry_run, jobs=jobs,
                         crf=crf, preset=preset, add_silence=add_silence,
                         lang=lang.value if lang else None)
    try:
        code = run_fix(options)
    except FixUsageError as exc:
        usage_error(str(exc))
    raise typer.Exit(code)

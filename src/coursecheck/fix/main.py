"""One ``fix`` run: check the source → plan → (print, or write safely) → check the output."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from coursecheck.fix.encode import Target, commands
from coursecheck.fix.execute import Executor, Interrupted, Outcome, interruptible
from coursecheck.fix.names import out_path
from coursecheck.fix.plan import Copy, FixPlan, Picture, make_plan
from coursecheck.fix.report import write_commands, write_failures, write_plan, write_unfixable
from coursecheck.fix.screen import screen
from coursecheck.fix.words import say
from coursecheck.notes import note_line
from coursecheck.text import printable


class FixUsageError(Exception):
    """The command line asks for something ``fix`` must refuse (exit code 2)."""


@dataclass(frozen=True, slots=True)
class FixOptions:
    """What the user asked ``fix`` to do."""

    source: Path
    out: Path
    force: bool
    dry_run: bool
    jobs: int
    crf: int
    preset: str
    add_silence: bool
    lang: str | None


def check_out(root: Path, out: Path, force: bool) -> None:
    """Refuse an output folder inside the course, holding the course, or not empty."""
    src, dst = root.resolve(), out.resolve()
    if dst == src or dst.is_relative_to(src):
        raise FixUsageError(f"--out {out} is inside the course folder {root}; "
                            "choose a folder outside it")
    if src.is_relative_to(dst):
        raise FixUsageError(f"--out {out} contains the course folder {root}; "
                            "choose a separate, empty folder")
    if dst.exists() and not dst.is_dir():
        raise FixUsageError(f"--out {out} exists and is not a folder")
    try:
        full = dst.is_dir() and any(dst.iterdir())
    except OSError as exc:
        raise FixUsageError(f"cannot read --out {out}: {exc.strerror or exc}") from exc
    if full and not force:
        raise FixUsageError(f"--out {out} is not empty; use --force to write into it anyway")


def run_fix(options: FixOptions) -> int:
    """Fix one course into ``options.out``. The exit code is that of ``check`` on the output,
    or 128 + the signal (130 for Ctrl-C) when interrupted."""
    from coursecheck.cache import open_prober
    from coursecheck.config import settings_for
    from coursecheck.engine import evaluate
    from coursecheck.fix.manifest_edit import rewrite_lesson_files
    from coursecheck.gather import gather
    from coursecheck.options import RunOptions
    from coursecheck.targets import target_for
    from coursecheck.tools import find_ffmpeg

    target = target_for(options.source)
    if target is None or not target.root.is_dir():
        raise FixUsageError(f"{options.source} is not a course folder")
    check_out(target.root, options.out, options.force)
    ffmpeg_path, _ = find_ffmpeg()
    if ffmpeg_path is None:
        raise FixUsageError("no ffmpeg found: install imageio-ffmpeg or put ffmpeg on PATH")
    from coursecheck.fix.deepstep import fix_level, measured, report_loudness

    run_options = RunOptions(paths=(target.root,), lang=options.lang)
    settings = fix_level(settings_for(target.root, run_options))
    lang = settings.lang
    notes: list[str] = []
    with open_prober(run_options, notes) as prober:  # shares check's probe cache
        facts = gather(target.root, target.manifest, prober)
    facts = measured(facts, settings, run_options, target.root)  # loudness for D104/D105
    for note in notes:
        print(note_line(note, lang), file=sys.stderr)
    result = evaluate(facts, settings, target.display)
    plan = make_plan(facts, result, settings, target.manifest, options.add_silence,
                     options.out.as_posix())
    plan = screen(plan, ffmpeg_path, lang)  # lessons with nothing to encode are copied
    out = options.out.resolve()
    shown_out = printable(str(options.out))
    if facts.manifest.view is None:
        print(say(lang, "no_manifest"))
        write_unfixable(plan.unfixable, lang, sys.stdout)
        return 1
    write_plan(plan, target.display, shown_out, facts.manifest_file, lang, sys.stdout)
    raw = plan.manifest.source.read_bytes() if plan.manifest is not None else None
    if raw is not None and plan.renames and rewrite_lesson_files(raw, plan.renames) is None:
        print(say(lang, "rename_failed", manifest=printable(facts.manifest_file),
                  files=printable(", ".join(f"{old} → {new}" for _, old, new in plan.renames))))
    encoding = Target(crf=options.crf, preset=options.preset, width=settings.width,
                      height=settings.height, fps=round(settings.frame_rate))
    if options.dry_run:
        slate = Path("slate.png")
        write_commands([(job, commands(ffmpeg_path, job, out / job.output, encoding,
                                       slate if job.picture is Picture.SLATE else None))
                        for job in plan.encodes], lang, sys.stdout)
        write_unfixable(plan.unfixable, lang, sys.stdout)
        print("\n" + say(lang, "dry_run"))
        return 0
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FixUsageError(f"cannot create --out {shown_out}: {exc.strerror or exc}") from exc
    outcomes, stopped = _execute(plan, raw, out, target.root, ffmpeg_path, encoding,
                                 options.jobs)
    if stopped is not None:
        print(say(lang, "interrupted", done=len(outcomes), out=shown_out), file=sys.stderr)
        return 128 + stopped.signum
    write_failures(outcomes, plan.encodes, lang, sys.stdout)
    write_unfixable(plan.unfixable, lang, sys.stdout)
    report_loudness(plan.encodes, out, settings, run_options, lang, sys.stdout)
    print("\n" + say(lang, "checking", out=shown_out), flush=True)
    from coursecheck.runner import run_check

    deep = settings.deep if any(job.loudness for job in plan.encodes) else None
    return run_check(RunOptions(paths=(options.out,), fmt="text", lang=lang, deep=deep))


def _execute(plan: FixPlan, raw: bytes | None, out: Path, source: Path, ffmpeg_path: str,
             encoding: Target, jobs: int) -> tuple[list[Outcome], Interrupted | None]:
    """Write every output: copies, encodes, the original of each failed encode, then the
    manifest naming only files that were written. On a signal, stop, clean up, and return the
    files finished so far with the interruption."""
    from coursecheck.fix.manifest_edit import rewrite_lesson_files
    from coursecheck.fix.progress import display_for

    display = display_for(len(plan.encodes))
    executor = Executor(out, source, ffmpeg_path, encoding, display)
    outcomes: list[Outcome] = []
    try:
        with interruptible():
            try:
                for copied in (*plan.copies, *([plan.cover] if plan.cover else [])):
                    outcomes.append(executor.write(copied.output, copied))
                encoded = executor.encode_all(plan.encodes, jobs)
                outcomes += encoded
                failed = {job.output for job, done in zip(plan.encodes, encoded, strict=True)
                          if not done.ok}
                for job in plan.encodes:  # keep the original: the manifest must name a file
                    if job.output in failed:
                        kept = out_path(job.written)
                        outcomes.append(executor.write(kept, Copy(job.source, kept)))
                renames = [r for r in plan.renames if out_path(r[2]) not in failed]
                if plan.manifest is not None and raw is not None:
                    manifest = rewrite_lesson_files(raw, renames) if renames else raw
                    outcomes.append(executor.write(plan.manifest.output, manifest or raw))
            except Interrupted as exc:  # encode_all has stopped ffmpeg; cleanup is below
                return [Outcome(name, True) for name in executor.done], exc
            finally:
                display.close()
    finally:
        executor.cleanup()
    return outcomes, None

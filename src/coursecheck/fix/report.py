"""What ``fix`` prints on stdout: the plan, the commands of a dry run, what it cannot fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from coursecheck.fix.execute import Outcome
from coursecheck.fix.plan import Audio, Encode, FixPlan, Picture, Unfixable
from coursecheck.fix.words import say
from coursecheck.proc import MiB
from coursecheck.streams import command_line
from coursecheck.text import printable


def _notes(job: Encode, lang: str) -> str:
    notes = [", ".join(job.rules)]
    if job.picture is Picture.COVER:
        notes.append(say(lang, "picture_cover"))
    elif job.picture is Picture.SLATE:
        notes.append(say(lang, "picture_slate"))
    if job.audio is Audio.SILENCE:
        notes.append(say(lang, "silence"))
    return "; ".join(notes)


def write_plan(plan: FixPlan, source: str, out: str, manifest_name: str, lang: str,
               stream: TextIO) -> None:
    """The heading, one line per lesson file, and the manifest values that change."""
    print(say(lang, "plan", source=printable(source), out=printable(out),
              encode=len(plan.encodes), copy=plan.outputs - len(plan.encodes)), file=stream)
    for job in plan.encodes:
        key = "encode_same" if job.output == job.written else "encode"
        print(say(lang, key, file=printable(job.written), out=printable(job.output),
                  rules=_notes(job, lang)), file=stream)
    for copied in plan.copies:
        print(say(lang, "copy", file=printable(copied.output)), file=stream)
    for index, old, new in plan.renames:
        print(say(lang, "rename", manifest=printable(manifest_name), index=index,
                  old=printable(old), new=printable(new)), file=stream)



def write_commands(commands: Sequence[tuple[Encode, list[list[str]]]], lang: str,
                   stream: TextIO) -> None:
    """Each lesson's ffmpeg commands, shell-quoted, for ``--dry-run``."""
    for job, argvs in commands:
        print(f"\n# {printable(job.written)} → {printable(job.output)}", file=stream)
        if job.picture is Picture.SLATE:
            print(f"# slate.png: {say(lang, 'no_video_slate')}", file=stream)
        for argv in argvs:
            print(command_line(argv), file=stream)


def write_unfixable(items: Sequence[Unfixable], lang: str, stream: TextIO) -> None:
    """Each finding ``fix`` leaves alone: rule, place, reason, and the next step."""
    if not items:
        return
    print("\n" + say(lang, "unfixable"), file=stream)
    for item in items:
        where = f"{item.file}:{item.line}" if item.line else item.file
        print(printable(f"  {item.rule} {where}  {item.reason}"), file=stream)
        if not _already_says(item.reason, item.next_step):
            print(say(lang, "next", text=printable(item.next_step)), file=stream)


def _already_says(reason: str, step: str) -> bool:
    """Whether the finding's message already holds the next step (C204's does), so it is not
    printed twice; compared without backticks, spaces, case and the closing full stop."""
    def bare(text: str) -> str:
        return "".join(text.replace("`", "").split()).casefold().rstrip("。.")

    return bool(bare(step)) and bare(step) in bare(reason)


def write_failures(outcomes: Sequence[Outcome], encodes: Sequence[Encode], lang: str,
                   stream: TextIO) -> None:
    """Each output that could not be written, and why; for a failed encode, that the original
    lesson was copied in its place."""
    sources = {job.output: job.written for job in encodes}
    for outcome in outcomes:
        if outcome.ok:
            continue
        if outcome.code is None:
            print(say(lang, "copy_failed", file=printable(outcome.output),
                      detail=printable(outcome.detail)), file=stream)
            continue
        shown = printable(sources.get(outcome.output, outcome.output))
        if outcome.limit is not None:
            bound = outcome.bound / MiB if outcome.limit == "memory" else outcome.bound
            print(say(lang, f"failed_limit_{outcome.limit}", file=shown, bound=bound),
                  file=stream)
        else:
            print(say(lang, "failed", file=printable(outcome.output), code=outcome.code,
                      detail=printable(outcome.detail or "-")), file=stream)
        if outcome.output in sources:
            print(say(lang, "kept_original", file=shown), file=stream)

"""Between the plan and the encodes: keep only lessons that really hold what their encode needs.

The plan is made from MediaInfo's reading of the headers. Here each lesson to encode is scanned
(:func:`coursecheck.fix.scan.scan`); a lesson whose encode needs video or audio packets that are
not there is not encoded but copied unchanged and reported as not fixable, with the reason. The
kept lessons carry their real duration, which bounds the still picture (``-t``) and the time
limit of every ffmpeg.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable

from coursecheck.fix.names import out_path
from coursecheck.fix.plan import Audio, Copy, Encode, FixPlan, Picture, Unfixable
from coursecheck.fix.scan import Scan, scan
from coursecheck.fix.words import say


def problem(job: Encode, found: Scan) -> str | None:
    """The phrase key of what ``job`` lacks, or ``None`` when it can be encoded."""
    if found.limit is not None:
        return "scan_limit"
    if not (found.video.packets or found.audio.packets):
        return "unreadable" if found.error else "no_packets"
    if job.picture is Picture.VIDEO and not found.video.packets:
        return "no_video_packets"
    if (job.audio is Audio.KEEP or job.picture is not Picture.VIDEO) and not found.audio.packets:
        return "no_audio_packets"
    return None


def screen(plan: FixPlan, ffmpeg: str, lang: str,
           scanner: Callable[[str, Encode], Scan] | None = None) -> FixPlan:
    """``plan`` with each encode either given its real duration or turned into a copy plus an
    :class:`Unfixable` saying why."""
    look = scanner or (lambda exe, job: scan(exe, job.source))
    kept: list[Encode] = []
    given_up: list[tuple[Encode, Unfixable]] = []
    for job in plan.encodes:
        found = look(ffmpeg, job)
        key = problem(job, found)
        if key is None:
            track = found.video if job.picture is Picture.VIDEO else found.audio
            kept.append(dataclasses.replace(job, duration_s=track.duration_s))
            continue
        limit = say(lang, f"limit_{found.limit}") if found.limit else "-"
        reason = say(lang, key, detail=found.error or "-", limit=limit)
        given_up.append((job, Unfixable(", ".join(job.rules), job.written, None, reason,
                                        say(lang, "export_again"))))
    return give_up(dataclasses.replace(plan, encodes=tuple(kept)), given_up)


def give_up(plan: FixPlan, jobs: Iterable[tuple[Encode, Unfixable]]) -> FixPlan:
    """``plan`` where each job is copied unchanged under its own name instead of encoded (so
    the manifest keeps naming a file that exists), with its :class:`Unfixable`."""
    jobs = list(jobs)
    if not jobs:
        return plan
    outputs = {job.output for job, _ in jobs}
    return dataclasses.replace(
        plan,
        encodes=tuple(job for job in plan.encodes if job.output not in outputs),
        copies=(*plan.copies, *(Copy(job.source, out_path(job.written)) for job, _ in jobs)),
        renames=tuple(r for r in plan.renames if out_path(r[2]) not in outputs),
        unfixable=(*(item for _, item in jobs), *plan.unfixable))

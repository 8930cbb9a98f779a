"""What the author should do about a finding ``fix`` cannot resolve."""

from __future__ import annotations

import itertools
import math
from pathlib import PurePosixPath

from coursecheck.fix.words import say
from coursecheck.settings import Settings
from coursecheck.streams import command_line
from coursecheck.text import format_duration


def split_points(duration_s: float, part_max_s: float) -> tuple[float, ...]:
    """Cut points (seconds, one decimal) that split ``duration_s`` into equal parts of at most
    ``part_max_s``."""
    parts = max(1, math.ceil(duration_s / part_max_s))
    return tuple(round(duration_s * k / parts, 1) for k in range(1, parts))


def split_commands(file: str, points: tuple[float, ...]) -> str:
    """ffmpeg commands that cut ``file`` at ``points`` by stream copy, one part each."""
    pure = PurePosixPath(file)
    edges: list[float | None] = [None, *points, None]
    commands = []
    for k, (start, end) in enumerate(itertools.pairwise(edges), 1):
        args = ["ffmpeg"]
        if start is not None:
            args += ["-ss", f"{start:g}"]
        if end is not None:
            args += ["-to", f"{end:g}"]
        part = str(pure.with_name(f"{pure.stem}-{k}{pure.suffix}"))
        args += ["-i", file, "-c", "copy", "-movflags", "+faststart", part]
        commands.append(command_line(args))
    return " && ".join(commands)


def next_step(rule: str, settings: Settings, *, duration: float | None, file: str,
              re_encoded: bool) -> str:
    """The next step for ``rule`` at ``file`` (a path in the output folder), in
    ``settings.lang``."""
    lang = settings.lang
    if rule in ("V107", "V108") and duration:
        part_max = settings.advised_minutes * 60
        points = split_points(duration, part_max)
        text = say(lang, "split", parts=len(points) + 1, each=format_duration(part_max),
                   points=", ".join(format_duration(p) for p in points),
                   example=split_commands(file, points))
        return text + (say(lang, "split_keys") if re_encoded and rule == "V107" else "")
    if rule == "V204":
        return say(lang, "add_silence")
    if rule == "V102":
        return say(lang, "no_picture_no_sound")
    from coursecheck.rules import REGISTRY
    from coursecheck.rules.base import fix_first

    known = REGISTRY.get(rule)
    if known is None:
        return say(lang, "explain", rule=rule)
    return known.doc_in(lang).fix.removeprefix(fix_first(rule, lang))  # fix was just run

"""Facts + findings → what ``fix`` does with each file. Pure: nothing here touches a file.

A lesson is re-encoded when ``check`` flags it with a rule in :data:`FIXED_BY_ENCODING`, or with
V102 (no video: its audio goes over the cover, or a title slate when there is no usable cover),
or with V204 under ``--add-silence``. Every other lesson that is a regular file, the cover and the
manifest are copied byte for byte. Each finding the plan does not resolve becomes an
:class:`Unfixable` with the reason and the next step.
"""

from __future__ import annotations

import enum
import posixpath
from dataclasses import dataclass
from pathlib import Path

from coursecheck.cover import ACCEPTED_FORMATS
from coursecheck.facts import CourseFacts, LessonFacts
from coursecheck.findings import CourseResult, Finding
from coursecheck.fix.geometry import Geometry, fit
from coursecheck.fix.loudness import FIXED_BY_LOUDNORM, Loudness, course_target, loudness_for
from coursecheck.fix.names import mp4_name, out_path, renamed
from coursecheck.fix.nextstep import next_step, split_points
from coursecheck.paths import PathStatus
from coursecheck.rules.deep_content import wholly_silent
from coursecheck.rules.video import displayed_size
from coursecheck.settings import Settings

FIXED_BY_ENCODING = frozenset({"V101", "V103", "V104", "V105", "V106", "V201", "V202", "V203",
                               "V205"})


class Picture(enum.StrEnum):
    """Where the output's picture comes from."""

    VIDEO = "video"
    COVER = "cover"
    SLATE = "slate"


class Audio(enum.StrEnum):
    """What the output's audio track is."""

    KEEP = "keep"
    SILENCE = "silence"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Encode:
    """One lesson file to re-encode. ``output`` is a POSIX path relative to the output folder."""

    source: Path
    written: str
    output: str
    rules: tuple[str, ...]
    title: str
    geometry: Geometry | None
    picture: Picture = Picture.VIDEO
    still: Path | None = None
    deinterlace: bool = False
    audio: Audio = Audio.KEEP
    duration_s: float | None = None
    key_frames: tuple[float, ...] = ()
    loudness: Loudness | None = None  # normalise the audio (D104/D105)
    copy_video: bool = False  # only the audio changes: the video stream is copied


@dataclass(frozen=True, slots=True)
class Copy:
    """A file copied unchanged: the real source path and the POSIX output path."""

    source: Path
    output: str


@dataclass(frozen=True, slots=True)
class Unfixable:
    """A finding ``fix`` leaves alone: where, why (the finding's message) and what to do."""

    rule: str
    file: str
    line: int | None
    reason: str
    next_step: str


@dataclass(frozen=True, slots=True)
class FixPlan:
    """Everything one ``fix`` run will do: lessons to encode, lessons to copy, the cover and
    the manifest to copy, and ``(index, old, new)`` lesson ``file:`` values to rewrite in the
    copied manifest."""

    @property
    def outputs(self) -> int:
        """How many files the run writes."""
        return (len(self.encodes) + len(self.copies) + (self.cover is not None)
                + (self.manifest is not None))

    encodes: tuple[Encode, ...] = ()
    copies: tuple[Copy, ...] = ()
    cover: Copy | None = None
    manifest: Copy | None = None
    renames: tuple[tuple[int, str, str], ...] = ()
    unfixable: tuple[Unfixable, ...] = ()


def make_plan(facts: CourseFacts, result: CourseResult, settings: Settings,
              manifest: Path | None, add_silence: bool = False, out: str = "") -> FixPlan:
    """Decide, lesson by lesson, whether to re-encode or copy, and what stays unfixed.

    ``manifest`` is the source manifest's path (copied, with renamed lesson files rewritten);
    ``out`` is the output folder as the user wrote it, for the commands in next steps.
    """
    by_file: dict[str, set[str]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file, set()).add(finding.rule)
    groups = _distinct_files(facts.lessons)
    taken = {out_path(lessons[0].file) for lessons in groups}
    cover = facts.cover
    if cover:
        taken.add(out_path(cover.path.written))
    if manifest:
        taken.add(manifest.name)
    encodes: list[Encode] = []
    copies: list[Copy] = []
    renames: list[tuple[int, str, str]] = []
    resolved: dict[str, set[str]] = {}
    level = _level(facts, by_file, settings)
    for lessons in groups:
        first = lessons[0]
        rules = set().union(*(by_file.get(lesson.file, set()) for lesson in lessons))
        job = _encode_for(first, rules, facts, settings, add_silence, taken, level)
        if job is None:
            outputs = dict.fromkeys(out_path(lesson.file) for lesson in lessons)
            copies += [Copy(_real(first), output) for output in outputs]
            continue
        encodes.append(job)
        for lesson in lessons:
            resolved[lesson.file] = set(job.rules)
            if job.output != out_path(lesson.file):
                renames.append((lesson.entry.index, lesson.entry.lesson.file,
                                renamed(lesson.entry.lesson.file, job.output)))
    cover_copy = None
    if cover and cover.path.status is PathStatus.OK and cover.path.real is not None:
        cover_copy = Copy(cover.path.real, out_path(cover.path.written))
    unfixable = [_unfixable(f, facts, settings, resolved, encodes, out) for f in result.findings
                 if f.rule not in resolved.get(f.file, set())]
    kept = Copy(manifest, manifest.name) if manifest else None
    return FixPlan(tuple(encodes), tuple(copies), cover_copy, kept, tuple(renames),
                   tuple(unfixable))


def _distinct_files(lessons: tuple[LessonFacts, ...]) -> list[list[LessonFacts]]:
    """Readable-or-not regular lesson files, grouped by the real file they name."""
    groups: dict[Path, list[LessonFacts]] = {}
    for lesson in lessons:
        if lesson.path.status is PathStatus.OK and lesson.path.real is not None:
            groups.setdefault(lesson.path.real, []).append(lesson)
    return list(groups.values())


def _real(lesson: LessonFacts) -> Path:
    assert lesson.path.real is not None
    return lesson.path.real



def _level(facts: CourseFacts, by_file: dict[str, set[str]], settings: Settings) -> float:
    """The loudness normalised lessons are brought to: the profile's target, moved towards the
    lessons left as they are when that keeps the course's spread under D107's limit."""
    kept = [lesson.deep.loudness_lufs for lesson in facts.lessons
            if lesson.deep is not None and lesson.deep.loudness_lufs is not None
            and not wholly_silent(lesson.deep)
            and not by_file.get(lesson.file, set()) & FIXED_BY_LOUDNORM]
    return course_target(kept, settings.loudness_target, settings.loudness_tolerance,
                         settings.loudness_spread_max)


def _encode_for(lesson: LessonFacts, rules: set[str], facts: CourseFacts, settings: Settings,
                add_silence: bool, taken: set[str], level: float) -> Encode | None:
    media = lesson.media
    if media is None or media.error:
        return None
    fixing = rules & FIXED_BY_ENCODING
    if "V102" in rules and media.audio_formats:
        fixing.add("V102")
    if add_silence and "V204" in rules:
        fixing.add("V204")
    loud = rules & FIXED_BY_LOUDNORM
    loudness = (loudness_for(lesson.deep, level, settings.true_peak_max)
                if loud and media.audio_formats else None)
    if loudness is not None:
        fixing |= loud
    if not fixing:
        return None
    if fixing <= FIXED_BY_LOUDNORM and media.video is not None:
        return Encode(source=_real(lesson), written=lesson.file,
                      output=mp4_name(out_path(lesson.file), taken),
                      rules=tuple(sorted(fixing)), title=lesson.entry.lesson.title,
                      geometry=None, duration_s=media.video.duration_s, loudness=loudness,
                      copy_video=True)
    output = mp4_name(out_path(lesson.file), taken)
    video = media.video
    if video is None and not media.audio_formats:  # nothing to encode: V102 says so
        return None
    shown = displayed_size(video) if video else None
    picture, still = Picture.VIDEO, None
    if video is None:
        picture, still, shown = _still(facts, settings)
    duration = video.duration_s if video else None
    keys: tuple[float, ...] = ()
    if duration and duration > settings.max_minutes * 60:
        keys = split_points(duration, settings.advised_minutes * 60)
    audio = Audio.KEEP if media.audio_formats else (
        Audio.SILENCE if add_silence else Audio.NONE)
    return Encode(
        source=_real(lesson), written=lesson.file, output=output,
        rules=tuple(sorted(fixing)), title=lesson.entry.lesson.title,
        geometry=fit(*shown, settings.width, settings.height) if shown else None,
        picture=picture, still=still,
        deinterlace=video is not None and video.scan_type not in (None, "Progressive"),
        audio=audio, duration_s=duration, key_frames=keys, loudness=loudness)


def _still(facts: CourseFacts, settings: Settings
           ) -> tuple[Picture, Path | None, tuple[int, int] | None]:
    """The cover when it is a readable JPEG or PNG, else a slate of the target size."""
    cover = facts.cover
    image = cover.image if cover else None
    if (cover and cover.path.real and image and not image.error and image.width
            and image.height and image.format in ACCEPTED_FORMATS):
        return Picture.COVER, cover.path.real, (image.width, image.height)
    return Picture.SLATE, None, (settings.width, settings.height)




def _unfixable(finding: Finding, facts: CourseFacts, settings: Settings,
               resolved: dict[str, set[str]], encodes: list[Encode], out: str) -> Unfixable:
    lesson = next((x for x in facts.lessons if x.file == finding.file), None)
    duration = None
    if lesson and lesson.media and lesson.media.video:
        duration = lesson.media.video.duration_s
    output = next((e.output for e in encodes if e.written == finding.file),
                  out_path(finding.file))
    text = next_step(finding.rule, settings, duration=duration,
                     file=posixpath.join(out, output) if out else output,
                     re_encoded=finding.file in resolved)
    return Unfixable(finding.rule, finding.file, finding.line, finding.message, text)

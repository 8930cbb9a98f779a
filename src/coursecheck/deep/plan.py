"""Courses' facts → deep jobs → the same facts with :class:`DeepFacts` on each lesson."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from coursecheck.deep.batch import Job, Runner, run_jobs
from coursecheck.deep.facts import DeepFacts, Level, as_level
from coursecheck.deep.progress import deep_progress
from coursecheck.deep.runner import DeepParams
from coursecheck.deep.store import DeepStore
from coursecheck.facts import CourseFacts, LessonFacts
from coursecheck.paths import PathStatus
from coursecheck.settings import Settings

# ``check`` shows deep progress only when there is more than this much video to decode.
CHECK_PROGRESS_OVER_S = 180.0


def params_for(settings: Settings) -> DeepParams:
    """The detector settings of a course's configuration."""
    return DeepParams(black_min_s=settings.black_min_seconds,
                      freeze_min_s=settings.freeze_min_seconds, silence_db=settings.silence_db,
                      silence_min_s=settings.silence_min_seconds)


def job_for(lesson: LessonFacts, level: Level, params: DeepParams) -> Job | None:
    """The deep job for a lesson, or ``None`` when it is not decoded (unreadable, not a file
    inside the course, or neither video nor audio). A truncated file is decoded as far as it
    goes: D002 then says where it ends."""
    media, real = lesson.media, lesson.path.real
    if (media is None or media.error not in (None, "truncated") or real is None
            or lesson.path.status is not PathStatus.OK):
        return None
    has_video, has_audio = media.video is not None, bool(media.audio_formats)
    if not has_video and not has_audio:
        return None
    duration = media.video.duration_s if media.video else None
    return Job(str(real), level, params, has_video, has_audio, duration)


def with_deep(courses: Sequence[tuple[CourseFacts, Settings]], store: DeepStore, workers: int,
              progress: bool | None = None, runner: Runner | None = None,
              only: Callable[[Job], bool] | None = None) -> tuple[list[CourseFacts | None], bool]:
    """Each course's facts with deep facts on every lesson its settings ask to decode, and
    whether Ctrl-C stopped the work: then a course with a lesson left undone is ``None``.

    ``progress``: ``None`` shows it when there is more than a few minutes of video. ``runner``
    analyses what the store misses elsewhere (see :func:`run_jobs`); ``only`` keeps the jobs of
    one ``--shard`` (the courses with lessons left to other shards are then ``None``).
    """
    planned: list[list[Job | None]] = []
    for facts, settings in courses:
        level = as_level(settings.deep)
        if level is None:
            planned.append([None] * len(facts.lessons))
            continue
        params = params_for(settings)
        planned.append([job_for(lesson, level, params) for lesson in facts.lessons])
    jobs = list(dict.fromkeys(job for row in planned for job in row if job is not None))
    if only is not None:
        jobs = [job for job in jobs if only(job)]
    total = sum(job.duration_s or 0.0 for job in jobs)
    shown = total > CHECK_PROGRESS_OVER_S if progress is None else progress
    results: dict[Job, DeepFacts] = {}
    interrupted = False
    try:
        with deep_progress(total, shown) as tick:
            run_jobs(jobs, store, workers, tick, results, runner)
    except KeyboardInterrupt:
        interrupted = True
    done = [_attach(facts, row, results)
            if all(job is None or job in results for job in row) else None
            for (facts, _), row in zip(courses, planned, strict=True)]
    return done, interrupted


def _attach(facts: CourseFacts, row: list[Job | None],
            results: dict[Job, DeepFacts]) -> CourseFacts:
    lessons = tuple(replace(lesson, deep=results.get(job)) if job is not None else lesson
                    for lesson, job in zip(facts.lessons, row, strict=True))
    return replace(facts, lessons=lessons)

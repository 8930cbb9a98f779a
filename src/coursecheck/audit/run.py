"""Roots → course folders → plans → one pooled probe of every file → results → province rules."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from coursecheck.audit.discover import find_cases_and_statistics, find_courses
from coursecheck.audit.model import (
    AuditCase,
    AuditCourse,
    AuditResult,
)
from coursecheck.audit.pool import Tick
from coursecheck.audit.progress import progress
from coursecheck.audit.provinces import with_province_findings
from coursecheck.audit.snapshot import (
    Draft,
    Snapshots,
    course_snapshots,
    identify_lessons,
    recording,
)
from coursecheck.cache import answer_hits, open_probe_cache
from coursecheck.case import find_case, read_case
from coursecheck.cluster.engine import Engine, LocalEngine
from coursecheck.cluster.shard import Shard
from coursecheck.config import ConfigCache, check_selection, settings_for
from coursecheck.covercache import ImageReader, image_reader
from coursecheck.engine import crashed, evaluate, evaluate_case
from coursecheck.facts import CourseFacts
from coursecheck.findings import CourseResult
from coursecheck.gather import CoursePlan, complete, find_manifest, plan_course
from coursecheck.interrupts import SIGINT_EXIT, exit_code
from coursecheck.notes import Note
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts
from coursecheck.settings import Settings, default_lang
from coursecheck.spec import CASE_NAMES
from coursecheck.statistics import StatisticsFacts, read_statistics
from coursecheck.targets import CourseTarget, display_path
from coursecheck.text import printable
from coursecheck.zipsession import ZipSession, open_target


@dataclass(frozen=True, slots=True)
class _Course:
    """A course found: planned (``plan``), crashed while planning (``crash``), or answered
    whole by the course cache (``kept``); ``draft`` keeps a planned one in that cache."""

    root: Path
    display: str
    settings: Settings
    plan: CoursePlan | None
    crash: CourseResult | None = None
    kept: AuditCourse | None = None
    draft: Draft | None = None


def _plan(root: Path, options: RunOptions, configs: ConfigCache,
          read_cover: ImageReader, snapshots: Snapshots) -> _Course:
    display = display_path(root)
    settings = settings_for(root, options, configs)
    try:
        manifest = find_manifest(root)
        look = snapshots.look(root, display, settings, manifest)
        if look.kept is not None:
            return _Course(root, display, settings, None, kept=look.kept)
        draft = look.draft
        if draft is None:
            return _Course(root, display, settings, plan_course(root, manifest, read_cover))
        plan = plan_course(root, manifest, recording(read_cover, draft.ids), draft.raw,
                           draft.listing)
        identify_lessons(draft, plan)
        return _Course(root, display, settings, plan, draft=draft)
    except Exception as exc:
        return _Course(root, display, settings, None, crashed(display, settings, exc))


_Zipped = tuple[list[_Course], list[AuditCase], list[StatisticsFacts]]


def _plan_zip(path: Path, options: RunOptions, configs: ConfigCache, zips: ZipSession,
              notes: list[str]) -> _Zipped:
    """The courses a zip holds (one, or each course folder of a batch, with the batch's cases
    and statistics files), read through ``zips``; none (and a note) when it holds none."""
    display = display_path(path)
    settings = settings_for(path, options, configs)
    try:
        contents = open_target(zips, CourseTarget(path, None, display, zip=True), settings)
    except Exception as exc:
        return [_Course(path, display, settings, None, crashed(display, settings, exc))], [], []
    if not contents.targets:
        notes.append(Note("zip_no_course", path=printable(display)))
    courses = [_plan_target(t, settings) for t in contents.targets if not _names_case(t)]
    cases = [_case_in(t.root, t.display, settings) for t in contents.targets if _names_case(t)]
    stats = [replace(read_statistics(file, shown), settings=settings)
             for file, shown in contents.statistics]
    return courses, cases, stats


def _names_case(target: CourseTarget) -> bool:
    return target.manifest is not None and target.manifest.name in CASE_NAMES


def _plan_target(target: CourseTarget, settings: Settings) -> _Course:
    """One course read from a zip, with the zip's facts."""
    try:
        plan = plan_course(target.root, target.manifest)
        return _Course(target.root, target.display, settings,
                       CoursePlan(replace(plan.facts, archive=target.archive)))
    except Exception as exc:
        return _Course(target.root, target.display, settings, None,
                       crashed(target.display, settings, exc))


def audit(roots: Sequence[Path], options: RunOptions, jobs: int,
          zips: ZipSession | None = None, engine: Engine | None = None,
          shard: Shard | None = None) -> AuditResult:
    """Check every course under ``roots``; Ctrl-C or SIGTERM while probing returns what was
    finished, marked interrupted.

    ``engine`` runs the per-file work (the local pool by default); it first checks that it sees
    the files as this machine does, and raises :class:`~coursecheck.cluster.engine.ClusterError`
    when it does not or when it is lost. ``shard`` decodes only that slice of the lessons.

    Each course is checked with its own settings (see :mod:`coursecheck.config`); one
    :class:`ConfigCache` serves the whole run, so each configuration file is parsed once.
    Raises :class:`ConfigError` for a bad configuration file a course uses, or a ``--select`` /
    ``--ignore`` that names no rule. Zips are read through ``zips``, whose temporary folders
    the caller keeps until the exports are written; without one they last only this call.
    """
    if zips is None:
        with ZipSession() as own:
            return audit(roots, options, jobs, own, engine, shard)
    if engine is None:  # its workers last only this call
        local = LocalEngine(jobs)
        try:
            return audit(roots, options, jobs, zips, local, shard)
        finally:
            local.close()
    check_selection(options)
    notes: list[str] = []
    with course_snapshots(options, notes) as snapshots:  # its note joins ``notes`` at the end
        result = _audit(roots, options, jobs, zips, engine, shard, snapshots, notes)
    return replace(result, notes=tuple(notes), engine=engine.describe())


def _audit(roots: Sequence[Path], options: RunOptions, jobs: int, zips: ZipSession,
           engine: Engine, shard: Shard | None, snapshots: Snapshots, notes: list[str]
           ) -> AuditResult:
    """:func:`audit`'s work, without its notes (they go to ``notes``) and engine."""
    configs = ConfigCache()
    zipped = [root for root in roots if _is_zip_file(root)]  # a zip named as a ROOT
    folders = [root for root in roots if root not in zipped]
    roots_found = find_courses(folders, notes, zipped)
    courses: list[_Course] = []
    # a re-run decodes no cover; a national round's thousands of manifests show their progress
    with image_reader(options, notes=notes) as read_cover, \
            progress(len(roots_found), "reading", "courses") as tick:
        for root in roots_found:
            courses.append(_plan(root, options, configs, read_cover, snapshots))
            tick(1)
    from_zips = [_plan_zip(path, options, configs, zips, notes) for path in zipped]
    courses = sorted([*courses, *(c for z in from_zips for c in z[0])], key=lambda c: c.display)
    files = list(dict.fromkeys(itertools.chain.from_iterable(
        c.plan.to_probe for c in courses if c.plan is not None)))
    members = [path for path in files if path in zips.members]
    files = [path for path in files if path not in zips.members]
    engine.check_paths([_real(root) for root in folders],
                       [c.plan.to_probe[0] for c in courses if c.plan and c.plan.to_probe
                        and c.plan.to_probe[0] not in zips.members])
    probed: dict[Path, MediaFacts] = {}
    stopped = 0
    try:
        with progress(len(files) + len(members)) as tick:
            _probe_members(members, zips, options, tick, notes, probed)
            # every cache hit here first: a warm run starts no worker
            known = {path: found for c in courses if c.draft for path, found in
                     c.draft.ids.items()}
            files = answer_hits(files, options, probed, tick, known=known)
            engine.probe_all(files, options, jobs, tick, notes, probed)
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (coursecheck.interrupts)
        stopped = exit_code(exc)
    gathered = [_complete(c, probed) for c in courses]
    if not stopped and any(c.settings.deep != "off" for c in courses):
        zips.unpack_all()  # deep decodes the lessons themselves
        gathered, deep_stopped = _deepen(courses, gathered, options, jobs, notes, engine,
                                         shard)
        stopped = SIGINT_EXIT if deep_stopped else 0
    audited = [_finish(c, facts) for c, facts in zip(courses, gathered, strict=True)]
    for course, facts, checked in zip(courses, gathered, audited, strict=True):
        if course.draft is not None and facts is not None and checked is not None:
            snapshots.keep(course.draft, facts, checked)
    done = [a for a in audited if a is not None]
    case_roots, stats_files = find_cases_and_statistics(folders)
    cases = [*(_case(root, options, configs) for root in case_roots),
             *(c for z in from_zips for c in z[1])]
    stats = sorted([*(_statistics(p, options, configs) for p in stats_files),
                    *(s for z in from_zips for s in z[2])], key=lambda s: s.path)
    lang = courses[0].settings.lang if courses else options.lang or default_lang()
    return replace(with_province_findings(done, cases, stats), interrupted=bool(stopped),
                   exit_code=stopped, found=len(courses), lang=lang)


def _is_zip_file(path: Path) -> bool:
    """Whether ``path`` is a ``*.zip`` file (not a folder named so)."""
    try:
        return path.suffix.lower() == ".zip" and path.is_file()
    except OSError:
        return False


def _real(root: Path) -> Path:
    try:
        return root.resolve()
    except (OSError, RuntimeError):
        return root.absolute()


def _probe_members(members: list[Path], zips: ZipSession, options: RunOptions, tick: Tick,
                   notes: list[str], probed: dict[Path, MediaFacts]) -> None:
    """Zipped lessons: from the probe cache when the zip has not changed, else unpacked and
    probed by a bounded worker (:mod:`coursecheck.workers`)."""
    if not members:
        return
    from coursecheck.workers import ProbePool

    with ProbePool(options, 1) as pool, open_probe_cache(options, notes, raw=pool.probe) as cache:
        for path in members:
            probed[path] = zips.facts(path, cache, pool.probe)
            tick(1)


def _complete(course: _Course, probed: dict[Path, MediaFacts]) -> CourseFacts | None:
    """A course's facts if all its files were probed (``None`` if the run stopped first, or
    the course could not be planned)."""
    if course.plan is None or any(path not in probed for path in course.plan.to_probe):
        return None
    return complete(course.plan, probed.__getitem__)


def _deepen(courses: Sequence[_Course], gathered: list[CourseFacts | None],
            options: RunOptions, jobs: int, notes: list[str], engine: Engine,
            shard: Shard | None) -> tuple[list[CourseFacts | None], bool]:
    """``--deep``: decode the lessons of every gathered course in one batch (see
    :mod:`coursecheck.deep.plan`); on Ctrl-C a course with a lesson left undone is dropped."""
    from coursecheck.deep.plan import with_deep
    from coursecheck.deep.store import deep_store
    from coursecheck.tools import find_ffmpeg

    if find_ffmpeg()[0] is None:
        notes.append(Note("deep_no_ffmpeg"))
        return gathered, False
    pairs = [(facts, c.settings) for c, facts in zip(courses, gathered, strict=True)
             if facts is not None]
    with deep_store(options, [c.root for c in courses], notes) as store:
        done, interrupted = with_deep(
            pairs, store, jobs, progress=True, runner=engine.deep_runner,
            only=(lambda job: shard.holds(job.path)) if shard else None)
    deepened = iter(done)
    return [next(deepened) if facts is not None else None for facts in gathered], interrupted


def _finish(course: _Course, facts: CourseFacts | None) -> AuditCourse | None:
    """Evaluate one course; ``None`` if the run stopped before its facts were complete."""
    if course.kept is not None:
        return course.kept
    if course.plan is None:
        assert course.crash is not None
        return AuditCourse(course.crash, course.root, settings=course.settings)
    if facts is None:
        return None
    try:
        result = evaluate(facts, course.settings, course.display)
    except Exception as exc:
        return AuditCourse(crashed(course.display, course.settings, exc), course.root,
                           settings=course.settings)
    return AuditCourse(result, course.root, facts.manifest, course.settings)


def _case(root: Path, options: RunOptions, configs: ConfigCache) -> AuditCase:
    """Check one learning-centre case folder with its own settings."""
    return _case_in(root, display_path(root), settings_for(root, options, configs))


def _case_in(root: Path, display: str, settings: Settings) -> AuditCase:
    """Check one learning-centre case folder, shown as ``display``, with ``settings``."""
    try:
        facts = read_case(find_case(root))
        return AuditCase(evaluate_case(facts, settings, display), root, facts, settings)
    except Exception as exc:
        return AuditCase(crashed(display, settings, exc), root, settings=settings)


def _statistics(path: Path, options: RunOptions, configs: ConfigCache) -> StatisticsFacts:
    """A statistics file, with the settings of its folder (for a province with no projects)."""
    return replace(read_statistics(path, display_path(path)),
                   settings=settings_for(path.parent, options, configs))

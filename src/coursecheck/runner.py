"""One ``check`` run: options → targets → settings → results → reports → exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TextIO

from coursecheck.cache import open_probe_cache
from coursecheck.config import ConfigCache, ConfigError, settings_for
from coursecheck.covercache import ImageReader, image_reader
from coursecheck.engine import check_course, crashed, is_case_target
from coursecheck.findings import CourseResult
from coursecheck.gather import Prober
from coursecheck.interrupts import exit_code as interrupt_exit_code
from coursecheck.messages import ui
from coursecheck.notes import Note, note_line
from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts
from coursecheck.reporters import FORMATS, reporter
from coursecheck.settings import Settings, default_lang
from coursecheck.targets import CourseTarget, targets_for
from coursecheck.text import printable
from coursecheck.uilang import error_line, word
from coursecheck.workers import ProbePool
from coursecheck.zipsession import ZipSession, open_target


def exit_code(results: Sequence[CourseResult], strict: bool, exit_zero: bool = False) -> int:
    """1 when any course has an error (or, with ``strict``, a warning); 0 otherwise or with
    ``exit_zero``."""
    if exit_zero:
        return 0
    if any(r.errors for r in results):
        return 1
    return 1 if strict and any(r.warnings for r in results) else 0


def stdout_formats(fmt: str, environ: dict[str, str] | None = None) -> list[str]:
    """The formats to print: ``auto`` is text, plus GitHub annotations inside GitHub Actions."""
    env = os.environ if environ is None else environ
    if fmt == "auto":
        with_github = env.get("GITHUB_ACTIONS") == "true"
        return ["text", "github"] if with_github else ["text"]
    return [fmt]


def _error(text: str) -> int:
    print(error_line(text), file=sys.stderr)
    return 2


def unwritable(path: Path) -> str:
    """Why ``path`` cannot be written, or an empty string."""
    try:
        if path.is_dir():
            return "it is a folder"
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            return f"folder {parent} does not exist"
        if not os.access(parent, os.W_OK):
            return f"folder {parent} is not writable"
    except OSError as exc:  # a name too long, a loop in the path
        return exc.strerror or str(exc)
    return ""


def run_check(options: RunOptions) -> int:
    """Check every course the options name, write the reports, return the exit code.

    Files the probe cache cannot answer are probed one at a time by a bounded worker process
    (:mod:`coursecheck.workers`), never in this process.
    """
    formats = stdout_formats(options.fmt)
    unknown = [f for f in formats + [name for name, _ in options.outputs] if f not in FORMATS]
    if unknown:
        return _error(f"unknown format {unknown[0]!r}; choose from "
                      f"{', '.join(['auto', *FORMATS])}")
    for _name, path in options.outputs:
        problem = unwritable(path)
        if problem:
            return _error(f"cannot write --output {path}: {problem}")
    targets, strays = targets_for(options.paths)
    try:
        configs = ConfigCache()  # a config file shared by many courses is parsed once
        settings = [settings_for(t.root, options, configs) for t in targets]
    except ConfigError as exc:
        return _error(str(exc))
    # each course's settings already put --lang first; with no course, fall back the same way
    lang = settings[0].lang if settings else (options.lang or default_lang())
    for stray in strays:
        print(note_line(Note("stray", path=printable(str(stray))), lang), file=sys.stderr)
    notes: list[str] = []
    results: list[CourseResult] = []
    roots = [t.root for t in targets]
    deep = any(s.deep != "off" for s in settings)
    if deep and not _have_ffmpeg():
        return _error("--deep needs ffmpeg: install imageio-ffmpeg, put ffmpeg on PATH or set "
                      "COURSECHECK_FFMPEG (`coursecheck doctor` shows what was found)")
    empty: list[str] = []
    try:
        # one worker probes (a course's files one at a time); --deep decodes in up to --jobs
        with ZipSession() as zips, ProbePool(options, options.jobs) as pool, open_probe_cache(
                options, notes, roots, raw=pool.probe) as cache, image_reader(
                options, roots, notes) as read_cover:
            targets, settings, empty = _opened(targets, settings, zips)
            plain = pool.probe if cache is None else cache.probe
            with _progress(zips.prober(plain, cache, pool.probe)) as shown:
                if deep:
                    from coursecheck.deep.check import check_deep, gather_all

                    # a case has no lessons to decode: checked as without --deep
                    cases = {i: _checked(t, s, shown, read_cover) for i, (t, s) in
                             enumerate(zip(targets, settings, strict=True)) if _is_case(t)}
                    courses = [i for i in range(len(targets)) if i not in cases]
                    gathered = gather_all([targets[i] for i in courses],
                                          [settings[i] for i in courses], shown, read_cover)
                else:
                    for target, course_settings in zip(targets, settings, strict=True):
                        results.append(_checked(target, course_settings, shown, read_cover))
            if deep:  # after the probing display has ended: decoding shows its own
                zips.unpack_all()  # deep decodes the lessons themselves
                from coursecheck.deep.batch import in_workers

                deepened = iter(check_deep([targets[i] for i in courses],
                                           [settings[i] for i in courses], gathered, options,
                                           roots, in_workers(pool)))
                results = [cases[i] if i in cases else next(deepened)
                           for i in range(len(targets))]
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM (coursecheck.interrupts)
        print(f"coursecheck: {ui(lang, 'check_interrupted')}", file=sys.stderr)
        return interrupt_exit_code(exc)
    for name in empty:
        _error(f"{name} holds no course: no course.yaml at its top or in its one top folder, "
               "and no video or audio file")
    failed = False
    docs_url = settings[0].docs_base_url if settings else None
    for fmt in formats:  # a report that fails on stdout must not keep the files from being written
        writer = partial(reporter(fmt, docs_url).write, results, lang=lang)
        failed = not write_report(writer, sys.stdout, f"the {fmt} report") or failed
    for name, path in options.outputs:
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as stream:
                reporter(name, docs_url).write(results, stream, lang)
        except Exception as exc:  # one line; the other files are still written
            why = exc.strerror if isinstance(exc, OSError) else None
            _error(f"cannot write --output {path}: {why or f'{type(exc).__name__}: {exc}'}")
            failed = True
    for note in notes:
        print(note_line(note, lang), file=sys.stderr)
    return 2 if failed or empty else exit_code(results, options.strict, options.exit_zero)


def _opened(targets: list[CourseTarget], settings: list[Settings], zips: ZipSession
            ) -> tuple[list[CourseTarget], list[Settings], list[str]]:
    """The targets with each zip read into the courses (and cases) it holds, their settings, and
    the zips that hold no course."""
    kept: list[tuple[CourseTarget, Settings]] = []
    empty: list[str] = []
    for target, course_settings in zip(targets, settings, strict=True):
        if not target.zip:
            kept.append((target, course_settings))
            continue
        opened = open_target(zips, target, course_settings).targets
        if not opened:
            empty.append(target.display)
        kept.extend((course, course_settings) for course in opened)
    return [t for t, _ in kept], [s for _, s in kept], empty


def write_report(write: Callable[[TextIO], None], stream: TextIO, what: str) -> bool:
    """Run ``write(stream)``; on any failure print one line on stderr and return ``False``,
    so the caller still writes its other reports and files."""
    try:
        write(stream)
        stream.flush()
    except Exception as exc:  # a closed pipe, an encoding the stream lacks, a reporter's bug
        _error(f"could not write {what} to {getattr(stream, 'name', 'the output')}: "
               f"{type(exc).__name__}: {exc}")
        return False
    return True


def _have_ffmpeg() -> bool:
    from coursecheck.tools import find_ffmpeg

    return find_ffmpeg()[0] is not None


def _is_case(target: CourseTarget) -> bool:
    """Whether ``target`` is a learning-centre case (false when that cannot be looked at)."""
    try:
        return is_case_target(target)
    except OSError:
        return False


def _checked(target: CourseTarget, settings: Settings, prober: Prober,
             read_cover: ImageReader) -> CourseResult:
    """One course; a crash becomes an X001 finding on it and the other courses go on."""
    try:
        return check_course(target, settings, prober, read_cover)
    except Exception as exc:
        return crashed(target.display, settings, exc)


@contextmanager
def _progress(prober: Prober) -> Iterator[Prober]:
    """Wrap ``prober`` to show which file is being read, on stderr, when it is a terminal."""
    if not sys.stderr.isatty():
        yield prober
        return
    from rich.console import Console

    with Console(stderr=True).status("…") as status:
        def shown(path: Path) -> MediaFacts:
            status.update(f"{word('probing')} {path.name}")
            return prober(path)
        yield shown

"""Run an audit for the command line: the check, the report on stdout, the export files."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from coursecheck.audit.model import AuditResult
from coursecheck.audit.run import audit
from coursecheck.cluster.engine import ClusterError, Engine, open_engine
from coursecheck.cluster.shard import Shard
from coursecheck.config import ConfigError
from coursecheck.findings import CourseResult
from coursecheck.messages import ui
from coursecheck.notes import note_line
from coursecheck.options import RunOptions
from coursecheck.reporters.json_reporter import json_text
from coursecheck.runner import exit_code, unwritable, write_report
from coursecheck.text import printable
from coursecheck.uilang import error_line
from coursecheck.zipsession import ZipSession

INTERRUPTED = 130


def _error(text: str) -> int:
    print(error_line(text), file=sys.stderr)
    return 2


def run_audit_command(options: RunOptions, jobs: int, details: bool, *, xlsx: Path | None,
                      csv: Path | None, html: Path | None, package: Path | None = None,
                      scheduler: str | None = None, max_readers: int | None = None,
                      shard: Shard | None = None) -> int:
    """Audit, print, export; return the exit code (130 when interrupted, 143 when terminated,
    2 for a bad option, a bad configuration, an export that cannot be written, or a Dask
    cluster that cannot be used). With ``shard``, only that slice is decoded into the cache and
    no report is made."""
    exports = [(option, path) for option, path in (("--xlsx", xlsx), ("--csv", csv),
                                                   ("--html", html), ("--package", package))
               if path is not None]
    for option, path in exports:  # before any work, like ``check --output``
        # an OSError (a name too long, say) comes back as a problem; --package is a folder,
        # which the command has checked
        problem = "" if option == "--package" else unwritable(path)
        if problem:
            return _error(f"cannot write {option} {printable(str(path))}: {problem}")
    try:
        engine = open_engine(scheduler, jobs, max_readers)
    except ClusterError as exc:
        return _error(str(exc))
    try:
        with ZipSession() as zips:  # the zips' folders stay until the exports are written
            return _audit_and_export(options, jobs, details, exports, zips, engine, shard)
    finally:
        engine.close()


def _audit_and_export(options: RunOptions, jobs: int, details: bool,
                      exports: list[tuple[str, Path]], zips: ZipSession, engine: Engine,
                      shard: Shard | None) -> int:
    try:
        result = audit(options.paths, options, jobs, zips, engine, shard)
    except (ConfigError, ClusterError) as exc:
        return _error(str(exc))
    lang = result.lang
    if shard is not None:
        for note in result.notes:
            print(note_line(note, lang), file=sys.stderr)
        print(f"coursecheck: {ui(lang, 'shard_done', shard=shard)}", file=sys.stderr)
        return INTERRUPTED if result.interrupted else 0
    if not result.found and not result.cases:  # a run that checked nothing is no success
        for note in result.notes:
            print(note_line(note, lang), file=sys.stderr)
        roots = ", ".join(printable(str(p)) for p in options.paths)
        return _error(ui(lang, "no_courses", roots=roots))
    if any(option in ("--html", "--package") for option, _ in exports):
        zips.unpack_all()  # their thumbnails are made from the lessons themselves
    # a report that fails on stdout must not keep the exports from being written
    failed = not write_report(lambda stream: _write_stdout(result, stream, options.fmt, details),
                              sys.stdout, f"the {options.fmt} report")
    run = ExportRun(lang, options, jobs)
    for option, path in exports:
        if option == "--package" and result.interrupted:  # never an incomplete submission
            print(note_line(ui(lang, "package_skipped"), lang), file=sys.stderr)
            continue
        try:
            EXPORTS[option](result, path, run)
        except OSError as exc:  # one line; the other exports are still written
            _error(f"cannot write {option} {printable(str(path))}: {exc.strerror or exc}")
            failed = True
        except Exception as exc:  # a bug in one export must not cost the others
            _error(f"cannot write {option} {printable(str(path))}: {type(exc).__name__}: {exc}")
            failed = True
        except KeyboardInterrupt as exc:  # what was written stays; say what was not, and why
            shown = printable(str(path))
            made = getattr(exc, "made", None)
            text = (ui(lang, "thumbs_interrupted", path=shown, made=made,
                       total=getattr(exc, "total", "?"))
                    if made is not None else
                    ui(lang, "export_interrupted", option=option, path=shown))
            print(f"coursecheck: {text}", file=sys.stderr)
            return INTERRUPTED
    for note in (*result.notes, *run.notes):
        print(note_line(note, lang), file=sys.stderr)
    if result.interrupted:
        print("coursecheck: " + ui(lang, "interrupted", done=len(result.courses),
                                   found=result.found), file=sys.stderr)
        return result.exit_code or INTERRUPTED
    if failed:
        return 2
    # the province findings count like one more course's findings
    provinces = CourseResult("", None, findings=tuple(result.province_findings))
    return exit_code([*result.results, *result.case_results, provinces], options.strict,
                     options.exit_zero)


def _write_stdout(result: AuditResult, stream: TextIO, fmt: str, details: bool) -> None:
    if fmt == "json":
        stream.write(json_text(result.to_dict()))
    else:
        from coursecheck.audit.text_report import write_audit_text  # rich: only for text

        write_audit_text(result, stream, result.lang, details)


@dataclass(frozen=True, slots=True)
class ExportRun:
    """What an export may use besides the result: the report's language, the run's options and
    process count, and a list of notes printed at the end."""

    lang: str
    options: RunOptions
    jobs: int
    notes: list[str] = field(default_factory=list)


# Each export's module is imported only when that export is asked for.
def _write_xlsx(result: AuditResult, path: Path, run: ExportRun) -> None:
    from coursecheck.audit.xlsx import write_xlsx

    write_xlsx(result, path, run.lang)


def _write_csv(result: AuditResult, path: Path, _run: ExportRun) -> None:
    from coursecheck.audit.csv_export import write_csv

    write_csv(result, path)


def _write_package(result: AuditResult, path: Path, run: ExportRun) -> None:
    from coursecheck.audit.html_thumbs import thumbnails
    from coursecheck.audit.package import write_package

    thumbs = thumbnails(result.courses, run.options, run.jobs, run.notes)
    write_package(result, path, run.lang, thumbs)


def _write_html(result: AuditResult, path: Path, run: ExportRun) -> None:
    from coursecheck.audit.html import write_html
    from coursecheck.audit.html_thumbs import thumbnails

    thumbs = thumbnails(result.courses, run.options, run.jobs, run.notes)
    write_html(result, path, run.lang, thumbs)


Exporter = Callable[[AuditResult, Path, ExportRun], None]
EXPORTS: dict[str, Exporter] = {"--xlsx": _write_xlsx, "--csv": _write_csv, "--html": _write_html,
                                 "--package": _write_package}

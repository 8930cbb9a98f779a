"""``coursecheck audit``: batch-check a province's course folders and export the results."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coursecheck.app import LangOpt, app, unusable, usage_error
from coursecheck.commands.check import deep_level, rule_ids

if TYPE_CHECKING:
    from coursecheck.cluster.shard import Shard

EPILOG = (
    "[bold]Examples[/bold]\n\n"
    "  coursecheck audit 浙江省申报/ --xlsx 汇总表.xlsx --html 核查报告.html\n\n"
    "  coursecheck audit provinces/ --jobs 4 --details\n\n"
    "  coursecheck audit provinces/ --format json > audit.json\n\n"
    "  coursecheck audit provinces/ --csv findings.csv\n\n"
    "  coursecheck audit provinces/ --package 申报材料\n\n"
    "  coursecheck audit 浙江省.zip --xlsx 汇总表.xlsx\n"
    "      each course folder in the zip is checked as a course\n\n"
    "  coursecheck audit /mnt/share/2026/ --deep --scheduler tcp://10.0.0.5:8786\n\n"
    "Every folder holding course.yaml (or course.yml) under each ROOT is a course, every folder "
    "holding case.yaml a learning-centre case, and a statistics.yaml at the top of a province's "
    "folder its Annex 5 statistics; folders inside a course or case are not searched. Ctrl-C "
    "stops cleanly and reports what was checked (exit 130; SIGTERM likewise, exit 143).\n\n"
    "Exit codes: 0 no errors · 1 errors (or warnings with --strict) · 2 usage or internal error "
    "· 130 interrupted · 143 terminated.")


@app.command(epilog=EPILOG)
def audit(
    roots: Annotated[list[Path], typer.Argument(
        metavar="ROOT", help="Folders holding course folders (at any depth), or zips of them.",
        show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    details: Annotated[bool, typer.Option(
        "--details", help="Show the findings of every course, not only failing ones.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Processes probing in parallel (default: CPU count).")
                    ] = None,
    xlsx: Annotated[Path | None, typer.Option(
        "--xlsx", help="Write the Annex 3 summary table workbook (Excel).")] = None,
    csv: Annotated[Path | None, typer.Option(
        "--csv", help="Write every finding as CSV (UTF-8 with BOM, opens in Excel).")] = None,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Write a self-contained HTML report for a browser.")] = None,
    package: Annotated[Path | None, typer.Option(
        "--package", help="Write the whole submission, one folder per province: Annex 3 "
                          "(xlsx), Annex 4 per case (docx), Annex 5 (xlsx), the HTML report "
                          "and 未纳入清单.txt. The folder must not exist (see --force).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Let --package replace an existing folder.")] = False,
    lang: LangOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Exit 0 even when there are errors.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file.")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", help="Only these rule IDs or prefixes (e.g. V1,A). Repeatable.")] = None,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", help="Skip these rule IDs or prefixes (e.g. V2,A004). Repeatable.")] = None,
    cache_dir: Annotated[Path | None, typer.Option(
        "--cache-dir", help="Where to keep the cache: probe results, covers, thumbnails and each "
        "checked course whole (default: the user cache dir).")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="Read and check every file and course afresh; read and write no cache.")
                        ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
                     ] = False,
    deep: Annotated[str | None, typer.Option(
        "--deep", metavar="[quick|full]",
        help="Decode every lesson once and check what headers cannot show (D-rules): full "
             "decodes everything, quick only the audio and the packets.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="tcp://HOST:8786",
        help="Run the probes and the deep analysis on this Dask cluster (default: "
             "$COURSECHECK_SCHEDULER, else this machine). Needs coursecheck\\[dask] and the "
             "folders at the same path on every worker.")] = None,
    max_readers: Annotated[int | None, typer.Option(
        "--max-readers", min=1, help="At most this many lessons read at once on the cluster, "
                                     "to spare a file server (default: no limit).")] = None,
    shard: Annotated[str | None, typer.Option(
        "--shard", metavar="K/N", help="Decode only the K-th of N stable slices of the "
        "lessons into the cache, and report nothing (for SLURM/PBS array jobs); a final "
        "audit --deep without --shard reports them all.")] = None,
) -> None:
    """Check every course folder under ROOT and export the province summary table.

    批量核查一个或多个文件夹下的全部课程，并导出附件3汇总表。
    """
    from coursecheck.options import RunOptions

    roots = list(roots)
    level = deep_level(deep, roots)
    problems = [problem for p in roots
                if (problem := unusable(p, folder=p.suffix.lower() != ".zip"))]
    if problems:
        if problems[0].startswith("not a folder: "):  # a course.yaml or a lesson, say
            shown = problems[0].removeprefix("not a folder: ")
            usage_error(f"not a folder or a zip: {shown}; audit takes folders and zips "
                        f"(`coursecheck check {shown}` checks the course it is in)")
        usage_error(problems[0])
    if format not in ("text", "json"):
        usage_error(f"unknown format {format!r} for audit; choose text or json")
    if config is not None and not config.is_file():
        usage_error(f"config file does not exist: {config}")
    if package is not None:
        _check_package(package, force)
    for option, export in (("--xlsx", xlsx), ("--csv", csv), ("--html", html)):
        if export is not None:
            _refuse_inside_a_course(option, export)
    from coursecheck.cluster.engine import dask_missing, scheduler_address

    address = scheduler_address(scheduler)
    if address is not None and (missing := dask_missing()):
        usage_error(missing)
    sliced = _shard(shard, level, no_cache, (xlsx, csv, html, package)) if shard else None
    options = RunOptions(paths=tuple(roots), fmt=format, lang=lang.value if lang else None,
                         strict=strict, exit_zero=exit_zero, config=config,
                         select=rule_ids(select), ignore=rule_ids(ignore),
                         cache_dir=cache_dir, no_cache=no_cache, deep=level,
                         course_config=False)
    from coursecheck.audit.report import run_audit_command

    raise typer.Exit(run_audit_command(options, jobs or os.cpu_count() or 1, details,
                                       xlsx=xlsx, csv=csv, html=html, package=package,
                                       scheduler=address, max_readers=max_readers,
                                       shard=sliced))


def _shard(text: str, level: str | None, no_cache: bool, exports: tuple[Path | None, ...]
           ) -> Shard:
    """``--shard K/N``, or a usage error: it needs --deep and the cache, and makes no report."""
    from coursecheck.cluster.shard import parse_shard

    try:
        sliced = parse_shard(text)
    except ValueError as exc:
        usage_error(str(exc))
    if level is None:
        usage_error("--shard needs --deep: it decodes a slice of the lessons into the cache")
    if no_cache:
        usage_error("--shard keeps its results in the cache, so it cannot run with --no-cache")
    if any(path is not None for path in exports):
        usage_error("--shard makes no report; export from the final audit without --shard")
    return sliced


def _check_package(package: Path, force: bool) -> None:
    """A usage error, before any work, for a --package folder that cannot be written."""
    if package.exists() and not force:
        usage_error(f"--package {package} already exists; choose a new folder or add --force")
    if package.exists() and not package.is_dir():
        usage_error(f"--package {package} is a file, not a folder")
    parent = package.parent if str(package.parent) else Path(".")
    if not parent.is_dir():
        usage_error(f"--package {package}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        usage_error(f"--package {package}: folder {parent} is not writable")
    _refuse_inside_a_course("--package", package)


def _refuse_inside_a_course(option: str, path: Path) -> None:
    """A usage error for an output inside a course or case folder: coursecheck never writes
    into one (the next audit would also find the export among the course's files)."""
    from coursecheck.case import find_case
    from coursecheck.gather import find_manifest

    parent = (path.parent if str(path.parent) else Path(".")).resolve()
    for folder in (parent, *parent.parents):
        if find_manifest(folder) is not None or find_case(folder) is not None:
            usage_error(f"{option} {path} is inside the course or case folder {folder}; "
                        "coursecheck never writes into one")

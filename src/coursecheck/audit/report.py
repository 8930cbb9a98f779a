"""Run an audit for the command line: the check, the report on stdout, the export files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from coursecheck.audit.csv_export import write_csv
from coursecheck.audit.model import AuditResult
from coursecheck.audit.run import audit
from coursecheck.audit.text_report import write_audit_text
from coursecheck.audit.xlsx import write_xlsx
from coursecheck.config import ConfigError
from coursecheck.messages import ui
from coursecheck.options import RunOptions
from coursecheck.runner import exit_code
from coursecheck.settings import default_lang

INTERRUPTED = 130


def run_audit_command(options: RunOptions, jobs: int, details: bool, *, xlsx: Path | None,
                      csv: Path | None, html: Path | None) -> int:
    """Audit, print, export; return the exit code (130 when interrupted)."""
    lang = options.lang or default_lang()
    try:
        result = audit(options.paths, options, jobs)
    except ConfigError as exc:
        print(f"coursecheck: error: {exc}", file=sys.stderr)
        return 2
    if not result.found:
        roots = ", ".join(str(p) for p in options.paths)
        print(f"coursecheck: note: {ui(lang, 'no_courses', roots=roots)}", file=sys.stderr)
    if options.fmt == "json":
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_audit_text(result, sys.stdout, lang, details)
    _export(result, lang, xlsx=xlsx, csv=csv, html=html)
    for note in result.notes:
        print(f"coursecheck: note: {note}", file=sys.stderr)
    if result.interrupted:
        print("coursecheck: " + ui(lang, "interrupted", done=len(result.courses),
                                   found=result.found), file=sys.stderr)
        return INTERRUPTED
    code = exit_code(result.results, options.strict, options.exit_zero)
    if not options.exit_zero and any(f.severity == "error" for f in result.province_findings):
        code = 1
    if not options.exit_zero and options.strict and result.province_findings:
        code = 1
    return code


def _export(result: AuditResult, lang: str, *, xlsx: Path | None, csv: Path | None,
            html: Path | None) -> None:
    if xlsx is not None:
        write_xlsx(result, xlsx, lang)
    if csv is not None:
        write_csv(result, csv)
    if html is not None:
        from coursecheck.audit.html import write_html

        write_html(result, html, lang)

"""``--csv``: every finding, one per row, UTF-8 with a BOM so Excel shows Chinese correctly."""

from __future__ import annotations

import csv
from pathlib import Path

from coursecheck.audit.model import AuditResult

HEADER = ["course", "province", "file", "line", "rule", "severity", "message", "expected",
          "actual"]


def write_csv(audit: AuditResult, path: Path) -> None:
    """Write the findings of every course, then the province findings."""
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for course in audit.courses:
            for f in course.result.findings:
                writer.writerow([course.result.path, course.province, f.file, f.line or "",
                                 f.rule, f.severity, f.message, f.expected or "", f.actual or ""])
        for report in audit.provinces:
            for f in report.findings:
                writer.writerow(["", report.province, f.file, f.line or "", f.rule, f.severity,
                                 f.message, f.expected or "", f.actual or ""])

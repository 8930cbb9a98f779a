"""``--html``: a self-contained HTML report (placeholder until the HTML report lands)."""

from __future__ import annotations

import html
from pathlib import Path

from coursecheck.audit.model import AuditResult


def write_html(result: AuditResult, path: Path, lang: str) -> None:
    """Write a minimal page listing each course and its verdict."""
    rows = "".join(f"<li>{html.escape(c.result.path)}: {c.result.verdict}</li>"
                   for c in result.courses)
    path.write_text(f"<!doctype html><meta charset='utf-8'><ul>{rows}</ul>", encoding="utf-8")

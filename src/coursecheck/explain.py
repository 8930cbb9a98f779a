"""``coursecheck rules`` and ``coursecheck explain``: the rule catalogue for people and tools."""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coursecheck.ruledocs import page_url
from coursecheck.rules import REGISTRY, ordered

_PAGE_HEADING = {"en": "Documentation page", "zh": "说明页"}
_SEVERITY_HEADING = {"en": "Default severity", "zh": "默认级别"}
_COLUMNS = {"en": ("ID", "severity", "summary"), "zh": ("编号", "默认级别", "检查内容")}


def severity_word(severity: str, lang: str) -> str:
    """``error``/``warning`` in ``lang`` (错误/警告 in Chinese)."""
    from coursecheck.messages import ui

    return ui(lang, severity) if severity in ("error", "warning") else severity


def catalogue(lang: str) -> list[dict[str, str]]:
    """Every rule as ``{"id", "severity", "scope", "summary"}``."""
    return [{"id": r.id, "severity": str(r.severity), "scope": str(r.scope),
             "summary": r.summary_in(lang)} for r in ordered()]


def print_rules(fmt: str, lang: str) -> None:
    """Print the catalogue as a table or as JSON."""
    rows = catalogue(lang)
    if fmt == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    table = Table(box=None, pad_edge=False)
    for column in _COLUMNS.get(lang, _COLUMNS["en"]):
        table.add_column(column)
    for row in rows:
        style = "red" if row["severity"] == "error" else "yellow"
        table.add_row(row["id"], Text(severity_word(row["severity"], lang), style=style),
                      row["summary"])
    Console(soft_wrap=True).print(table)


def print_explanation(rule_id: str, lang: str) -> bool:
    """Print one rule's documentation; ``False`` when there is no such rule."""
    rule = REGISTRY.get(rule_id)
    if rule is None:
        return False
    doc = rule.doc_in(lang)
    severity = _SEVERITY_HEADING.get(lang, _SEVERITY_HEADING["en"])
    console = Console(soft_wrap=True, highlight=False)
    console.print(Text(f"{rule.id}  {rule.summary_in(lang)}", style="bold"))
    colon = "：" if lang == "zh" else ": "
    console.print(Text(f"{severity}{colon}{severity_word(str(rule.severity), lang)}",
                       style="dim"))
    for heading, body in doc.sections(lang):
        console.print()
        console.print(Text(heading, style="bold cyan"))
        for line in body.splitlines():
            console.print(Text("  " + line))
    console.print()
    label = _PAGE_HEADING.get(lang, _PAGE_HEADING["en"])
    console.print(Text(f"{label}{colon}{page_url(rule.id, lang, docs_base_url())}", style="dim"))
    return True


def docs_base_url() -> str | None:
    """The configured ``docs_base_url`` of the nearest configuration file from the working
    directory; ``None`` when there is none or it cannot be read (explain still works)."""
    from pathlib import Path

    from coursecheck.config import ConfigCache, ConfigError

    try:
        return ConfigCache().nearest(Path.cwd()).docs_base_url
    except (ConfigError, OSError):
        return None

"""Output formats, looked up by name: ``reporter("json").write(results, stream, lang)``.

A format's module is imported only when that format is asked for, so a run that writes JSON
never loads rich or the XML library.
"""

from __future__ import annotations

from importlib import import_module

from coursecheck.reporters.base import Reporter

_CLASSES: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json_reporter", "JsonReporter"),
    "sarif": ("sarif", "SarifReporter"),
    "junit": ("junit", "JunitReporter"),
    "github": ("github", "GithubReporter"),
    "gitlab": ("gitlab", "GitlabReporter"),
}
FORMATS: tuple[str, ...] = tuple(_CLASSES)


def reporter(name: str, docs_base_url: str | None = None) -> Reporter:
    """A new reporter for the format ``name`` (one of :data:`FORMATS`); a format that links to
    the rule pages (SARIF) links under ``docs_base_url`` when one is configured."""
    module, cls = _CLASSES[name]
    made: Reporter = getattr(import_module(f"{__name__}.{module}"), cls)()
    if docs_base_url and hasattr(made, "docs_base_url"):
        made.docs_base_url = docs_base_url
    return made


__all__ = ["FORMATS", "Reporter", "reporter"]

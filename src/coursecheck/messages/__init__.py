"""Message catalogs. :func:`message` renders a finding's text; :func:`ui` the report's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coursecheck.messages import deep, en, zh

CATALOGS: dict[str, dict[str, str]] = {"en": {**en.MESSAGES, **deep.EN, **en.NOTES},
                                       "zh": {**zh.MESSAGES, **deep.ZH, **zh.NOTES}}
UI: dict[str, dict[str, str]] = {"en": en.UI, "zh": zh.UI}


_REASONS = ("reason", "detail")


def message(lang: str, key: str, args: Mapping[str, Any]) -> str:
    """The message ``key`` in ``lang`` (else English), filled with ``args`` (a known ``reason``
    or ``detail`` as :func:`coursecheck.messages.values.reason_in` words it for ``lang``)."""
    if any(name in args for name in _REASONS):
        from coursecheck.messages.values import reason_in

        args = {name: reason_in(lang, value) if name in _REASONS and isinstance(value, str)
                else value for name, value in args.items()}
    for catalog in (CATALOGS.get(lang, {}), CATALOGS["en"]):
        template = catalog.get(key)
        if template is not None:
            try:
                return template.format(**args)
            except (KeyError, IndexError, ValueError):
                return template
    return key


def phrase(table: Mapping[str, Mapping[str, str]], lang: str, key: str, **args: Any) -> str:
    """The phrase ``key`` of ``table`` (``{lang: {key: template}}``) in ``lang``, else English,
    filled with ``args``."""
    template = table.get(lang, table["en"]).get(key) or table["en"][key]
    return template.format(**args) if args else template


def ui(lang: str, key: str, **args: Any) -> str:
    """A word or phrase of the report itself, in ``lang``."""
    return phrase(UI, lang, key, **args)

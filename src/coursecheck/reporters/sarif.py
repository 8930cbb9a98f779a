"""``--format sarif``: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Each rule that fired is described once in ``tool.driver.rules`` (summary, documentation with
the fix, default level). Each finding is a result pointing at its file by a relative URI from
the working directory; manifest findings add the line, video findings point at the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from coursecheck import __version__
from coursecheck.findings import CourseResult, Finding, Severity
from coursecheck.reporters.locations import clean, fingerprinted, path_uri
from coursecheck.ruledocs import page_path, page_url
from coursecheck.rules import REGISTRY, Rule
from coursecheck.text import json_escaped

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://pypi.org/project/coursecheck/"
FINGERPRINT_KEY = "coursecheck/v1"

class SarifReporter:
    """One SARIF log with one run, UTF-8, Chinese not escaped."""

    name = "sarif"
    docs_base_url: str | None = None

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Dump the SARIF log for ``results`` with two-space indents."""
        stream.write(json_escaped(json.dumps(sarif_log(results, lang, self.docs_base_url),
                                             ensure_ascii=False, indent=2)))
        stream.write("\n")


def sarif_log(results: Sequence[CourseResult], lang: str,
              docs_base_url: str | None = None) -> dict[str, Any]:
    """The SARIF 2.1.0 log as plain data; rules link to their pages under ``docs_base_url``."""
    fired = sorted({f.rule for r in results for f in r.findings})
    index = {rule_id: i for i, rule_id in enumerate(fired)}
    driver = {
        "name": "coursecheck",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": INFORMATION_URI,
        "rules": [rule_descriptor(rule_id, lang, docs_base_url) for rule_id in fired],
    }
    sarif_results = [_result(finding, path, fingerprint, index[finding.rule])
                     for _, finding, path, fingerprint in fingerprinted(results)]
    return {"$schema": SCHEMA_URI, "version": "2.1.0",
            "runs": [{"tool": {"driver": driver}, "results": sarif_results}]}


def rule_descriptor(rule_id: str, lang: str, docs_base_url: str | None = None
                    ) -> dict[str, Any]:
    """A ``reportingDescriptor`` for ``rule_id``: summary, documentation, default level and its
    page: ``helpUri`` under ``docs_base_url`` when one is set (SARIF wants an absolute URI there),
    and always the page's path in the repository as the ``helpPage`` property."""
    descriptor = _descriptor(rule_id, lang)
    if docs_base_url:
        descriptor["helpUri"] = page_url(rule_id, lang, docs_base_url)
    descriptor["properties"] = {"helpPage": page_path(rule_id, lang)}
    return descriptor


def _descriptor(rule_id: str, lang: str) -> dict[str, Any]:
    rule = REGISTRY[rule_id]  # every ID a finding carries is registered, X001 included
    return {
        "id": rule.id,
        "shortDescription": {"text": rule.summary_in(lang)},
        "fullDescription": {"text": rule.doc_in(lang).what},
        "help": _help(rule, lang),
        "defaultConfiguration": {"level": _level(rule.severity)},
    }


def _help(rule: Rule, lang: str) -> dict[str, str]:
    doc = rule.doc_in(lang)
    sections = doc.sections(lang)
    text = "\n\n".join(f"{heading}:\n{body}" for heading, body in sections)
    what, why, fix, good, bad = (heading for heading, _ in sections)
    fix_md = _fix_markdown(doc.fix)
    markdown = "\n\n".join((
        f"**{what}:** {doc.what}", f"**{why}:** {doc.why}", f"**{fix}:**\n\n{fix_md}",
        f"**{good}:**\n\n```text\n{doc.good}\n```", f"**{bad}:**\n\n```text\n{doc.bad}\n```"))
    return {"text": text, "markdown": markdown}


def _fix_markdown(fix: str) -> str:
    """The fix, its ffmpeg command (after the pointer to ``coursecheck fix``) as a code block."""
    if fix.startswith("ffmpeg "):
        return f"```sh\n{fix}\n```"
    lead, sep, command = fix.partition("\nffmpeg ")
    return f"{lead}\n\n```sh\nffmpeg {command}\n```" if sep else fix


def _level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def _result(finding: Finding, path: str, fingerprint: str, rule_index: int) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": path_uri(path)}}
    if finding.line is not None:
        location["region"] = {"startLine": finding.line}
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _level(finding.severity),
        "message": {"text": clean(finding.message)},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }

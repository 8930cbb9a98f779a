"""``--format junit``: JUnit XML, as GitLab, Jenkins and most CI test viewers read it.

One ``testsuite`` per course, one ``testcase`` per checked file: the manifest, each lesson, and
any other file with a finding (the cover, an unlisted video). ``classname`` is the course path
and ``name`` the file, because GitLab tells cases apart by the two. Each error is a
``<failure>`` with the rule ID in ``type``; warnings do not fail a case and go in
``system-out``. ``failures`` counts the failing cases, so it is never more than ``tests``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from coursecheck.findings import CourseResult, Finding, Severity
from coursecheck.reporters.locations import finding_path
from coursecheck.spec import MANIFEST_NAMES
from coursecheck.text import xml_escaped

# Characters XML 1.0 cannot hold at all: most controls, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


class JunitReporter:
    """A ``testsuites`` document in UTF-8."""

    name = "junit"

    def write(self, results: Sequence[CourseResult], stream: TextIO, lang: str) -> None:
        """Write the XML declaration and the ``testsuites`` element."""
        root = junit_tree(results)
        ET.indent(root)
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        stream.write(xml_escaped(ET.tostring(root, encoding="unicode")))
        stream.write("\n")


def junit_tree(results: Sequence[CourseResult]) -> ET.Element:
    """The ``testsuites`` element for ``results``."""
    root = ET.Element("testsuites", name="coursecheck")
    suites = [_suite(result) for result in results]
    root.extend(suites)
    for count in ("tests", "failures", "errors"):
        root.set(count, str(sum(int(suite.get(count, "0")) for suite in suites)))
    return root


def checked_files(result: CourseResult) -> list[str]:
    """The files of one course in report order: the manifest, the lessons, then any other file
    that has a finding."""
    files = [f.file for f in result.findings]
    manifest = next((name for name in files if name in MANIFEST_NAMES), MANIFEST_NAMES[0])
    ordered = [manifest, *(lesson.file for lesson in result.lessons), *files]
    return list(dict.fromkeys(ordered))


def _suite(result: CourseResult) -> ET.Element:
    suite = ET.Element("testsuite", name=xml_text(result.path))
    failing = 0
    for file in checked_files(result):
        findings = [f for f in result.findings if f.file == file]
        case = ET.SubElement(suite, "testcase", classname=xml_text(result.path),
                             name=xml_text(file))
        errors = [f for f in findings if f.severity is Severity.ERROR]
        for finding in errors:
            failure = ET.SubElement(case, "failure", type=finding.rule,
                                    message=xml_text(finding.message))
            failure.text = _describe(result, finding)
        warnings = [f for f in findings if f.severity is not Severity.ERROR]
        if warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(_describe(result, f) for f in warnings)
        failing += bool(errors)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failing))
    suite.set("errors", "0")
    suite.set("skipped", "0")
    return suite


def _describe(result: CourseResult, finding: Finding) -> str:
    """``path:line: RULE severity: message``, the compiler-style line editors can jump to."""
    where = finding_path(result, finding)
    if finding.line is not None:
        where += f":{finding.line}"
    return xml_text(f"{where}: {finding.rule} {finding.severity}: {finding.message}")

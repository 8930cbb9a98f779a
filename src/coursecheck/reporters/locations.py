"""Where a finding is, for the CI formats: its path from the working directory, a URI for that
path, and a fingerprint that stays the same from run to run.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from urllib.parse import quote

from coursecheck.findings import CourseResult, Finding
from coursecheck.text import clean

__all__ = ["clean", "finding_path", "fingerprinted", "path_uri"]

_DRIVE = re.compile(r"^[A-Za-z]:/")
# Kept as they are: "/" between folders, and "!" after a zip's name (course.zip!/lessons/01.mp4)
_SAFE = "/!"


def finding_path(result: CourseResult, finding: Finding) -> str:
    """The finding's file as a POSIX path from the working directory, e.g.
    ``sample_courses/needs-work/lessons/03.mp4`` (``./`` and ``a/../`` removed)."""
    return posixpath.normpath(posixpath.join(result.path, finding.file))


def path_uri(path: str) -> str:
    """``path`` as a URI reference: relative paths stay relative, with every character a URI
    may not hold (spaces, Chinese, ``:`` …) percent-encoded as UTF-8 (``!``, which a path
    inside a zip holds, stays as it is) (a name that is not UTF-8
    keeps its own bytes); absolute paths become ``file://`` URIs."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:
        raw = clean(path).encode("utf-8")
    if _DRIVE.match(path):
        return "file:///" + path[:2] + quote(raw[2:], safe=_SAFE)
    if path.startswith("/"):
        return "file://" + quote(raw, safe=_SAFE)
    return quote(raw, safe=_SAFE)


def fingerprinted(results: Sequence[CourseResult]
                  ) -> Iterator[tuple[CourseResult, Finding, str, str]]:
    """Each finding, in report order, with its path and a stable fingerprint.

    The fingerprint is a SHA-256 of the rule ID, the path, the message key and its arguments,
    never the line or the language, so it survives edits elsewhere in the manifest and a change
    of ``--lang``. Identical findings are told apart by how many came before them.
    """
    seen: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        for finding in result.findings:
            path = finding_path(result, finding)
            what = finding.key + "\x1e" + "\x1e".join(f"{k}={v}" for k, v in finding.args)
            key = (finding.rule, path, what if finding.key else finding.message)
            occurrence = seen[key]
            seen[key] += 1
            text = "\x1f".join((*key, str(occurrence))).encode("utf-8", "surrogatepass")
            yield result, finding, path, hashlib.sha256(text).hexdigest()

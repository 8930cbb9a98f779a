"""Baseline for ``make bench`` when the mediainfo CLI is absent: pymediainfo, one file at a time.

Usage: ``python scripts/bench_pymediainfo.py FOLDER`` parses every file under FOLDER serially in
this one process with ``MediaInfo.parse(path)`` and its default options, as the ``mediainfo``
command would over the same folder, and prints how many files it parsed.
"""

from __future__ import annotations

import os
import sys

from pymediainfo import MediaInfo


def main(folder: str) -> int:
    """Parse every file under ``folder``; print the count."""
    count = 0
    for here, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            MediaInfo.parse(os.path.join(here, name))
            count += 1
    print(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

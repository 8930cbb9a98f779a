#!/usr/bin/env python3
"""Join the hard-wrapped lines of Chinese Markdown pages (docs/zh/*.md by default).

A line break between two Chinese characters shows as a stray space in Chromium-based browsers,
on GitHub and Gitee alike, so each Chinese paragraph or list item is best kept on one line.
This joins a line to the one before when both are prose of the same paragraph: no space between
two Chinese characters or next to full-width punctuation, one space otherwise. Fenced code,
tables, headings, block quotes, HTML comments and blank lines are left alone.

Usage: ``.venv/bin/python scripts/unwrap_zh.py [--check] [FILE ...]``; ``--check`` writes
nothing and exits 1 when a file would change.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef\u201c\u201d\u2018\u2019]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_BLOCK_START = re.compile(r"^(- |\* |\+ |\d+[.)] |#|\||```|~~~|>|<!--)")
_NOT_JOINABLE = ("#", "|", "```", "~~~", "<!--")


def _separator(before: str, after: str) -> str:
    if _PUNCT.match(before) or _PUNCT.match(after):
        return ""
    return "" if _HAN.match(before) and _HAN.match(after) else " "


def _has_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def unwrap(text: str) -> str:
    """``text`` with the continuation lines of Chinese paragraphs joined to their first line."""
    out: list[str] = []
    fence = ""
    for line in text.split("\n"):
        stripped = line.strip()
        marker = re.match(r"^(```+|~~~+)", stripped)
        if marker and (not fence or marker.group(1).startswith(fence)):
            fence = "" if fence else marker.group(1)
            out.append(line)
            continue
        previous = out[-1].strip() if out else ""
        joinable = (not fence and stripped and previous and not _BLOCK_START.match(stripped)
                    and not previous.startswith(_NOT_JOINABLE) and not previous.endswith("  ")
                    and (_has_chinese(previous) or _has_chinese(stripped)))
        if joinable:
            out[-1] = out[-1].rstrip() + _separator(previous[-1], stripped[0]) + stripped
        else:
            out.append(line)
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only say which files would change")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or sorted((ROOT / "docs" / "zh").glob("*.md"))
    changed = []
    for path in files:
        text = path.read_text("utf-8")
        joined = unwrap(text)
        if joined != text:
            changed.append(path)
            if not args.check:
                path.write_text(joined, "utf-8", newline="\n")
    for path in changed:
        print(f"{'would join' if args.check else 'joined'}: {path}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

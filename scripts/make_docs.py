"""Write the rule pages under docs/rules/ from the rule registry (``make docs``).

``--check`` writes nothing and exits 1 when a committed page is missing, stale or left over.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coursecheck.ruledocs import DOCS_DIR, all_pages

ROOT = Path(__file__).resolve().parent.parent


def stale(root: Path) -> list[str]:
    """Paths under docs/rules/ that differ from what the registry generates."""
    pages = all_pages()
    wrong = [path for path, text in pages.items()
             if not (root / path).is_file() or (root / path).read_text("utf-8") != text]
    extra = [p.relative_to(root).as_posix() for p in (root / DOCS_DIR).rglob("*.md")
             if p.relative_to(root).as_posix() not in pages]
    return sorted(wrong + extra)


def write(root: Path) -> int:
    """Write every page and remove pages of rules that no longer exist; how many changed."""
    pages = all_pages()
    changed = 0
    for path, text in pages.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_text("utf-8") != text:
            target.write_text(text, "utf-8", newline="\n")
            changed += 1
    for page in (root / DOCS_DIR).rglob("*.md"):
        if page.relative_to(root).as_posix() not in pages:
            page.unlink()
            changed += 1
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args()
    if args.check:
        wrong = stale(ROOT)
        for path in wrong:
            print(f"stale: {path}", file=sys.stderr)
        if wrong:
            print("run `make docs` and commit the pages", file=sys.stderr)
        return 1 if wrong else 0
    print(f"docs/rules: {write(ROOT)} page(s) written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

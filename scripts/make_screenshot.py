"""Make docs/images/audit-report.png, the README's picture of the HTML report (``make screenshot``).

Audits the sample courses into a temporary HTML report, photographs it with headless Chromium
and saves a palette PNG small enough to commit. Needs Chromium (Debian: ``apt-get install
chromium``); nothing else from outside PyPI.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "audit-report.png"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--force-device-scale-factor=1"]


def find_chromium() -> str | None:
    """The first Chromium on PATH or at Debian's path."""
    for name in ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"):
        found = shutil.which(name)
        if found:
            return found
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--width", type=int, default=1100)
    parser.add_argument("--height", type=int, default=1300)
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        print("make_screenshot: no Chromium found (Debian: apt-get install chromium)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "sample_courses", work / "sample_courses")
        html = work / "report.html"
        subprocess.run([sys.executable, "-m", "coursecheck", "audit", "sample_courses",
                        "--html", str(html), "--lang", "zh", "--no-cache"],
                       cwd=work, timeout=600, check=False, stdout=subprocess.DEVNULL)
        if not html.is_file():
            print("make_screenshot: the audit wrote no HTML report", file=sys.stderr)
            return 1
        shot = work / "shot.png"
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={work / 'profile'}",
                        f"--window-size={args.width},{args.height}",
                        f"--screenshot={shot}", html.as_uri()],
                       timeout=120, check=False, capture_output=True)
        if not shot.is_file():
            print("make_screenshot: Chromium wrote no screenshot", file=sys.stderr)
            return 1
        image = Image.open(shot).convert("RGB").quantize(
            colors=128, method=Image.Quantize.MEDIANCUT)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        image.save(args.out, optimize=True)
    print(f"{args.out.relative_to(ROOT)}: {args.out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

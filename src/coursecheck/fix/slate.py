"""The still picture for an audio-only lesson when the course has no usable cover: a plain
slate with the lesson title, drawn with Pillow."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from coursecheck.proc import MiB, run_bounded

# Fonts with Chinese glyphs in the usual places; the first that exists is used.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)


@functools.cache
def find_font() -> str | None:
    """``COURSECHECK_FONT``, else a known CJK font, else what fontconfig offers for Chinese.

    Looked up once per process: every slate of a run uses the same font."""
    chosen = os.environ.get("COURSECHECK_FONT")
    if chosen and Path(chosen).is_file():
        return chosen
    for candidate in CJK_FONTS:
        if Path(candidate).is_file():
            return candidate
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            done = run_bounded([fc_match, "-f", "%{file}", ":lang=zh"], timeout_s=10,
                               mem_bytes=512 * MiB, capture_stdout=True, stdout_cap=64 * 1024)
            found = (done.stdout or b"").decode("utf-8", "replace").strip() if done.ok else ""
        except OSError:
            found = ""
        if found and Path(found).is_file():
            return found
    return None


def make_slate(title: str, out: Path, width: int = 1280, height: int = 720) -> Path:
    """Write a ``width``×``height`` PNG: the title in white, centred on dark grey."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), (32, 32, 32))
    draw = ImageDraw.Draw(image)
    path = find_font()
    size = height // 12
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(path, size) if path else ImageFont.load_default(size)
    except OSError:
        font = ImageFont.load_default(size)
    text = title if len(title) <= 40 else title[:39] + "…"
    draw.text((width / 2, height / 2), text, fill=(255, 255, 255), font=font, anchor="mm")
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, "PNG")
    return out

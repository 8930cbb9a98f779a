"""Cover image facts, read with Pillow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ACCEPTED_FORMATS = ("JPEG", "PNG")


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """The format and pixel size of a cover image, or why it could not be read."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    error: str | None = None


def read_image(path: Path) -> ImageFacts:
    """Decode the image fully (a truncated JPEG is caught here) and report format and size."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            fmt = image.format
            width, height = image.size
            if fmt == "JPEG":  # decode at 1/8 scale: every byte is still read and checked
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            image.load()
    except UnidentifiedImageError:
        return ImageFacts(error="not an image")
    except (OSError, ValueError, SyntaxError) as exc:  # the reason, never the absolute path
        reason = getattr(exc, "strerror", None) or str(exc).replace(str(path), path.name)
        return ImageFacts(error=f"unreadable: {reason}")
    except Image.DecompressionBombError:
        return ImageFacts(error="too many pixels")
    return ImageFacts(format=fmt, width=width, height=height)

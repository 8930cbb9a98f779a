"""Cover facts through the cache, so a re-run decodes no cover image.

Decoding a course's cover (at 1/8 scale, every byte still checked) took about 0.5 ms a course,
a fifth of a warm audit's cost per course; a cache hit takes about a tenth of that. The entry is
keyed like a probe (:class:`coursecheck.fileid.FileId`: path, size, times, inode and a content
fingerprint) plus the versions of coursecheck and Pillow. Only answers that the file alone
decides are kept: its format and size, or that it is no image, has too many pixels, or does not
decode; never a read that failed for a passing reason (a permission, an I/O error).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

import coursecheck
from coursecheck.cache import open_store
from coursecheck.cachestore import CacheKey, Store
from coursecheck.cover import ImageFacts, read_image
from coursecheck.fileid import identify, unchanged
from coursecheck.options import RunOptions

ImageReader = Callable[[Path], ImageFacts]
LAYOUT = "cover-1"
_KEPT_ERRORS = ("not an image", "too many pixels")
_TRUNCATED = "unreadable: image file is truncated"


def worth_keeping(error: str | None) -> bool:
    """Whether a read with this result says something about the file itself."""
    return error is None or error in _KEPT_ERRORS or error.startswith(_TRUNCATED)


@contextmanager
def image_reader(options: RunOptions, roots: Sequence[Path] | None = None,
                 notes: list[str] | None = None) -> Iterator[ImageReader]:
    """A :func:`coursecheck.cover.read_image` that answers from the cache when it can (plain
    ``read_image`` when the cache is off); ``roots`` and ``notes`` (where its one note on
    damaged entries or an unusable folder goes) as for :func:`coursecheck.cache.open_store`."""
    with open_store("cover", options, notes, roots) as store:
        yield read_image if store is None else _Cached(store).read


class _Cached:
    def __init__(self, store: Store) -> None:
        self.store = store

    @cached_property
    def versions(self) -> dict[str, str]:
        from PIL import __version__ as pillow

        return {"coursecheck": coursecheck.__version__, "pillow": pillow, "layout": LAYOUT}

    def read(self, path: Path) -> ImageFacts:
        before = identify(path)
        if before is None:
            return read_image(path)
        key = CacheKey(before, versions=self.versions)
        kept = self.store.get(key, _facts)
        if kept is not None:
            return kept
        facts = read_image(path)
        if worth_keeping(facts.error) and unchanged(before):
            self.store.put(key, {"format": facts.format, "width": facts.width,
                                 "height": facts.height, "error": facts.error})
        return facts


def _facts(value: Any) -> ImageFacts:
    """An entry's value back as facts; ``ValueError`` for anything else (a damaged entry)."""
    if not isinstance(value, dict) or value.keys() != {"format", "width", "height", "error"}:
        raise ValueError("not cover facts")
    fmt, width, height, error = (value[k] for k in ("format", "width", "height", "error"))
    if error is None:
        if not (isinstance(fmt, str) and type(width) is int and type(height) is int
                and 0 < width <= 1 << 20 and 0 < height <= 1 << 20):
            raise ValueError("not cover facts")
        return ImageFacts(format=fmt, width=width, height=height)
    if (not isinstance(error, str) or not worth_keeping(error)
            or (fmt, width, height) != (None, None, None)):
        raise ValueError("not cover facts")
    return ImageFacts(error=error)

"""Where each file goes in the output folder, and what the copied manifest calls it."""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from coursecheck.paths import to_posix


def out_path(written: str) -> str:
    """A manifest path as a normalised POSIX path relative to the output folder."""
    return posixpath.normpath(to_posix(written))


def mp4_name(path: str, taken: set[str]) -> str:
    """``path`` with an .mp4 suffix; a name another output already uses gets ``-fixed``.

    The chosen name is added to ``taken``.
    """
    pure = PurePosixPath(path)
    if pure.suffix.lower() == ".mp4":
        return path
    candidate, n = str(pure.with_suffix(".mp4")), 1
    while candidate in taken:
        candidate = str(pure.with_name(f"{pure.stem}-fixed{'' if n == 1 else n}.mp4"))
        n += 1
    taken.add(candidate)
    return candidate


def renamed(written: str, output: str) -> str:
    """The manifest value naming ``output``: the author's spelling of the folders (``\\`` or
    ``./``) with the new file name, or ``output`` itself when the folders differ."""
    old_name = PurePosixPath(to_posix(written)).name
    kept = written[: len(written) - len(old_name)] + PurePosixPath(output).name
    return kept if out_path(kept) == output else output

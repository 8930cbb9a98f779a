"""``--shard K/N``: the K-th of N stable slices of the lessons, for SLURM or PBS array jobs.

A lesson's slice depends only on its resolved path, so every shard of an array job agrees on
it without talking to the others, and adding a lesson never moves another to a new slice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

_SHAPE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True, slots=True)
class Shard:
    """Slice ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def holds(self, path: str) -> bool:
        """Whether the lesson at ``path`` belongs to this slice."""
        try:
            data = path.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:  # a lone UTF-16 surrogate, which Windows names may hold
            data = path.encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(data).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    """``K/N`` with 1 <= K <= N; raises :class:`ValueError` with a message for anything else."""
    match = _SHAPE.fullmatch(text)
    if not match:
        raise ValueError(f"--shard {text!r}: write K/N, e.g. 3/16")
    index, count = int(match[1]), int(match[2])
    if count < 1 or not 1 <= index <= count:
        raise ValueError(f"--shard {text!r}: K must be between 1 and N")
    return Shard(index, count)

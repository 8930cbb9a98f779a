"""What the user asked for on the command line, as one plain record (no parsing here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RunOptions:
    """Options shared by ``check`` (and later ``audit``), before configuration is applied.

    ``lang`` is ``None`` when not given; ``outputs`` pairs a format name with a file path.
    """

    paths: tuple[Path, ...] = ()
    fmt: str = "auto"
    outputs: tuple[tuple[str, Path], ...] = ()
    lang: str | None = None
    strict: bool = False
    exit_zero: bool = False
    config: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    cache_dir: Path | None = None
    no_cache: bool = False
    deep: str | None = None  # --deep: quick or full; None leaves the configuration's choice
    jobs: int = 1
    # read a course's own .coursecheck.yaml? audit and `check --no-course-config` do not: a
    # submitted course must not configure its own judgement
    course_config: bool = True

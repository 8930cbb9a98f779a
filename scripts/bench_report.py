"""The benchmark's table and the description of the machine it ran on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

from bench_measure import Run, median


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table, already formatted."""

    what: str
    measured: str
    against: str
    ratio: str
    target: str
    result: str  # PASS, FAIL, SKIP or INFO

    @classmethod
    def judged(cls, what: str, measured: float, against: float, target: str,
               test: Callable[[float], bool], *, unit: str = "s",
               ratio: float | None = None) -> Row:
        """A figure compared with another; ``ratio`` defaults to ``measured / against``."""
        value = measured / against if ratio is None else ratio
        return cls(what, _value(measured, unit), _value(against, unit), f"{value:.2f}×", target,
                   "PASS" if test(value) else "FAIL")

    @classmethod
    def skipped(cls, what: str, why: str, target: str) -> Row:
        """A comparison that could not be made here."""
        return cls(what, "—", why, "—", target, "SKIP")

    def as_reference(self) -> Row:
        """The same figures, shown for reference and not judged."""
        return replace(self, target=f"({self.target})", result="INFO")


def _value(number: float, unit: str) -> str:
    return f"{number:.2f} s" if unit == "s" else f"{number:.0f} {unit}"


def print_table(rows: list[Row]) -> None:
    """A plain-text table, one row per figure, then how many targets were met."""
    header = Row("what", "measured", "compared with", "ratio", "target", "result")
    cells = [[r.what, r.measured, r.against, r.ratio, r.target, r.result]
             for r in (header, *rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header.__slots__))]
    for n, line in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
              .rstrip())
        if n == 0:
            print("  ".join("-" * width for width in widths))
    judged = [r for r in rows if r.result in ("PASS", "FAIL")]
    passed = sum(1 for r in judged if r.result == "PASS")
    skipped = sum(1 for r in rows if r.result == "SKIP")
    print(f"\n{passed} of {len(judged)} targets met" + (f", {skipped} skipped" if skipped else ""))


def cpu_line(times: dict[str, list[Run]]) -> str:
    """The median CPU time (user + system, children included) of each contender."""
    parts = [f"{name} {median([r.cpu_s for r in runs]):.2f} s" for name, runs in times.items()]
    return "median CPU time (user + system, all processes): " + ", ".join(parts)


def machine_lines(mediainfo_cli: str | None, ffprobe: str | None) -> list[str]:
    """What the figures were measured on and against."""
    from coursecheck.tools import mediainfo_info

    library = mediainfo_info()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"machine: {_cpu()}, nproc {os.cpu_count()}, {_memory()}, load average {load}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"libmediainfo {library.version or 'not loadable'} via {library.source} (coursecheck)",
    ]
    if mediainfo_cli:
        lines.append(f"mediainfo CLI: {mediainfo_cli}, {_version([mediainfo_cli, '--Version'])}")
    else:
        lines.append("mediainfo CLI: not found; the MediaInfo baseline is pymediainfo parsing "
                     "every file serially in one process (scripts/bench_pymediainfo.py)")
    if ffprobe:
        lines.append(f"ffprobe: {ffprobe}, {_version([ffprobe, '-version'])}")
    else:
        lines.append("ffprobe: not found, so the ffprobe comparison is skipped (give one "
                     "with BENCH_ARGS='--ffprobe PATH')")
    return lines


def _version(args: list[str]) -> str:
    try:
        out = subprocess.run(args, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return f"version unknown ({exc})"
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    return lines[-1] if args[-1] == "--Version" and lines else (lines[0] if lines else "?")


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        return "memory unknown"
    return f"{pages / 2**30:.0f} GiB"

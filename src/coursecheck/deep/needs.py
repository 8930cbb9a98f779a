"""What ``--deep`` (and ``fix``'s loudness step) needs from ffmpeg, and whether it has it."""

from __future__ import annotations

from coursecheck.proc import MiB, run_bounded

FILTERS = ("settb", "vfrdet", "blackdetect", "framestep", "freezedetect", "silencedetect",
           "ebur128", "loudnorm")
MUXERS = ("framecrc", "null")


def missing_parts(ffmpeg: str) -> list[str] | None:
    """The filters and muxers ffmpeg lacks (empty when it has all), or ``None`` when it could
    not be asked."""
    found: set[str] = set()
    for listing in ("-filters", "-muxers"):
        try:
            done = run_bounded([ffmpeg, "-hide_banner", listing], timeout_s=30,
                               mem_bytes=512 * MiB, capture_stdout=True)
        except OSError:
            return None
        if not done.ok or done.stdout is None:
            return None
        for line in done.stdout.decode("utf-8", "replace").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                found.add(parts[1])
    return [name for name in (*FILTERS, *MUXERS) if name not in found]

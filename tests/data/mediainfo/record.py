"""Record MediaInfo's OLDXML output on a few synthetic clips, for tests/test_probe_parse.py.

Run from the repository root with the project's virtualenv:

    .venv/bin/python tests/data/mediainfo/record.py

Each clip is made by :func:`coursecheck.synth.make_clip` in a temporary folder and read with
:func:`coursecheck.probe.run_mediainfo` exactly as ``coursecheck check`` reads it. MediaInfo is
given a path relative to that folder, so the reports name the file (``good.mp4``) without the
temporary folder; nothing is removed from its output. Re-recording changes the
``File_last_modification_date`` lines and, with another MediaInfo or ffmpeg, possibly more: re-run
the parse tests afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from coursecheck.probe import run_mediainfo
from coursecheck.synth import ClipSpec, make_clip

HERE = Path(__file__).resolve().parent
GOOD = ClipSpec(seconds=1.0)

# name -> (clip, file name MediaInfo sees). The file name matters only where the test says so:
# the Matroska clip is renamed to .mp4, as a user would.
CLIPS: dict[str, tuple[ClipSpec, str]] = {
    "good": (GOOD, "good.mp4"),
    "vfr": (GOOD.but(vfr=True), "vfr.mp4"),
    "mov": (GOOD.but(container="mov"), "mov.mov"),
    "matroska_renamed": (GOOD.but(container="matroska"), "matroska_renamed.mp4"),
    "audio_only": (GOOD.but(video=False), "audio_only.mp4"),
    "rotated": (GOOD.but(rotate=90), "rotated.mp4"),
    "interlaced": (GOOD.but(interlaced=True), "interlaced.mp4"),
    "old_date": (GOOD.but(creation_time="2021-05-01T00:00:00Z"), "old_date.mp4"),
    "no_faststart": (GOOD.but(faststart=False), "no_faststart.mp4"),
    "high10": (GOOD.but(pix_fmt="yuv420p10le", profile="high10"), "high10.mp4"),
    "mp3": (GOOD.but(audio="mp3"), "mp3.mp4"),
    "anamorphic": (GOOD.but(sar="4/3"), "anamorphic.mp4"),
}

TRUNCATE_AT = 0.4  # the truncated recording keeps the first 40 % of good.mp4's bytes


def record(out: Path = HERE) -> list[Path]:
    """Make every clip, run MediaInfo on it and write ``out/<name>.xml``; return the files."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for spec, file_name in CLIPS.values():
            make_clip(spec, folder / file_name)
        good = (folder / "good.mp4").read_bytes()
        (folder / "truncated.mp4").write_bytes(good[: int(len(good) * TRUNCATE_AT)])
        (folder / "not_media.mp4").write_text("This is a lesson plan, not a video.\n",
                                             encoding="utf-8")
        files = {name: file_name for name, (_, file_name) in CLIPS.items()}
        files.update(truncated="truncated.mp4", not_media="not_media.mp4")
        cwd = Path.cwd()
        os.chdir(folder)
        try:
            for name, file_name in files.items():
                target = out / f"{name}.xml"
                target.write_text(run_mediainfo(Path(file_name)), encoding="utf-8")
                written.append(target)
        finally:
            os.chdir(cwd)
    return written


if __name__ == "__main__":
    for path in record(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"{path.stat().st_size:7d}  {path}")

"""The deep test corpus: small lessons with one planted defect each, made once per session."""

from __future__ import annotations

from pathlib import Path

from coursecheck.synth_deep import DeepClip, cut_short, flip_bytes, make_deep_clip

BASE = DeepClip()
CLIPS: dict[str, DeepClip] = {
    "clean": BASE,
    "black": BASE.but(black=(2.0, 5.0)),
    "freeze": BASE.but(seconds=10.0, freeze=(2.0, 7.0)),
    "mute": BASE.but(seconds=15.0, mute=(2.0, 14.0)),
    "silent": BASE.but(silent=True),
    "quiet": BASE.but(lufs=-30.0),
    "loud": BASE.but(lufs=-8.0),
    "clipped": BASE.but(clipped=True),
    "short_audio": BASE.but(audio_s=5.0),
    "dropped": BASE.but(drop=(100, 124)),
    "minus16": BASE.but(lufs=-16.0),
    "minus21": BASE.but(lufs=-21.0),
}


class DeepCorpus:
    """Each lesson made on first use, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self._made:
            out = self.folder / f"{name}.mp4"
            if name == "corrupt":
                flip_bytes(self["clean"], out)
            elif name == "cut":
                cut_short(self["clean"], out)
            else:
                make_deep_clip(CLIPS[name], out)
            self._made[name] = out
        return self._made[name]

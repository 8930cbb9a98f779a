"""Test helpers: real media made by ffmpeg, course folders built from it, and a CLI runner."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from coursecheck.cli import app
from coursecheck.synth import (
    ClipSpec,
    join_copies,
    link_or_copy,
    make_clip,
    make_cover,
    passing_manifest,
)

GOOD = ClipSpec(seconds=1.0)
SCRIPTS = Path(sys.executable).parent  # where the venv installed the ``coursecheck`` script
needs_mkfifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")


class Media:
    """Makes each distinct clip once per test session, in a temporary folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[object, Path] = {}

    def clip(self, spec: ClipSpec = GOOD) -> Path:
        """A real file for ``spec`` (cached)."""
        if spec not in self._made:
            ext = {"mp4": ".mp4", "mov": ".mov", "matroska": ".mkv"}.get(spec.container, ".bin")
            self._made[spec] = make_clip(spec, self.folder / f"clip{len(self._made)}{ext}")
        return self._made[spec]

    def long(self, seconds: int) -> Path:
        """A conforming clip ``seconds`` long (a multiple of 10), joined by stream copy."""
        key = ("long", seconds)
        if key not in self._made:
            ten = self.clip(GOOD.but(seconds=10.0, pattern="color"))
            self._made[key] = join_copies(ten, seconds // 10, self.folder / f"long{seconds}.mp4")
        return self._made[key]

    def cover(self, width: int = 1280, height: int = 720, fmt: str = "JPEG") -> Path:
        """A cover image of that size and format (cached)."""
        key = ("cover", width, height, fmt)
        if key not in self._made:
            ext = {"JPEG": ".jpg", "PNG": ".png"}.get(fmt, "." + fmt.lower())
            self._made[key] = make_cover(self.folder / f"cover{width}x{height}{ext}", width,
                                         height, fmt)
        return self._made[key]


@dataclass
class Course:
    """A course folder under construction. ``build()`` writes it and returns its path."""

    root: Path
    media: Media
    files: dict[str, Path | None] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_text: str | None = None
    cover: Path | None = None

    @classmethod
    def good(cls, root: Path, media: Media, lessons: int = 10) -> Course:
        """Ten conforming lessons, a 1280×720 JPEG cover and a complete manifest."""
        files: dict[str, Path | None] = {f"lessons/{i:02d}.mp4": media.clip() for i in
                                         range(1, lessons + 1)}
        return cls(root, media, files, passing_manifest(list(files)), cover=media.cover())

    def set_lesson(self, number: int, source: Path | ClipSpec, name: str | None = None) -> str:
        """Replace lesson ``number`` (1-based) with another clip; returns its manifest path."""
        clip = source if isinstance(source, Path) else self.media.clip(source)
        old = self.manifest["lessons"][number - 1]["file"]
        del self.files[old]
        new = name or old
        self.files[new] = clip
        self.manifest["lessons"][number - 1]["file"] = new
        return new

    def build(self) -> Path:
        """Write the folder: hard links to the cached clips, the cover and course.yaml."""
        self.root.mkdir(parents=True, exist_ok=True)
        for rel, source in self.files.items():
            if source is None:
                continue
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(source, target)
        if self.cover is not None and self.manifest.get("cover"):
            link_or_copy(self.cover, self.root / str(self.manifest["cover"]))
        text = self.manifest_text
        if text is None:
            text = yaml.safe_dump(self.manifest, allow_unicode=True, sort_keys=False)
        (self.root / "course.yaml").write_text(text, encoding="utf-8")
        return self.root

    def line_of(self, needle: str, nth: int = 1) -> int:
        """The 1-based line of the ``nth`` line of course.yaml that contains ``needle``."""
        lines = (self.root / "course.yaml").read_text(encoding="utf-8").splitlines()
        hits = [i for i, line in enumerate(lines, 1) if needle in line]
        return hits[nth - 1]


@dataclass
class Run:
    """The outcome of one CLI run."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        """stdout parsed as the JSON report."""
        return json.loads(self.stdout)

    def findings(self, rule: str | None = None) -> list[dict[str, Any]]:
        """Every finding of every course, optionally only those of ``rule``."""
        found = [f for c in self.report["courses"] for f in c["findings"]]
        return [f for f in found if rule is None or f["rule"] == rule]

    def where(self, rule: str) -> list[tuple[str, int | None]]:
        """``(file, line)`` of each finding of ``rule``."""
        return [(f["file"], f["line"]) for f in self.findings(rule)]


def run_cli(*args: str | Path) -> Run:
    """Run ``coursecheck ARGS`` in-process and capture its output."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    stderr = result.stderr if result.stderr_bytes is not None else ""
    return Run(result.exit_code, result.stdout, stderr)


def check_json(path: Path, *args: str) -> Run:
    """``coursecheck check PATH --format json --lang en ARGS``."""
    return run_cli("check", path, "--format", "json", "--lang", "en", *args)


def check_json_or_fail_if_blocked(root: Path, fifo: Path, *args: str,
                                  timeout: float = 20.0) -> Run:
    """``check_json(root, *args)``, failing the test instead of hanging if it opens ``fifo``.

    The check runs in a daemon thread. If it is still running after ``timeout`` seconds it has
    opened the FIFO for reading and blocks there: the FIFO is opened for writing once (which
    gives the reader EOF so the thread can end) and the test fails.
    """
    result: dict[str, Run] = {}
    errors: list[BaseException] = []

    def work() -> None:
        try:
            result["run"] = check_json(root, *args)
        except BaseException as exc:  # re-raised in the test's thread below
            errors.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(timeout=timeout)
    if worker.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=5)
        pytest.fail(f"coursecheck opened the FIFO {fifo} and blocked on it")
    if errors:
        raise errors[0]
    return result["run"]


def run_process(*args: str | Path, cwd: Path | None = None, timeout: float = 120,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed ``coursecheck`` console script as a real process, in English.

    ``env`` adds to (or overrides) the current environment.
    """
    full_env = {**os.environ, "COURSECHECK_LANG": "en", **(env or {})}
    return subprocess.run([str(SCRIPTS / "coursecheck"), *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, env=full_env, timeout=timeout)


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every entry under ``root``: content hash (files) and mtime, keyed by relative path."""
    state = {}
    for path in sorted(root.rglob("*")):
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        state[path.relative_to(root).as_posix()] = (digest, path.lstat().st_mtime_ns)
    return state


def spy_on_config_parsing(monkeypatch: Any) -> list[Path]:
    """Record every config file coursecheck parses (for "parsed once per run" tests)."""
    from coursecheck import config

    parsed: list[Path] = []
    real_parse = config._parse

    def spy(path: Path, shown: str, explicit: bool) -> config.ConfigModel | None:
        parsed.append(path)
        return real_parse(path, shown, explicit)

    monkeypatch.setattr(config, "_parse", spy)
    return parsed


def apt_install(*packages: str) -> str | None:
    """Install Debian packages for a test that needs a system tool (Chromium, LibreOffice);
    ``None`` when done, else why it could not be (the caller skips with that reason)."""
    import shutil

    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not running as root, so apt-get cannot install it"
    if shutil.which("apt-get") is None:
        return "apt-get is not available"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    lock = ["-o", "DPkg::Lock::Timeout=300"]
    for cmd, timeout in ((["apt-get", *lock, "update"], 180),
                         (["apt-get", *lock, "install", "-y", "--no-install-recommends",
                           *packages], 600)):
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(cmd)}` failed: {exc}"
        if done.returncode != 0:
            tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return f"`{' '.join(cmd)}` exited {done.returncode}: {tail}"
    return None

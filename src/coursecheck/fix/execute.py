"""Writing the output folder safely: copies, then ffmpeg encodes, ``jobs`` at a time.

Every file is written under a temporary name beside its final path and renamed only when it is
complete, so a final path never holds a half-written file. Every ffmpeg is bounded in time and
memory (:mod:`coursecheck.fix.limits`) and dies with coursecheck (:mod:`coursecheck.proc`); one
that hits a limit is a failed lesson with the reason. On SIGINT (Ctrl-C) or SIGTERM the executor
stops every ffmpeg, removes the temporary files and raises :class:`Interrupted`.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from coursecheck import scratch
from coursecheck.fix.encode import Target, commands
from coursecheck.fix.limits import memory_cap, time_limit_s
from coursecheck.fix.plan import Copy, Encode, Picture
from coursecheck.fix.progress import Display, read_progress
from coursecheck.fix.slate import make_slate
from coursecheck.proc import Bounded, BoundedProcess, popen_bounded


class Interrupted(KeyboardInterrupt):
    """The run was stopped by ``signum`` (SIGINT or SIGTERM)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


WORK_PREFIX = "coursecheck-fix-"

@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one output: ``code`` is ffmpeg's exit code (``None`` for a copy);
    ``limit`` names the bound ffmpeg hit (``"time"``, ``"memory"``, ``"cpu"``) and ``bound``
    its size (seconds or bytes)."""

    output: str
    ok: bool
    detail: str = ""
    code: int | None = None
    limit: str | None = None
    bound: float = 0.0


def partial_name(final: Path) -> Path:
    """The temporary name a file is written under before it is renamed to ``final``."""
    return final.with_name(f".{final.name}.coursecheck-partial")


class Executor:
    """Writes one plan's files into ``out``; see the module docstring for the guarantees."""

    def __init__(self, out: Path, source: Path, ffmpeg: str, target: Target,
                 display: Display) -> None:
        self.out, self.source = out.resolve(), source.resolve()
        self.ffmpeg, self.target, self.display = ffmpeg, target, display
        self.lock = threading.Lock()
        self.cancel = threading.Event()
        self.procs: set[BoundedProcess] = set()
        self.partials: set[Path] = set()
        self.done: list[str] = []
        scratch.sweep(WORK_PREFIX)  # the work folders of killed runs (coursecheck.scratch)
        self.work = scratch.make(WORK_PREFIX)

    def write(self, output: str, data: bytes | Copy) -> Outcome:
        """Write ``data`` (bytes, or a file to copy byte for byte) to ``output``."""
        try:
            final, temp = self._claim(output)
            if isinstance(data, Copy):
                shutil.copyfile(data.source, temp)
                shutil.copystat(data.source, temp)
            else:
                temp.write_bytes(data)
            os.replace(temp, final)
            self.done.append(output)
        except OSError as exc:
            self.cleanup_one(partial_name(self.out / output))
            return Outcome(output, False, exc.strerror or str(exc))
        self.cleanup_one(temp)
        return Outcome(output, True)

    def cleanup_one(self, temp: Path) -> None:
        """Remove one temporary file (if it is still there) and forget it."""
        with self.lock:
            temp.unlink(missing_ok=True)
            self.partials.discard(temp)

    def encode_all(self, jobs: tuple[Encode, ...], parallel: int) -> list[Outcome]:
        """Run every encode, ``parallel`` at a time; outcomes in ``jobs`` order."""
        pool = ThreadPoolExecutor(max_workers=max(1, parallel))
        try:  # a signal during submit must stop the encodes already started, too
            futures = [pool.submit(self._encode, job) for job in jobs]
            pending: set[Future[Outcome]] = set(futures)
            while pending:
                _, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            pool.shutdown(wait=True)
        except Interrupted:
            self.stop()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        return [f.result() for f in futures]

    def stop(self) -> None:
        """Stop every running ffmpeg and remove every temporary file.

        ffmpeg is killed rather than asked to finish: its output is thrown away, and a graceful
        stop would first flush the encoder's look-ahead, which takes seconds at slow presets.
        """
        with self.lock:
            self.cancel.set()
            running = list(self.procs)
            for proc in running:
                proc.kill()
        for proc in running:
            proc.wait()
        self.cleanup()

    def cleanup(self) -> None:
        """Remove temporary files and the work folder."""
        with self.lock:
            for temp in list(self.partials):
                temp.unlink(missing_ok=True)
            self.partials.clear()
        scratch.release(self.work)

    def _claim(self, output: str) -> tuple[Path, Path]:
        """The final and temporary paths for ``output``, both cleared, after making sure that
        no symlink in the output folder leads the write anywhere else (such as the source)."""
        final = self.out / output
        temp = partial_name(final)
        where = final.parent.resolve()
        if not where.is_relative_to(self.out) or where.is_relative_to(self.source):
            raise OSError(f"{output} would be written outside {self.out} (a symlink); skipped")
        final.parent.mkdir(parents=True, exist_ok=True)
        with self.lock:
            self.partials.add(temp)
        for path in (temp, final):  # stale files of an earlier run (--force) must not survive,
            if path.is_symlink() or path.is_file():  # and a symlink must not be written through
                path.unlink()
        return final, temp

    def _encode(self, job: Encode) -> Outcome:
        if self.cancel.is_set():
            return Outcome(job.output, False, "cancelled")
        try:
            final, temp = self._claim(job.output)
            work = self.work / f"job-{id(job):x}"  # this lesson's own scratch folder
            work.mkdir()
            still = None
            if job.picture is Picture.SLATE:
                still = make_slate(job.title, work / "slate.png", self.target.width,
                                   self.target.height)
        except OSError as exc:
            return Outcome(job.output, False, exc.strerror or str(exc))
        argvs = commands(self.ffmpeg, job, temp, self.target, still, work, progress=True)
        self.display.start(job.output, job.duration_s)
        for step, argv in enumerate(argvs, 1):
            done = self._run(job, argv, last=step == len(argvs))
            if done is None or not done.ok:
                break
        ok = done is not None and done.ok and not self.cancel.is_set()
        with self.lock:
            if ok:
                os.replace(temp, final)
                self.done.append(job.output)
            else:
                temp.unlink(missing_ok=True)
            self.partials.discard(temp)
        if not self.cancel.is_set():
            self.display.finish(job.output, ok)
        if done is None:
            return Outcome(job.output, False, "cancelled")
        if ok:
            return Outcome(job.output, True, code=0)
        bound = (time_limit_s(job.duration_s, self.target.preset) if done.limit == "time"
                 else float(memory_cap()) if done.limit == "memory" else 0.0)
        return Outcome(job.output, False, done.last_lines(), done.returncode, done.limit, bound)

    def _run(self, job: Encode, argv: list[str], last: bool) -> Bounded | None:
        """Run one ffmpeg of ``job``, bounded; the last one's progress moves the display.
        ``None`` when the run was cancelled or ffmpeg could not start."""
        with self.lock:
            if self.cancel.is_set():
                return None
            try:
                proc = popen_bounded(argv, timeout_s=time_limit_s(job.duration_s,
                                                                  self.target.preset),
                                     mem_bytes=memory_cap(), stdout_pipe=last)
            except OSError as exc:
                return Bounded(127, exc.strerror or str(exc), None, False, False, None, 0.0, 0)
            self.procs.add(proc)
        try:
            if proc.stdout is not None:
                lines = (raw.decode("utf-8", "replace") for raw in proc.stdout)
                for done_s, _ in read_progress(lines):
                    self.display.advance(job.output, done_s)
        finally:
            result = proc.wait()
            with self.lock:
                self.procs.discard(proc)
        return result


@contextmanager
def interruptible() -> Iterator[None]:
    """Turn the first SIGINT or SIGTERM into :class:`Interrupted`; ignore any that follow."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not fired:
            fired.append(signum)
            raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)

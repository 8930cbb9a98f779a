"""Worker processes that read media, so MediaInfo never runs inside coursecheck's own process.

Every lesson file is untrusted input. libmediainfo can be driven to spend minutes of CPU or
gigabytes of memory on a crafted file, or to crash, so it runs only in a worker process that is:

- **bounded**: before each file the worker sets ``RLIMIT_CPU`` (its CPU time so far plus
  :attr:`Limits.cpu_seconds`) and ``RLIMIT_AS`` (its address space so far plus
  :attr:`Limits.memory_mb`). A file that uses up the CPU time kills its worker with ``SIGXCPU``;
  one that runs out of memory raises ``MemoryError`` or kills its worker;
- **fed in batches**: a worker gets up to :data:`BATCH` paths in one message, and the next batch
  before it runs dry, so neither side wakes the other for every file; it answers each file as
  it finishes it, so the parent always knows which file a worker was reading when it died;
- **watched**: the parent waits on each worker's pipe *and* its process sentinel, so a worker that
  dies (a limit, the OOM killer, ``kill -9``) is noticed at once, never waited for forever. A
  file that used up its CPU time is ``too_slow`` at once; after any other death the file is tried
  once more in a fresh worker, and when that one dies too the file is ``worker_died`` (an X001
  finding on that lesson). Either way the run goes on with the other files;
- **tied to its parent**: on Linux it asks the kernel for ``SIGKILL`` when its parent dies
  (``PR_SET_PDEATHSIG``); everywhere it ends when the parent's end of its pipe closes. It ignores
  Ctrl-C (the parent decides when workers stop, and kills them) and dies quietly on SIGTERM.

Workers start with the platform's default start method (fork on Linux, spawn on macOS and
Windows); ``COURSECHECK_START_METHOD`` (``spawn``, ``fork`` or ``forkserver``) overrides it.
Windows has no rlimits: there a worker is only watched, not bounded (see docs/en/safety.md).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursecheck.options import RunOptions
from coursecheck.probe import MediaFacts

if TYPE_CHECKING:  # multiprocessing is imported only when a worker is needed
    from multiprocessing.connection import Connection
    from multiprocessing.context import BaseContext

START_METHOD_VAR = "COURSECHECK_START_METHOD"
CPU_VAR = "COURSECHECK_PROBE_CPU_SECONDS"
MEMORY_VAR = "COURSECHECK_PROBE_MEMORY_MB"
CPU_SECONDS, MEMORY_MB = 20, 1024  # the default limits per file
RETRIES = 1  # a file whose worker died is tried this many more times before it is given up
BATCH = 8  # files sent to a worker in one message (it answers each one as it finishes it)
_STOP_WAIT_S = 2.0


@dataclass(frozen=True, slots=True)
class Limits:
    """What one file may cost its worker: CPU seconds and memory (MiB) on top of what it had."""

    cpu_seconds: int = CPU_SECONDS
    memory_mb: int = MEMORY_MB

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, or ``COURSECHECK_PROBE_CPU_SECONDS`` / ``COURSECHECK_PROBE_MEMORY_MB``
        when they hold a positive whole number."""
        env = os.environ if environ is None else environ
        return cls(_positive(env.get(CPU_VAR), CPU_SECONDS),
                   _positive(env.get(MEMORY_VAR), MEMORY_MB))


def _positive(text: str | None, default: int) -> int:
    try:
        value = int((text or "").strip())
    except ValueError:
        return default
    return value if value > 0 else default


def start_context() -> BaseContext:
    """The multiprocessing context workers start from: the platform default unless
    ``COURSECHECK_START_METHOD`` names another available method."""
    import multiprocessing

    method = os.environ.get(START_METHOD_VAR, "").strip().lower()
    if method not in multiprocessing.get_all_start_methods():
        method = ""
    return multiprocessing.get_context(method or None)


Result = tuple[Path, MediaFacts, list[str]]


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: BaseContext, options: RunOptions, limits: Limits) -> None:
        self.context = context
        self.conn, self._there = context.Pipe()
        self.process: Any = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(self._there, options, limits), daemon=True)
        self.pending: deque[Any] = deque()  # sent, not yet answered, in the order sent
        self.stopped = False

    def start(self) -> None:
        _helpers_running(self.context)
        with signals_blocked():  # a Ctrl-C now reaches the parent only, after the start
            self.process.start()
        self._there.close()

    def send(self, kind: str, items: list[Any], cached: bool) -> None:
        """Ask for ``items`` (paths to probe, or deep jobs); a worker that has died meanwhile is
        noticed by its sentinel, and the items go to another worker."""
        self.pending.extend(items)
        with suppress(OSError):
            self.conn.send((kind, items, cached))

    def stop(self, wait_s: float) -> None:
        """Ask the worker to finish (``wait_s`` > 0) or kill it at once; reap it. Once."""
        if self.stopped:
            return
        self.stopped = True
        if self.process.pid is not None:  # started
            if wait_s > 0 and not self.pending:
                with suppress(OSError):
                    self.conn.send(None)
                self.process.join(wait_s)
            if self.process.is_alive():
                self.process.kill()
            self.process.join()
        self.conn.close()
        self._there.close()


class ProbePool:
    """Up to ``jobs`` bounded workers, started only when a file needs one.

    Use it as a context manager: leaving the block stops every worker, by killing it when the
    block ends with an exception (Ctrl-C, SIGTERM).
    """

    def __init__(self, options: RunOptions, jobs: int, limits: Limits | None = None) -> None:
        self.options = options
        self.jobs = max(1, jobs)
        self.limits = limits or Limits.from_env()
        self._context: BaseContext | None = None
        self._idle: list[_Worker] = []
        self._alive: list[_Worker] = []  # every worker started and not yet stopped
        self.started = 0  # workers started in this run, replacements included

    def __enter__(self) -> ProbePool:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.close(now=kind is not None)

    def close(self, now: bool = False) -> None:
        """Stop every worker: each asked to finish, or with ``now`` terminated at once."""
        if now:
            _end(self._alive)
        for worker in self._alive:
            worker.stop(_STOP_WAIT_S)
        self._alive.clear()
        self._idle.clear()

    def probe(self, path: Path) -> MediaFacts:
        """Probe one file in a worker (no cache there): a drop-in for :func:`probe.probe`."""
        for _path, facts, _notes in self.run([path], cached=False):
            return facts
        raise AssertionError("unreachable: run() yields once per path")

    def run(self, paths: list[Path], cached: bool = True) -> Iterator[Result]:
        """``(path, facts, notes)`` for each of ``paths``, in the order they finish.

        With ``cached``, workers go through the probe cache (and write to it); their notes (a
        damaged cache, say) come back with each result.
        """
        yield from self.tasks("probe", paths, lambda path, code: died(path, code, self.limits),
                              cached)

    def tasks(self, kind: str, items: list[Any], dead: Callable[[Any, int | None], Any],
              cached: bool = False) -> Iterator[tuple[Any, Any, list[str]]]:
        """``(item, answer, notes)`` for each of ``items``, in the order they finish: files to
        probe (``kind`` ``probe``) or deep analyses (``deep``: a
        :class:`coursecheck.deep.batch.Job` each, one at a time per worker, the longest first
        as given). An item whose worker died twice (or used up its CPU time) is answered by
        ``dead(item, exit code)``."""
        if not items:
            return
        from multiprocessing.connection import wait

        queue = deque(items)
        deaths: dict[Any, int] = {}
        busy: list[_Worker] = []
        batch = self._batch if kind == "probe" else _one
        try:
            while queue or busy:
                while queue and len(busy) < self.jobs:
                    worker = self._next_idle() or self._start()
                    worker.send(kind, batch(queue), cached)
                    busy.append(worker)
                # with a timeout, so Ctrl-C is seen even when it lands on another thread
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                             timeout=0.25)
                for worker in [w for w in busy if w.conn in ready or w.process.sentinel in ready]:
                    # the worker's state is settled before anything is yielded: a consumer
                    # that stops after this answer (``probe``) must find it idle, not busy
                    answers = list(_answers(worker))
                    if (kind == "probe" and queue and len(worker.pending) <= 1
                            and worker.process.is_alive()):
                        worker.send(kind, batch(queue), cached)  # before it runs dry
                    gone, finished = worker.process.sentinel in ready, not worker.pending
                    if finished:
                        busy.remove(worker)
                        if gone:  # died after its last answer
                            self._retire(worker)
                        else:
                            self._idle.append(worker)
                    yield from answers
                    if finished or not gone:
                        continue  # done, or still working on its batch
                    busy.remove(worker)
                    worker.process.join()
                    code = worker.process.exitcode
                    item, rest = worker.pending.popleft(), list(worker.pending)
                    self._retire(worker)
                    queue.extendleft(reversed(rest))  # not their fault: tried again as usual
                    deaths[item] = deaths.get(item, 0) + 1
                    if deaths[item] <= RETRIES and not hit_cpu_limit(code):
                        queue.appendleft(item)  # once more, in a fresh worker
                    else:
                        yield item, dead(item, code), []
        finally:  # Ctrl-C, or a consumer that stopped early (the generator closed)
            _end(busy)
            for worker in busy:
                self._retire(worker)

    def _next_idle(self) -> _Worker | None:
        """An idle worker that is still alive (one that died while idle is retired, so that
        its death is not blamed on the next item), or ``None``."""
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                return worker
            self._retire(worker)
        return None

    def _batch(self, queue: deque[Any]) -> list[Any]:
        """The next few paths for one worker: up to :data:`BATCH` while there is plenty left,
        fewer near the end so that the workers finish together."""
        size = max(1, min(BATCH, len(queue) // (2 * self.jobs)))
        return [queue.popleft() for _ in range(min(size, len(queue)))]

    def _start(self) -> _Worker:
        if self._context is None:
            self._context = start_context()
        self.started += 1
        worker = _Worker(self._context, self.options, self.limits)
        self._alive.append(worker)  # before it starts: a Ctrl-C just after still stops it
        # A forked worker shares the parent's memory until it writes to it, and a garbage
        # collection writes to every object it visits: freezing first keeps those pages shared.
        gc.freeze()
        try:
            worker.start()
        finally:
            gc.unfreeze()
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop(0)
        if worker in self._alive:
            self._alive.remove(worker)


def _one(queue: deque[Any]) -> list[Any]:
    return [queue.popleft()]


def _end(workers: list[_Worker]) -> None:
    """Stop ``workers`` now: SIGTERM first, so a deep worker kills its ffmpeg on the way out
    (a probe worker just dies), then SIGKILL for any still there after a moment."""
    started = [w for w in workers if not w.stopped and w.process.pid is not None]
    for worker in started:
        with suppress(OSError, AttributeError):
            worker.process.terminate()
    deadline = time.monotonic() + _STOP_WAIT_S
    for worker in started:
        worker.process.join(max(deadline - time.monotonic(), 0.0))
        if worker.process.is_alive():
            worker.process.kill()


def _answers(worker: _Worker) -> Iterator[Result]:
    """Every answer the worker has written so far, each with the path it answers; stops at the
    first one missing (the worker is still working, or died before writing it)."""
    while worker.pending:
        try:
            if not worker.conn.poll():
                return
            facts, notes = worker.conn.recv()
        except (EOFError, OSError):
            return
        yield worker.pending.popleft(), facts, notes


def hit_cpu_limit(exitcode: int | None) -> bool:
    """Whether a worker's exit code says it used up its CPU time (``SIGXCPU``)."""
    return hasattr(signal, "SIGXCPU") and exitcode == -signal.SIGXCPU


def died(path: Path, exitcode: int | None, limits: Limits) -> MediaFacts:
    """The facts for a file whose worker died on it: the CPU limit it hit (at once), else the
    death (when it killed a fresh worker too)."""
    size = _size(path)
    if hit_cpu_limit(exitcode):
        return MediaFacts(size, error="too_slow", error_detail=str(limits.cpu_seconds))
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return MediaFacts(size, error="worker_died", error_detail=name)
    return MediaFacts(size, error="worker_died", error_detail=f"exit code {exitcode}")


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _helpers_running(context: BaseContext) -> None:
    """Start multiprocessing's own helper processes (the resource tracker; the fork server)
    now: starting one unblocks SIGINT and SIGTERM, which would undo :func:`signals_blocked`."""
    method = context.get_start_method()
    if method in ("spawn", "forkserver") and sys.platform != "win32":
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    if method == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back (POSIX) while a worker starts, so none lands half-way."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _serve(conn: Connection, options: RunOptions, limits: Limits) -> None:
    """A worker's life: answer ``(kind, items, cached)`` requests, one answer per item as each
    is done, until told to stop or orphaned."""
    from coursecheck.worker_setup import arm, prepare

    parent = prepare()
    from contextlib import ExitStack

    from coursecheck.cache import open_prober
    from coursecheck.probe import probe

    notes: list[str] = []
    with ExitStack() as stack:
        cached_prober = None
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError, KeyboardInterrupt):
                return
            if request is None or os.getppid() != parent:
                return
            kind, items, cached = request
            if cached and cached_prober is None:
                cached_prober = stack.enter_context(open_prober(options, notes))
            for item in items:  # one answer per item, so the parent knows which one killed us
                arm(limits)
                if kind == "deep":
                    from coursecheck.deep.batch import run_in_worker

                    answer: Any = run_in_worker(item)
                else:
                    try:
                        answer = (cached_prober or probe)(item) if cached else probe(item)
                    except MemoryError:
                        answer = MediaFacts(_size(item), error="too_big",
                                            error_detail=str(limits.memory_mb))
                try:
                    conn.send((answer, list(notes)))
                except (OSError, ValueError):
                    return
                notes.clear()
    sys.exit(0)

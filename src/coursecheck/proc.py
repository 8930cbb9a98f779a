"""The one place that starts child processes (ffmpeg, helpers): bounded in time, memory and
output, and dying with coursecheck.

:func:`run_bounded` runs a child to the end and returns a :class:`Bounded` record;
:func:`popen_bounded` starts one for callers that stream its stdout (progress records) and
then call :meth:`BoundedProcess.wait`. Both give the same guarantees:

- **Time.** At ``timeout_s`` the child's process group gets SIGTERM, then SIGKILL after
  :data:`GRACE_S`. ``timed_out`` says so.
- **Memory (POSIX).** ``RLIMIT_AS`` is set to ``mem_bytes`` in the child before it runs, so an
  allocation past the cap fails inside the child (ffmpeg then exits with an error, or dies).
  ``RLIMIT_CPU`` is set to the CPU seconds the wall-clock limit could ever use, so even a child
  that somehow outlives coursecheck stops on its own.
- **Output.** stderr is read by a thread and only its first :data:`HEAD_BYTES` and last
  ``stderr_cap`` bytes are kept; captured stdout is capped the same way.
- **No orphans.** The child leads its own process group (so a timeout or :meth:`kill` reaches
  anything it started). On Linux it also gets ``PR_SET_PDEATHSIG(SIGKILL)``: when coursecheck
  dies, even by SIGKILL, the kernel kills the child. Linux ties that signal to the *thread* that
  started the child, so start and wait in the same thread (a worker thread that outlives its
  child is fine).
- **Windows.** There are no rlimits. Each child is put in its own Job Object (see
  :mod:`coursecheck.winjob`) that kills it on close and, with ``mem_bytes``, caps its memory:
  the job's only handle is coursecheck's, so when coursecheck ends for any reason Windows closes
  it and kills the child, and an allocation past the cap fails. If the job cannot be made (very
  old Windows, a parent job that forbids nesting), the child runs with the time limit only.

``killed_by_limit`` is true when the time limit fired, or the child failed in a way that a memory
or CPU cap causes (``limit`` names which: ``"time"``, ``"memory"`` or ``"cpu"``).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from coursecheck import winjob
from coursecheck.cpus import pin

MiB = 1024 * 1024
STDERR_CAP = 4 * MiB
STDOUT_CAP = 64 * MiB
HEAD_BYTES = 16 * 1024
GRACE_S = 2.0
ADDRESS_TAG = re.compile(r"^\s*\[[^\]]* @ 0x[0-9a-fA-F]+\]\s*")
MEMORY_WORDS = ("cannot allocate memory", "out of memory", "memoryerror", "bad_alloc",
                "enomem")


@dataclass(frozen=True, slots=True)
class Bounded:
    """How a bounded child ended. ``stderr`` is capped text; ``stdout`` is ``None`` unless it was
    captured. ``cpu_s`` (user + system) and ``max_rss`` (bytes) come from ``wait4``; both are 0
    where the platform does not report them."""

    returncode: int
    stderr: str
    stdout: bytes | None
    timed_out: bool
    killed_by_limit: bool
    limit: str | None
    cpu_s: float
    max_rss: int

    @property
    def ok(self) -> bool:
        """The child exited with 0 and no limit fired."""
        return self.returncode == 0 and not self.killed_by_limit

    def last_lines(self, count: int = 3) -> str:
        """The last ``count`` non-empty stderr lines, joined by spaces (for a finding), without
        ffmpeg's ``[component @ 0x55…]`` prefixes, which mean nothing to a reader."""
        lines = [ADDRESS_TAG.sub("", line).strip() for line in self.stderr.splitlines()]
        return " ".join([line for line in lines if line][-count:])


class CappedReader:
    """Drains a binary stream in a thread, keeping the first ``head`` and last ``tail`` bytes."""

    def __init__(self, stream: IO[bytes], tail: int, head: int = HEAD_BYTES) -> None:
        self.stream, self.tail, self.head = stream, max(tail, 0), max(head, 0)
        self.first = bytearray()
        self.last = bytearray()
        self.dropped = 0
        self.thread = threading.Thread(target=self._drain, daemon=True)
        self.thread.start()

    def _drain(self) -> None:
        try:
            while chunk := self.stream.read(64 * 1024):
                room = self.head - len(self.first)
                if room > 0:
                    self.first += chunk[:room]
                    chunk = chunk[room:]
                self.last += chunk
                excess = len(self.last) - self.tail
                if excess > 0:
                    del self.last[:excess]
                    self.dropped += excess
        except (OSError, ValueError):
            pass
        finally:
            self.stream.close()

    def result(self, timeout: float = 5.0) -> bytes:
        """What was kept, with a marker where bytes were dropped."""
        self.thread.join(timeout)
        if not self.dropped:
            return bytes(self.first + self.last)
        marker = f"\n[… {self.dropped} bytes left out …]\n".encode()
        return bytes(self.first) + marker + bytes(self.last)


def _limits(mem_bytes: int | None, cpu_s: int,
            cpu: int | None = None) -> Callable[[], None] | None:
    """The ``preexec_fn`` that caps memory and CPU, arms the parent-death signal and, with
    ``cpu``, ties the child to that one CPU (see :mod:`coursecheck.cpus`).

    Each cap is lowered to the hard limit coursecheck itself runs under (``ulimit``), which an
    unprivileged process cannot raise, so setting it never fails.
    """
    if os.name != "posix":
        return None
    import resource

    caps = [(resource.RLIMIT_CPU, cpu_s, cpu_s + 5)]
    if mem_bytes is not None:
        caps.append((resource.RLIMIT_AS, mem_bytes, mem_bytes))
    wanted = [(which, *_within(resource.getrlimit(which)[1], soft, hard))
              for which, soft, hard in caps]
    parent = os.getpid()
    arm = _pdeathsig()

    def setup() -> None:  # runs in the child between fork and exec: no locks, no imports
        pin(cpu)
        for which, soft, hard in wanted:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(which, (soft, hard))
        if arm is not None:
            arm()
            if os.getppid() != parent:  # the parent died before the signal was armed
                os.kill(os.getpid(), signal.SIGKILL)

    return setup


def _within(ceiling: int, soft: int, hard: int) -> tuple[int, int]:
    """``(soft, hard)`` no higher than ``ceiling`` (``RLIM_INFINITY`` is no ceiling)."""
    import resource

    if ceiling == resource.RLIM_INFINITY or ceiling < 0:
        return soft, hard
    return min(soft, ceiling), min(hard, ceiling)


def _pdeathsig() -> Callable[[], None] | None:
    """A call that makes the calling (child) process receive SIGKILL when its parent dies."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                      ctypes.c_ulong]
    pr_set_pdeathsig = 1
    kill = int(signal.SIGKILL)
    return lambda: prctl(pr_set_pdeathsig, kill, 0, 0, 0)


class BoundedProcess:
    """A running bounded child. Read :attr:`stdout` (when piped), then call :meth:`wait`."""

    def __init__(self, argv: Sequence[str], *, timeout_s: float, mem_bytes: int | None,
                 stderr_cap: int, stdout: int | None, env: Mapping[str, str] | None,
                 cwd: str | None, cpu: int | None = None) -> None:
        self.timeout_s = timeout_s
        self.mem_bytes = mem_bytes
        cpu_cap = math.ceil(timeout_s * (os.cpu_count() or 1)) + 10
        self.cpu_limit = cpu_cap
        self._killed = False  # by kill(): a stop that was asked for, not a limit
        kwargs: dict[str, Any] = {}
        if os.name == "posix":
            kwargs.update(preexec_fn=_limits(mem_bytes, cpu_cap, cpu), start_new_session=True)
        else:
            kwargs.update(creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
        self.popen = subprocess.Popen(
            list(argv), stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE,
            env=dict(env) if env is not None else None, cwd=cwd, **kwargs)
        self.job = winjob.contain(self.popen, mem_bytes) if os.name == "nt" else None
        self.pid = self.popen.pid
        self.stdout: IO[bytes] | None = self.popen.stdout
        assert self.popen.stderr is not None
        self._errors = CappedReader(self.popen.stderr, stderr_cap)
        self._state = threading.Lock()
        self._wait_lock = threading.Lock()
        self._reaped = False
        self._result: Bounded | None = None
        self._usage: tuple[float, int] = (0.0, 0)
        self.timed_out = False
        self._timer = threading.Timer(timeout_s, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _signal(self, signum: int) -> None:
        with self._state:
            if self._reaped:
                return
            with contextlib.suppress(OSError):  # already gone
                if os.name == "posix":
                    os.killpg(self.pid, signum)
                else:
                    self.popen.kill()

    def _expire(self) -> None:
        self.timed_out = True
        self._signal(signal.SIGTERM)
        end = time.monotonic() + GRACE_S
        while time.monotonic() < end and not self._reaped:  # never poll(): that would reap
            time.sleep(0.05)
        self._signal(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)

    def kill(self) -> None:
        """Kill the child and everything in its process group now."""
        self._killed = True
        self._signal(signal.SIGKILL if os.name == "posix" else signal.SIGTERM)

    def _reap(self) -> int:
        if os.name != "posix":
            return self.popen.wait()
        if hasattr(os, "waitid"):  # wait without reaping, so the group id cannot be reused
            while True:
                try:
                    os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT)
                    break
                except InterruptedError:
                    continue
                except ChildProcessError:
                    break
        with self._state:
            with contextlib.suppress(OSError):  # anything the child left behind
                os.killpg(self.pid, signal.SIGKILL)
            self._reaped = True
        try:
            _, status, usage = os.wait4(self.pid, 0)
        except ChildProcessError:  # reaped elsewhere
            return self.popen.wait()
        self._usage = (usage.ru_utime + usage.ru_stime, _rss_bytes(usage.ru_maxrss))
        code = os.waitstatus_to_exitcode(status)
        self.popen.returncode = code
        return code

    def wait(self, stdout: bytes | None = None) -> Bounded:
        """Wait for the child (the time limit still applies) and describe how it ended."""
        with self._wait_lock:
            if self._result is not None:
                return self._result
            try:
                code = self._reap()
            except BaseException:  # Ctrl-C while waiting: the child must not outlive this
                self.kill()
                self._reap()
                raise
            self._timer.cancel()
            if self.job is not None:
                winjob.close(self.job)
            text = self._errors.result().decode("utf-8", "replace")
            timed_out = self.timed_out and code != 0  # a child that finished as time ran out
            limit = "time" if timed_out else self._limit(code, text)
            self._result = Bounded(code, text, stdout, timed_out, limit is not None, limit,
                                   *self._usage)
            return self._result

    def _limit(self, code: int, text: str) -> str | None:
        if code == 0:
            return None
        if os.name == "posix" and (code == -signal.SIGXCPU or (
                code == -signal.SIGKILL and not self._killed
                and self._usage[0] >= self.cpu_limit - 1)):  # past the soft limit, SIGKILL
            return "cpu"
        if self.mem_bytes is not None:
            lowered = text[-4096:].lower()
            if any(word in lowered for word in MEMORY_WORDS) or code in (
                    -signal.SIGSEGV, -signal.SIGABRT, -getattr(signal, "SIGBUS", 7)):
                return "memory"
        return None


def _rss_bytes(maxrss: int) -> int:
    """``ru_maxrss`` in bytes: kilobytes on Linux, bytes on macOS."""
    return maxrss if sys.platform == "darwin" else maxrss * 1024


def popen_bounded(argv: Sequence[str], *, timeout_s: float, mem_bytes: int | None = None,
                  stderr_cap: int = STDERR_CAP, stdout_pipe: bool = True,
                  env: Mapping[str, str] | None = None, cwd: str | None = None,
                  cpu: int | None = None) -> BoundedProcess:
    """Start ``argv`` bounded as the module docstring says; its stdout is a pipe to read
    (binary) when ``stdout_pipe``, else discarded; with ``cpu`` (POSIX) it runs on that CPU
    only. Raises ``OSError`` when it cannot start."""
    return BoundedProcess(argv, timeout_s=timeout_s, mem_bytes=mem_bytes,
                          stderr_cap=stderr_cap,
                          stdout=subprocess.PIPE if stdout_pipe else subprocess.DEVNULL,
                          env=env, cwd=cwd, cpu=cpu)


def run_bounded(argv: Sequence[str], *, timeout_s: float, mem_bytes: int | None = None,
                stderr_cap: int = STDERR_CAP, capture_stdout: bool = False,
                stdout_cap: int = STDOUT_CAP, env: Mapping[str, str] | None = None,
                cwd: str | None = None, cpu: int | None = None) -> Bounded:
    """Run ``argv`` to the end within the bounds; with ``capture_stdout`` keep up to
    ``stdout_cap`` bytes of its stdout. Raises ``OSError`` when it cannot start."""
    proc = popen_bounded(argv, timeout_s=timeout_s, mem_bytes=mem_bytes, stderr_cap=stderr_cap,
                         stdout_pipe=capture_stdout, env=env, cwd=cwd, cpu=cpu)
    if not capture_stdout:
        return proc.wait()
    assert proc.stdout is not None
    reader = CappedReader(proc.stdout, tail=0, head=stdout_cap)
    result = proc.wait()
    data = reader.result()
    return Bounded(result.returncode, result.stderr, data if not reader.dropped else
                   bytes(reader.first), result.timed_out, result.killed_by_limit, result.limit,
                   result.cpu_s, result.max_rss)

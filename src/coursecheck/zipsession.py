"""The zips one run reads, and the temporary folders they are read into.

A :class:`ZipSession` is a context manager: every folder it made is removed when its ``with``
block ends, however it ends (an exception, Ctrl-C, SIGTERM, which it turns into ``SystemExit``
while it is open), and failing that at interpreter exit. See :mod:`coursecheck.zipcourse` for
how a zip is read.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coursecheck import probe as probing
from coursecheck import scratch
from coursecheck.case import find_case
from coursecheck.facts import ArchiveFacts
from coursecheck.gather import Prober, find_manifest
from coursecheck.probe import MediaFacts
from coursecheck.settings import Settings
from coursecheck.targets import CourseTarget
from coursecheck.zipbatch import find_batch, inside, split_archive
from coursecheck.zipcourse import PREFIX, Member, OpenedZip, read_zip

if TYPE_CHECKING:
    from coursecheck.cache import ProbeCache


class ZipSession:
    """The zips one run reads. Use it as a context manager: every temporary folder is removed
    when the ``with`` block ends (Ctrl-C and SIGTERM included) and, failing that, at exit."""

    def __init__(self) -> None:
        self.opened: list[OpenedZip] = []
        self.members: dict[Path, Member] = {}
        self.unpacked: set[Path] = set()
        self._pid = os.getpid()
        self._old_term: signal.Handlers | None = None
        self._swept = False

    def __enter__(self) -> ZipSession:
        atexit.register(self.close)
        self._old_term = _exit_on_sigterm()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        atexit.unregister(self.close)
        if self._old_term is not None:
            signal.signal(signal.SIGTERM, self._old_term)

    def open(self, path: Path, display: str, max_bytes: int, max_ratio: float) -> OpenedZip:
        """Read ``path`` into a new private temporary folder (first removing those that killed
        runs left, see :mod:`coursecheck.scratch`)."""
        if not self._swept:
            self._swept = True
            scratch.sweep(PREFIX)
        folder = scratch.make(PREFIX)
        opened = OpenedZip(path, folder, folder, ArchiveFacts(display, ()))
        self.opened.append(opened)  # registered first: removed even if reading fails
        opened = read_zip(path, folder, display, max_bytes, max_ratio)
        self.opened[-1] = opened
        self.members.update(opened.members)
        return opened

    def prober(self, inner: Prober, cache: ProbeCache | None, raw: Prober | None = None
               ) -> Prober:
        """``inner``, except that a zip member is unpacked first, or answered by ``cache``
        without unpacking when the zip has not changed (``raw`` as for :meth:`facts`)."""
        def probe(path: Path) -> MediaFacts:
            return inner(path) if path not in self.members else self.facts(path, cache, raw)
        return probe

    def facts(self, path: Path, cache: ProbeCache | None, raw: Prober | None = None
              ) -> MediaFacts:
        """Media facts for the member whose placeholder is ``path``: from ``cache``, else
        unpacked and probed by ``raw`` (default: :func:`probe.probe`, in this process)."""
        member = self.members[path]

        def make() -> MediaFacts:
            self.unpacked.add(path)
            problem = member.extract()
            if problem:
                return MediaFacts(file_size=member.info.file_size, error="unreadable",
                                  error_detail=problem)
            return (raw or probing.probe)(member.target)
        return make() if cache is None else cache.probe_part(member.zip, member.part, make)

    def unpack_all(self) -> None:
        """Write every member still a placeholder, for what reads the lessons themselves
        (``--deep``, thumbnails); a member that cannot be written stays a placeholder."""
        for path, member in self.members.items():
            if path not in self.unpacked:
                self.unpacked.add(path)
                member.extract()

    def close(self) -> None:
        """Remove every temporary folder (only in the process that made them)."""
        if os.getpid() != self._pid:
            return
        for opened in self.opened:
            scratch.release(opened.folder)
        self.opened.clear()
        self.members.clear()
        self.unpacked.clear()


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _exit_on_sigterm() -> signal.Handlers | None:
    """Make SIGTERM unwind the stack (so ``finally`` blocks remove the temporary folders) when
    nothing else handles it; the handler to put back, or ``None``."""
    if threading.current_thread() is not threading.main_thread():
        return None
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return None
    signal.signal(signal.SIGTERM, _terminated)
    return signal.SIG_DFL


@dataclass(frozen=True, slots=True)
class ZipContents:
    """What a zip target holds: its courses and, in a batch, its learning-centre cases (a
    target whose manifest is ``case.yaml``), sorted by how they are shown; and its statistics
    files with how they are shown."""

    targets: list[CourseTarget]
    statistics: list[tuple[Path, str]]


def open_target(zips: ZipSession, target: CourseTarget, settings: Settings) -> ZipContents:
    """What a zip target holds, read through ``zips``: one course, or each course and case
    folder of a zip of several (:mod:`coursecheck.zipbatch`); nothing when it holds no course."""
    opened = zips.open(target.root, target.display, settings.zip_max_bytes,
                       settings.zip_max_ratio)
    batch = find_batch(opened)
    if batch is None and not opened.holds_course:
        return ZipContents([], [])
    roots = [opened.root] if batch is None else batch.courses
    archives = split_archive(opened, roots)
    courses = [CourseTarget(root, find_manifest(root), _shown(target.display, opened, root),
                            archive=replace(archive, display=target.display))
               for root, archive in zip(roots, archives, strict=True)]
    if batch is None:
        return ZipContents(courses, [])
    cases = [CourseTarget(root, find_case(root), _shown(target.display, opened, root))
             for root in batch.cases]
    return ZipContents(sorted([*courses, *cases], key=lambda t: t.display),
                       [(path, _shown(target.display, opened, path))
                        for path in batch.statistics])


def _shown(zip_display: str, opened: OpenedZip, path: Path) -> str:
    """How reports show a path in a zip: ``course.zip!``, ``batch.zip!/course-a``."""
    inner = inside(opened, path)
    return zip_display + "!" + ("/" + inner if inner else "")

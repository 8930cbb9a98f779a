"""A course sent as a zip file: read it safely into a private temporary folder.

Only members that are safe are written: a member whose path escapes (``../``, an absolute path,
a drive letter), a symlink, an encrypted member, one that decompresses more than ``max_ratio``
times its packed size, or a zip whose members add up to more than ``max_bytes``, is refused and
becomes a finding (Z001–Z005, :mod:`coursecheck.rules.archive`). Video and audio members are
written only when they must be probed: until then each is a sparse placeholder of the right
size, so a re-run whose probe cache knows the member (by the zip's identity, the member's name,
CRC and size) never decompresses it.

Names that are not flagged UTF-8 (zips made on Chinese Windows store GBK) are read as UTF-8 when
they are valid UTF-8, else as GBK when that is valid, else as CP437 (the zip standard).
The temporary folders are removed when the run ends, however it ends (see :class:`ZipSession`).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from coursecheck import probe as probing
from coursecheck.facts import ArchiveFacts, Refused
from coursecheck.gather import MEDIA_EXTENSIONS, Prober, find_manifest
from coursecheck.probe import MediaFacts
from coursecheck.settings import Settings
from coursecheck.spec import MANIFEST_NAMES
from coursecheck.targets import CourseTarget

if TYPE_CHECKING:
    from coursecheck.cache import ProbeCache

PREFIX = "coursecheck-zip-"
RATIO_FLOOR = 1 << 20  # members smaller than this are never refused for their ratio
_DRIVE = re.compile(r"^[A-Za-z]:")
_JUNK = ("__MACOSX/",)  # what macOS's Archive Utility adds; never part of a course


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name: UTF-8 when flagged (bit 11) or valid, else GBK when valid, else
    CP437; backslashes (Windows tools) become ``/``."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:  # zipfile decoded it some other way already
            raw = b""
        for encoding in ("utf-8", "gbk"):
            try:
                name = raw.decode(encoding) if raw else name
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def refusal(info: zipfile.ZipInfo, name: str, max_ratio: float) -> str | None:
    """Why a member may not be written (``escape``, ``symlink``, ``encrypted``, ``ratio``),
    or ``None``."""
    parts = PurePosixPath(name).parts
    if (not name.strip("/") or name.startswith("/") or _DRIVE.match(name) or ".." in parts
            or "\x00" in name):
        return "escape"
    if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == 0o120000:
        return "symlink"
    if info.flag_bits & 0x1:
        return "encrypted"
    if (info.file_size >= RATIO_FLOOR
            and info.file_size > max_ratio * max(info.compress_size, 1)):
        return "ratio"
    return None


@dataclass(frozen=True, slots=True)
class Member:
    """A video or audio member not yet written: where its placeholder is, and what it is."""

    zip: Path
    info: zipfile.ZipInfo
    target: Path

    @property
    def part(self) -> str:
        """What identifies the member inside its zip, for the probe cache."""
        return f"zip:{self.info.filename}\0{self.info.CRC:08x}\0{self.info.file_size}"

    def extract(self) -> str | None:
        """Write the member over its placeholder; the reason it could not be, or ``None``."""
        try:
            with zipfile.ZipFile(self.zip) as archive, archive.open(self.info) as source, \
                    open(self.target, "wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
        except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError,
                ValueError) as exc:
            return str(exc) or type(exc).__name__
        return None


@dataclass
class OpenedZip:
    """One zip read into ``folder``: the course folder in it and what was refused."""

    zip: Path
    folder: Path
    root: Path
    archive: ArchiveFacts
    members: dict[Path, Member] = field(default_factory=dict)

    @property
    def holds_course(self) -> bool:
        """A manifest at the top (or in the one top folder), or any video or audio file."""
        return (find_manifest(self.root) is not None or bool(self.members)
                or bool(self.archive.refused))


def _course_root(folder: Path, names: list[str]) -> Path:
    """The zip's top, or its one top folder when everything is inside it."""
    if any(name in MANIFEST_NAMES for name in names):
        return folder
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names):
        return folder / tops.pop()
    return folder


def read_zip(path: Path, folder: Path, display: str, max_bytes: int,
             max_ratio: float) -> OpenedZip:
    """Write the safe members of ``path`` into ``folder`` (media as placeholders)."""
    refused: list[Refused] = []
    accepted: list[tuple[zipfile.ZipInfo, str]] = []
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        facts = ArchiveFacts(display, (Refused(".", "unreadable", str(exc)),), readable=False)
        return OpenedZip(path, folder, folder, facts)
    for info in infos:
        name = member_name(info)
        if name.startswith(_JUNK) or PurePosixPath(name).name.startswith("._"):
            continue
        why = refusal(info, name, max_ratio)
        if why is not None:
            refused.append(Refused(name, why, f"{info.file_size}/{info.compress_size}"))
        elif not info.is_dir():
            accepted.append((info, name))
    total = sum(info.file_size for info, _ in accepted)
    if total > max_bytes:
        refused.append(Refused(".", "total", f"{total}/{max_bytes}"))
        accepted = []
    opened = OpenedZip(path, folder, _course_root(folder, [n for _, n in accepted]),
                       ArchiveFacts(display, ()))
    with zipfile.ZipFile(path) as archive:
        for info, name in accepted:
            target = folder / name
            problem = _write(archive, info, target, opened)
            if problem:
                refused.append(Refused(name, "unreadable", problem))
    opened.archive = ArchiveFacts(display, tuple(refused), strip=_strip(folder, opened.root))
    return opened


def _strip(folder: Path, root: Path) -> str:
    return "" if root == folder else root.name + "/"


def _write(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path,
           opened: OpenedZip) -> str | None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if PurePosixPath(target.name).suffix.lower() in MEDIA_EXTENSIONS:
            with open(target, "wb") as out:  # a sparse placeholder until it is probed
                out.truncate(info.file_size)
            opened.members[target] = Member(opened.zip, info, target)
            return None
        with archive.open(info) as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)
    except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError,
            ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


class ZipSession:
    """The zips one run reads. Use it as a context manager: every temporary folder is removed
    when the ``with`` block ends (Ctrl-C and SIGTERM included) and, failing that, at exit."""

    def __init__(self) -> None:
        self.opened: list[OpenedZip] = []
        self.members: dict[Path, Member] = {}
        self.unpacked: set[Path] = set()
        self._pid = os.getpid()
        self._old_term: signal.Handlers | None = None

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
        """Read ``path`` into a new private temporary folder."""
        folder = Path(os.path.realpath(tempfile.mkdtemp(prefix=PREFIX)))
        opened = OpenedZip(path, folder, folder, ArchiveFacts(display, ()))
        self.opened.append(opened)  # registered first: removed even if reading fails
        opened = read_zip(path, folder, display, max_bytes, max_ratio)
        self.opened[-1] = opened
        self.members.update(opened.members)
        return opened

    def prober(self, inner: Prober, cache: ProbeCache | None) -> Prober:
        """``inner``, except that a zip member is unpacked first, or answered by ``cache``
        without unpacking when the zip has not changed."""
        def probe(path: Path) -> MediaFacts:
            return inner(path) if path not in self.members else self.facts(path, cache)
        return probe

    def facts(self, path: Path, cache: ProbeCache | None) -> MediaFacts:
        """Media facts for the member whose placeholder is ``path``: from ``cache``, else
        unpacked and probed."""
        member = self.members[path]

        def make() -> MediaFacts:
            self.unpacked.add(path)
            problem = member.extract()
            if problem:
                return MediaFacts(file_size=member.info.file_size, error="unreadable",
                                  error_detail=problem)
            return probing.probe(member.target)
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
            shutil.rmtree(opened.folder, ignore_errors=True)
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


def open_target(zips: ZipSession, target: CourseTarget, settings: Settings
                ) -> CourseTarget | None:
    """The course a zip target holds, read through ``zips``; ``None`` when it holds none."""
    opened = zips.open(target.root, target.display, settings.zip_max_bytes,
                       settings.zip_max_ratio)
    if not opened.holds_course:
        return None
    inner = opened.root.relative_to(opened.folder).as_posix()
    display = target.display + "!" + ("" if inner == "." else "/" + inner)
    return CourseTarget(opened.root, find_manifest(opened.root), display,
                        archive=replace(opened.archive, display=target.display))

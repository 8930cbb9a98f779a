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
The temporary folders are removed when the run ends, however it ends (see
:mod:`coursecheck.zipsession`).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from coursecheck.facts import ArchiveFacts, Refused
from coursecheck.gather import MEDIA_EXTENSIONS, find_manifest
from coursecheck.spec import MANIFEST_NAMES

if TYPE_CHECKING:
    pass

PREFIX = "coursecheck-zip-"
RATIO_FLOOR = 1 << 20  # members smaller than this are never refused for their ratio
MAX_MEMBERS = 100_000  # more entries than any course has: a zip of empty files is refused too
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
    """The zip's top when it holds the manifest; else the one top folder that does (a note
    beside it is no matter); else the one top folder everything is in; else the top."""
    if any(name in MANIFEST_NAMES for name in names):
        return folder
    holders = {top for top, _, rest in (name.partition("/") for name in names)
               if rest in MANIFEST_NAMES}
    if len(holders) == 1:
        return folder / holders.pop()
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
    if len(infos) > MAX_MEMBERS:
        refused.append(Refused(".", "members", str(len(infos))))
        accepted = []
    elif total > max_bytes:
        refused.append(Refused(".", "total", f"{total}/{max_bytes}"))
        accepted = []
    opened = OpenedZip(path, folder, _course_root(folder, [n for _, n in accepted]),
                       ArchiveFacts(display, ()))
    try:
        with zipfile.ZipFile(path) as archive:
            for info, name in accepted:
                problem = _write(archive, info, folder / name, opened)
                if problem:
                    refused.append(Refused(name, "unreadable", problem))
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:  # changed meanwhile
        refused.append(Refused(".", "unreadable", str(exc) or type(exc).__name__))
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

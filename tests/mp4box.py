"""A small MP4 box reader and in-place writer, for byte-editing files ffmpeg made.

ffmpeg cannot write a damaged index, so tests take a real file and change a few bytes of it:
``find(data, "moov/trak/mdia/minf/stbl/stts")`` lists those boxes, ``set_count`` rewrites a
table's entry count, ``zero_sample_sizes`` empties ``stsz``, ``cut_after`` truncates the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTAINERS = {"moov", "trak", "mdia", "minf", "stbl", "edts", "dinf", "udta"}


@dataclass(frozen=True)
class Box:
    """One box: its type, where it starts, where its body starts and where it ends."""

    kind: str
    offset: int
    body: int
    end: int


def children(data: bytes | bytearray, start: int = 0, end: int | None = None) -> list[Box]:
    """The boxes between ``start`` and ``end`` (the whole file by default)."""
    end = len(data) if end is None else end
    found, offset = [], start
    while offset + 8 <= end:
        size = int.from_bytes(data[offset:offset + 4], "big")
        kind = bytes(data[offset + 4:offset + 8]).decode("latin-1")
        body = offset + 8
        if size == 1:
            size, body = int.from_bytes(data[offset + 8:offset + 16], "big"), offset + 16
        elif size == 0:
            size = end - offset
        assert size >= body - offset, f"bad box at {offset}"
        found.append(Box(kind, offset, body, offset + size))
        offset += size
    return found


def find(data: bytes | bytearray, path: str) -> list[Box]:
    """Every box at ``path`` (types joined by ``/``), in file order."""
    level = children(data)
    *parents, last = path.split("/")
    for name in parents:
        level = [child for box in level if box.kind == name
                 for child in children(data, box.body, box.end)]
    return [box for box in level if box.kind == last]


def table(data: bytes | bytearray, name: str) -> Box:
    """The first sample table ``name`` (``stts``, ``stsz``, ...) or ``elst`` in the file."""
    path = "moov/trak/edts/elst" if name == "elst" else f"moov/trak/mdia/minf/stbl/{name}"
    boxes = find(data, path)
    assert boxes, f"no {name} box in this file"
    return boxes[0]


def set_count(data: bytearray, box: Box, count: int) -> None:
    """Rewrite the entry count of a full box table (after its version and flags)."""
    at = box.body + (8 if box.kind == "stsz" else 4)
    data[at:at + 4] = count.to_bytes(4, "big")


def zero_sample_sizes(data: bytearray, stsz: Box) -> None:
    """Make every sample of an ``stsz`` table 0 bytes long (the count stays)."""
    data[stsz.body + 4:stsz.body + 8] = bytes(4)
    data[stsz.body + 12:stsz.end] = bytes(stsz.end - stsz.body - 12)


def edit(source: Path, target: Path, change: str) -> Path:
    """Write ``source`` changed as ``change`` says to ``target``: ``count:TABLE`` (count
    0xFFFFFFFF), ``zero:stsz`` or ``cut:moov`` (the file ends right after ``moov``)."""
    data = bytearray(source.read_bytes())
    how, _, name = change.partition(":")
    if how == "count":
        set_count(data, table(data, name), 0xFFFFFFFF)
    elif how == "zero":
        zero_sample_sizes(data, table(data, "stsz"))
    elif how == "cut":
        moov = find(data, "moov")[0]
        assert all(box.offset > moov.offset for box in find(data, "mdat")), "moov must come first"
        del data[moov.end:]
    else:
        raise ValueError(change)
    target.write_bytes(bytes(data))
    return target

"""The sample tables of an MP4/MOV, checked before MediaInfo may read them.

libmediainfo loops and allocates once per entry an ``stts`` or ``elst`` table *declares*,
without bounding the count by the box's size: one 4-byte count raised to 0xFFFFFFFF in a 15 KB
file costs minutes of CPU or gigabytes of memory. So every table in ``moov`` (``stts``, ``ctts``,
``stsc``, ``stsz``/``stz2``, ``stco``/``co64``, ``stss``, ``elst``) is read here first, and the
file is refused when:

- a table declares more entries than its box holds (``damaged_index``, naming the table);
- its samples all have size 0, so it holds no media at all (``no_samples``);
- its chunks lie past the end of the file, or the ``mdat`` boxes hold fewer bytes than the
  samples need: the file was cut after its header (``truncated``).

Reading is bounded: at most :data:`MAX_BOXES` boxes and :data:`MAX_ENTRIES` sample entries per
file; beyond that the structure checks are skipped (the worker's limits still hold).
"""

from __future__ import annotations

import itertools
import operator
import struct
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from coursecheck.sniff import boxes

MAX_BOXES = 20_000
MAX_ENTRIES = 8_000_000
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}
# bytes per entry of each table (after the version/flags word and the count)
_ENTRY = {b"stts": 8, b"ctts": 8, b"stsc": 12, b"stco": 4, b"co64": 8, b"stss": 4}


@dataclass
class _Track:
    chunk_offsets: array[int] = field(default_factory=lambda: array("Q"))
    # the sample-to-chunk table as two columns: each run's first chunk, its samples per chunk
    firsts: array[int] = field(default_factory=lambda: array("I"))
    pers: array[int] = field(default_factory=lambda: array("I"))
    sizes: array[int] | None = None
    constant_size: int = 0
    sample_count: int = 0


class _Refused(Exception):
    def __init__(self, kind: str, table: str = "") -> None:
        super().__init__(kind)
        self.kind, self.table = kind, table


def index_problem(handle: BinaryIO, size: int) -> tuple[str, str] | None:
    """``(kind, table)`` when the file's sample tables are damaged (see the module), else
    ``None``; a file without ``moov`` is left to MediaInfo."""
    reader = _Reader(handle, size)
    try:
        tracks, mdat_bytes, fragmented = reader.walk()
        if not fragmented:
            _check_data(tracks, mdat_bytes, size)
    except _Refused as refused:
        return (refused.kind, refused.table) if refused.kind else None
    return None


class _Reader:
    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle, self.size, self.budget = handle, size, [MAX_BOXES]
        self.entries = 0

    def boxes(self, start: int, end: int) -> list[tuple[bytes, int, int]]:
        """``(type, body start, box end)`` of the boxes between ``start`` and ``end``."""
        return boxes(self.handle, start, end, self.budget)

    def walk(self) -> tuple[list[_Track], int, bool]:
        """The tracks of ``moov``, the bytes the ``mdat`` boxes hold, and whether the file is
        fragmented (its samples are described in ``moof`` boxes instead)."""
        tracks: list[_Track] = []
        mdat = 0
        fragmented = False
        for kind, body, end in self.boxes(0, self.size):
            if kind == b"mdat":
                mdat += max(0, end - body)
            elif kind == b"moof":
                fragmented = True
            elif kind == b"moov":
                for inner, ibody, iend in self.boxes(body, end):
                    if inner == b"trak":
                        tracks.append(self._track(ibody, iend))
                    elif inner == b"mvex":
                        fragmented = True
        return tracks, mdat, fragmented

    def _track(self, start: int, end: int) -> _Track:
        track = _Track()
        pending = [(start, end)]
        while pending:
            begin, stop = pending.pop()
            for kind, body, box_end in self.boxes(begin, stop):
                if kind in _CONTAINERS:
                    pending.append((body, box_end))
                else:
                    self._table(kind, body, box_end, track)
        return track

    def _table(self, kind: bytes, body: int, end: int, track: _Track) -> None:
        name = kind.decode("latin-1")
        self.handle.seek(body)
        head = self.handle.read(16)
        if kind in _ENTRY or kind == b"elst":
            if len(head) < 8:
                raise _Refused("damaged_index", name)
            count = int.from_bytes(head[4:8], "big")
            width = (20 if head[0] == 1 else 12) if kind == b"elst" else _ENTRY[kind]
            if count * width > end - body - 8:
                raise _Refused("damaged_index", name)
            if kind in (b"stco", b"co64"):
                track.chunk_offsets = self._numbers(body + 8, count, width)
            elif kind == b"stsc":
                raw = self._numbers(body + 8, count * 3, 4)
                track.firsts, track.pers = raw[0::3], raw[1::3]
                if not _increasing(track.firsts):
                    raise _Refused("damaged_index", name)  # runs must start on later chunks
        elif kind == b"stsz":
            if len(head) < 12:
                raise _Refused("damaged_index", name)
            constant, count = struct.unpack(">II", head[4:12])
            if constant == 0 and count * 4 > end - body - 12:
                raise _Refused("damaged_index", name)
            track.constant_size, track.sample_count = constant, count
            # a later stsz replaces an earlier one's list too: sizes always match the count
            track.sizes = self._numbers(body + 12, count, 4) if constant == 0 else None
        elif kind == b"stz2":
            if len(head) < 12:
                raise _Refused("damaged_index", name)
            bits, count = head[7], int.from_bytes(head[8:12], "big")
            if bits not in (4, 8, 16) or (count * bits + 7) // 8 > end - body - 12:
                raise _Refused("damaged_index", name)
            track.sample_count, track.sizes = count, None  # rare; sizes are not summed

    def _numbers(self, start: int, count: int, width: int) -> array[int]:
        """``count`` big-endian unsigned integers of ``width`` bytes (4 or 8) at ``start``."""
        self.entries += count
        if self.entries > MAX_ENTRIES:
            raise _Budget()
        self.handle.seek(start)
        numbers = array("Q" if width == 8 else "I")
        numbers.frombytes(self.handle.read(count * width))
        if numbers.itemsize != width:  # "I" is 4 bytes on every platform CPython runs on
            raise _Budget()
        if int.from_bytes(b"\x01\x00", "little") == 1:
            numbers.byteswap()
        return numbers


class _Budget(_Refused):
    """Too many entries to check here; not a finding."""

    def __init__(self) -> None:
        super().__init__("")


def _check_data(tracks: list[_Track], mdat_bytes: int, size: int) -> None:
    """Refuse samples of size 0, chunks past the end of the file, or too little ``mdat``."""
    needed = 0
    for track in tracks:
        if track.sample_count == 0:
            continue
        if track.sizes is None and track.constant_size == 0:
            continue  # stz2, not summed
        sizes = track.sizes
        total = sum(sizes) if sizes is not None else track.constant_size * track.sample_count
        if total == 0:
            raise _Refused("no_samples", "stsz")
        needed += total
        if _chunks_past_end(track, size):
            raise _Refused("truncated", "stco")
    if needed > mdat_bytes:
        raise _Refused("truncated", "mdat")


def _increasing(values: Sequence[int]) -> bool:
    """Whether each value is larger than the one before (compared in C, not a Python loop)."""
    return not any(map(operator.ge, values, values[1:]))


def _chunks_past_end(track: _Track, size: int) -> bool:
    """Whether any chunk starts at or past the end of the file, or its samples run past it.

    Only chunks that start within one largest possible chunk of the end can run past it, so
    for an ordinary file just the last few chunks are measured (the full walk cost 12 ms for a
    7-minute lesson, more than MediaInfo itself). Every step over a whole table runs in C
    (``max``, ``map``, ``sum``, slices): a Python loop over the 10,000 chunks of a 7-minute
    lesson costs more than MediaInfo's whole parse."""
    if not track.chunk_offsets:
        return False
    if track.firsts and track.firsts[0] >= 1:  # and increasing, or the table was refused
        return _near_end_past(track, size)
    return max(track.chunk_offsets) >= size or (bool(track.firsts)
                                                 and _walk_past_end(track, size))


def _suspects(offsets: array[int], threshold: int) -> list[int]:
    """The chunks (numbered from 1) that start after ``threshold``: the run of them at the end
    of the table, when no earlier chunk does (the usual layout), else every one."""
    start = len(offsets)
    while start and offsets[start - 1] > threshold:
        start -= 1
    if not start or max(offsets[:start]) <= threshold:
        return list(range(start + 1, len(offsets) + 1))
    return list(itertools.compress(range(1, len(offsets) + 1),
                                   map(threshold.__lt__, offsets)))


def _near_end_past(track: _Track, size: int) -> bool:
    """:func:`_chunks_past_end` for a sample-to-chunk table in increasing chunk order."""
    offsets, sizes, firsts, pers = track.chunk_offsets, track.sizes, track.firsts, track.pers
    largest = (max(sizes) if sizes else 0) if sizes is not None else track.constant_size
    # every chunk that starts at the end or past it is a suspect too
    suspects = _suspects(offsets, min(size - largest * max(pers), size - 1))
    if not suspects:
        return False
    count = len(offsets)
    run = max(bisect_right(firsts, suspects[0]) - 1, 0)
    # the samples in the runs before ``run``: each covers the chunks up to the next run's first
    base = sum(map(operator.mul, map(operator.sub, firsts[1:run + 1], firsts[:run]),
                   pers[:run]))
    bases = {run: base}
    for later in range(run, len(firsts) - 1):
        end = min(firsts[later + 1], count + 1)
        bases[later + 1] = bases[later] + max(0, end - firsts[later]) * pers[later]
    for chunk in suspects:
        if offsets[chunk - 1] >= size:
            return True
        run = bisect_right(firsts, chunk) - 1
        if run < 0:
            continue  # a chunk no run describes
        per = pers[run]
        begin = min(bases[run] + (chunk - firsts[run]) * per, track.sample_count)
        last = min(begin + per, track.sample_count)
        length = sum(sizes[begin:last]) if sizes is not None else (
            (last - begin) * track.constant_size)
        if offsets[chunk - 1] + length > size:
            return True
    return False


def _walk_past_end(track: _Track, size: int) -> bool:
    """:func:`_chunks_past_end` chunk by chunk, for any sample-to-chunk table."""
    sizes = track.sizes
    starts = [0, *itertools.accumulate(sizes)] if sizes is not None else None
    sample = 0
    runs = [*zip(track.firsts, track.pers, strict=True), (len(track.chunk_offsets) + 1, 0)]
    for (first, per_chunk), (next_first, _) in itertools.pairwise(runs):
        for chunk in range(max(first, 1), min(next_first, len(track.chunk_offsets) + 1)):
            last = min(sample + per_chunk, track.sample_count)
            if starts is not None:
                length = starts[last] - starts[sample]
            else:
                length = (last - sample) * track.constant_size
            if track.chunk_offsets[chunk - 1] + length > size:
                return True
            sample = last
    return False

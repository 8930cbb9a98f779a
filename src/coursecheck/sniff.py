"""What a file is, from its first bytes, before MediaInfo is allowed to read it.

MediaInfo follows references: an HLS or DASH playlist, a QuickTime reference movie or an MP4 whose
data reference points elsewhere makes it open other files, possibly outside the course folder
(or a FIFO, which hangs it). So only binary formats coursecheck knows are probed: every
self-contained container or raw stream MediaInfo and ffmpeg read (the list is in
``docs/en/formats.md``). An ISO base media file (MP4/MOV) is probed only when all its media is in
the file itself, and an MXF file only when it is not OP-Atom and names no other file
(:mod:`coursecheck.mxf`).
"""

from __future__ import annotations

from typing import BinaryIO

from coursecheck.mxf import MXF_PARTITION, mxf_refers_elsewhere

BMFF_FIRST = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"styp"}
SIGNATURES = (
    b"\x1a\x45\xdf\xa3",  # Matroska, WebM
    b"RIFF",  # AVI, WAV
    b"FLV",
    b"\x00\x00\x01\xba",  # MPEG program stream (VOB, MPG)
    b"\x00\x00\x01\xb3",  # MPEG video elementary stream
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11",  # ASF (WMV, WMA)
    b".RMF",  # RealMedia
    b"ID3", b"OggS", b"fLaC",
    b"FORM",  # AIFF, AIFF-C
    b"\x0b\x77",  # AC-3, E-AC-3
    b"DSD ", b"FRM8",  # DSD: DSF, DSDIFF
    b"wvpk",  # WavPack
    b"tBaK",  # TAK
    b"TTA1",  # True Audio
    b"MPCK", b"MP+",  # Musepack SV8, SV7
    b"MAC ",  # Monkey's Audio (APE)
    b"ADIF",  # AAC in ADIF
    b"#!AMR",  # AMR, AMR-WB
    b"caff",  # Apple Core Audio Format
    b".snd",  # Sun AU
    b"\x7f\xfe\x80\x01",  # DTS
    b"RF64", b"BW64", b"riff\x2e\x91\xcf\x11",  # WAV over 4 GB: RF64, BW64, Sony Wave64
    b"GIF87a", b"GIF89a",  # animated pictures: a video in the wrong format
    b"DKIF",  # IVF (raw VP8/VP9/AV1)
    b"\x00\x00\x00\x01",  # H.264/HEVC Annex B elementary stream
)
_WALK_INTO = {b"moov", b"trak", b"mdia", b"minf", b"dinf"}
_MAX_BOXES = 20_000


def refusal(handle: BinaryIO, size: int) -> str | None:
    """``None`` when the file may be given to MediaInfo, else why not: ``unknown`` (not a
    format coursecheck reads) or ``external`` (an MP4, MOV or MXF whose media lives in other
    files)."""
    head = handle.read(16)
    if len(head) >= 8 and head[4:8] in BMFF_FIRST:
        return "external" if _refers_elsewhere(handle, size) else None
    if head.startswith(MXF_PARTITION):
        return "external" if mxf_refers_elsewhere(handle) else None
    if head.startswith(SIGNATURES) or _mpeg_ts(head) or _adts_or_mp3(head):
        return None
    return "unknown"


def _mpeg_ts(head: bytes) -> bool:
    return head[:1] == b"\x47" or head[4:5] == b"\x47"  # 188- or 192-byte (M2TS) packets


def _adts_or_mp3(head: bytes) -> bool:
    return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0


def boxes(handle: BinaryIO, start: int, end: int, budget: list[int]
           ) -> list[tuple[bytes, int, int]]:
    """``(type, body start, box end)`` of the boxes between ``start`` and ``end`` (each end cut
    to ``end``), reading at most ``budget[0]`` headers (and counting them down)."""
    found = []
    offset = start
    while offset + 8 <= end and budget[0] > 0:
        budget[0] -= 1
        handle.seek(offset)
        header = handle.read(16)
        if len(header) < 8:
            break
        size, kind, body = int.from_bytes(header[:4], "big"), header[4:8], offset + 8
        if size == 1 and len(header) == 16:
            size, body = int.from_bytes(header[8:16], "big"), offset + 16
        elif size == 0:
            size = end - offset
        if size < body - offset:
            break  # damaged: MediaInfo will say so
        found.append((kind, body, min(offset + size, end)))
        offset += size
    return found


def _refers_elsewhere(handle: BinaryIO, size: int) -> bool:
    """Whether any track's data reference is not self-contained, or the file is a reference
    movie (``rmra``)."""
    budget = [_MAX_BOXES]
    pending = [(0, size)]
    while pending:
        start, end = pending.pop()
        for kind, body, box_end in boxes(handle, start, end, budget):
            if kind == b"rmra":
                return True
            if kind in _WALK_INTO:
                pending.append((body, box_end))
            elif kind == b"dref" and _dref_external(handle, body, box_end):
                return True
    return False


def _dref_external(handle: BinaryIO, body: int, end: int) -> bool:
    handle.seek(body + 4)  # version and flags
    count = int.from_bytes(handle.read(4), "big")
    offset = body + 8
    for _ in range(min(count, 64)):
        handle.seek(offset)
        entry = handle.read(12)
        if len(entry) < 12:
            return False
        entry_size = int.from_bytes(entry[:4], "big")
        if not int.from_bytes(entry[9:12], "big") & 1:  # flag 1: the data is in this file
            return True
        if entry_size < 12 or offset + entry_size > end:
            return False
        offset += entry_size
    return False

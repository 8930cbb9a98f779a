"""How many pictures a GIF holds and how long it shows them.

MediaInfo reports a GIF as one image whatever it holds, so an animated GIF lesson would pass as
"audio-only" (V102). Counting the image blocks tells a moving picture from a still one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

_MAX_BLOCKS = 1_000_000
_ENOUGH_BYTES = 64 << 20  # past this, with two pictures seen, the rate so far is good enough


@dataclass(frozen=True, slots=True)
class GifTiming:
    """The pictures in a GIF and the sum of their delays in seconds."""

    frames: int
    seconds: float

    @property
    def frame_rate(self) -> float | None:
        """Pictures per second over the whole animation, when it has delays."""
        return self.frames / self.seconds if self.frames > 1 and self.seconds > 0 else None


def gif_timing(handle: BinaryIO) -> GifTiming:
    """Walk the GIF's blocks from the start of ``handle``; a damaged file counts what was read."""
    handle.seek(0)
    header = handle.read(13)
    frames, centis = 0, 0
    if len(header) < 13:
        return GifTiming(0, 0.0)
    if header[10] & 0x80:
        handle.seek(3 * (2 << (header[10] & 7)), 1)
    for _ in range(_MAX_BLOCKS):
        kind = handle.read(1)
        if kind == b"\x21":
            label = handle.read(1)
            if label == b"\xf9":
                block = handle.read(5)  # size 4, flags, delay (1/100 s), transparent colour
                if len(block) == 5 and block[0] == 4:
                    centis += int.from_bytes(block[2:4], "little")
                elif block:
                    handle.seek(-len(block), 1)
            if not _skip_sub_blocks(handle):
                break
        elif kind == b"\x2c":
            descriptor = handle.read(9)
            if len(descriptor) < 9:
                break
            frames += 1
            if frames >= 2 and handle.tell() > _ENOUGH_BYTES:
                break
            if descriptor[8] & 0x80:
                handle.seek(3 * (2 << (descriptor[8] & 7)), 1)
            handle.read(1)  # LZW minimum code size
            if not _skip_sub_blocks(handle):
                break
        else:  # the trailer (0x3B), the end of the file, or damage
            break
    return GifTiming(frames, centis / 100.0)


def _skip_sub_blocks(handle: BinaryIO) -> bool:
    """Skip data sub-blocks up to their terminator; ``False`` at the end of the file."""
    for _ in range(_MAX_BLOCKS):
        size = handle.read(1)
        if not size:
            return False
        if size == b"\x00":
            return True
        handle.seek(size[0], 1)
    return False

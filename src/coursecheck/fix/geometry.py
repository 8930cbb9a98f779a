"""Scale-to-fit geometry: a picture placed on the target frame without being stretched."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Geometry:
    """Scale the picture to ``width``×``height`` and pad it with black to the frame, placing it
    at (``x``, ``y``). Every number is even, as 4:2:0 chroma needs."""

    width: int
    height: int
    x: int
    y: int
    frame_width: int
    frame_height: int


def _even(value: float) -> int:
    return max(2, int(value / 2 + 0.5) * 2)


def fit(shown_width: int, shown_height: int, frame_width: int, frame_height: int) -> Geometry:
    """The largest even size with the shown picture's aspect ratio that fits the frame, centred.

    ``shown_*`` is the picture as a player displays it (rotation and pixel aspect ratio applied).
    """
    scale = min(frame_width / shown_width, frame_height / shown_height)
    width = min(frame_width, _even(shown_width * scale))
    height = min(frame_height, _even(shown_height * scale))
    x = (frame_width - width) // 4 * 2
    y = (frame_height - height) // 4 * 2
    return Geometry(width, height, x, y, frame_width, frame_height)

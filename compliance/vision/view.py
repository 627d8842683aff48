"""One page picture at the resolutions the detectors need, each computed once.

Octaves are exact halvings (OpenCV's area filter has a fast path for a factor of exactly 2, ~20x cheaper than
an arbitrary factor on a full page); anything in between is a linear resize from the octave just above it.
"""

from __future__ import annotations

import cv2
import numpy as np


class View:
    def __init__(self, rgb: np.ndarray) -> None:
        self.rgb = np.ascontiguousarray(rgb)
        self.grey = cv2.cvtColor(self.rgb, cv2.COLOR_RGB2GRAY)
        self._rgb_oct: list[np.ndarray] = [self.rgb]
        self._grey_oct: list[np.ndarray] = [self.grey]

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    def octave(self, k: int, *, colour: bool = False) -> np.ndarray:
        """The page halved ``k`` times (grey, or RGB with ``colour``); its scale is about 2**-k."""
        levels = self._rgb_oct if colour else self._grey_oct
        while len(levels) <= k:
            last = levels[-1]
            h, w = last.shape[0] // 2 * 2, last.shape[1] // 2 * 2
            if h < 2 or w < 2:
                break
            levels.append(cv2.resize(last[:h, :w], (w // 2, h // 2), interpolation=cv2.INTER_AREA))
        return levels[min(k, len(levels) - 1)]

    def scaled(self, f: float, *, colour: bool = False) -> tuple[np.ndarray, float, float]:
        """The page at about scale ``f`` (<= 1): (picture, x scale, y scale) with the exact scales used."""
        k = 0
        while f <= 0.5 ** (k + 1) and min(self.height, self.width) * 0.5 ** (k + 1) >= 2:
            k += 1
        base = self.octave(k, colour=colour)
        rel = f * (self.width / base.shape[1])
        if abs(rel - 1.0) < 1e-3:
            out = base
        else:
            size = (max(1, round(base.shape[1] * rel)), max(1, round(base.shape[0] * rel)))
            out = cv2.resize(base, size, interpolation=cv2.INTER_LINEAR)
        return out, out.shape[1] / self.width, out.shape[0] / self.height

    def half(self, *, colour: bool = False) -> np.ndarray:
        return self.octave(1, colour=colour)


def as_view(page: View | np.ndarray) -> View:
    """A View of an RGB array (a View passes through)."""
    return page if isinstance(page, View) else View(page)

"""A stand-in OCR backend for pipeline tests: it "reads" solid colour patches, one text per colour.

It exercises everything the image extractor does around the engine (decoding, EXIF, flattening, scaling,
mapping boxes back) in milliseconds, and records what it was shown.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from compliance.ocr.base import OcrLine

RED = (220, 20, 20)
BLUE = (20, 40, 200)
GREEN = (20, 160, 40)
TEXTS = {RED: "本班承诺包过", BLUE: "职业资格证书", GREEN: "课程表"}


class PatchBackend:
    name = "patches"

    def __init__(self, tolerance: int = 60, upright: bool | None = True) -> None:
        self.tolerance = tolerance
        self.upright = upright  # an angle verdict, as RapidOCR gives; None = a blind backend (Tesseract)
        self.classifies_angle = upright is not None
        self.seen: list[tuple[int, int]] = []  # sizes of the images it was given
        self.corners: list[tuple[int, int, int]] = []  # top-left pixel of each (flattening check)

    def read(self, image: Image.Image) -> list[OcrLine]:
        assert image.mode == "RGB", image.mode
        self.seen.append(image.size)
        arr = np.asarray(image).astype(np.int16)
        self.corners.append(tuple(int(v) for v in arr[0, 0]))
        lines = []
        for colour, text in TEXTS.items():
            mask = np.abs(arr - np.array(colour, dtype=np.int16)).max(axis=2) <= self.tolerance
            if mask.sum() < 4:
                continue
            ys, xs = np.nonzero(mask)
            x0, y0, x1, y1 = float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)
            lines.append(OcrLine(text, ((x0, y0), (x1, y0), (x1, y1), (x0, y1)), 0.97, upright=self.upright))
        return lines


def patch_image(size: tuple[int, int], patches: dict[tuple[int, int, int], tuple[int, int, int, int]],
                mode: str = "RGB", background: tuple[int, ...] = (255, 255, 255)) -> Image.Image:
    """A picture with solid rectangles (x0, y0, x1, y1 exclusive) of the given colours."""
    img = Image.new(mode, size, background)
    draw = ImageDraw.Draw(img)
    for colour, (x0, y0, x1, y1) in patches.items():
        fill = (*colour, 255) if mode == "RGBA" else colour
        draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=fill)
    return img

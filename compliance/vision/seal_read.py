"""Reading a seal: its unwrapped ring strip and its centre text OCR'd (see seal_unwrap for the unwrapping).

The ring band is unwrapped with a polar (elliptical) transform into a straight strip, starting in the gap
between the text's two ends, so ring text comes out left to right; the strip and its 180-degree turn (text
along the lower arc, read the other way) are both read and the better reading kept. The centre below the
star is read as a line. The OCR sees this stamp's ink only (dark on white): black print under the stamp does
not mix into the seal's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image

from compliance.vision.line_ocr import Lattice, line_reader
from compliance.vision.seal_classify import SPOT_CHARS, SPOT_ISSUER, SPOT_ORGAN
from compliance.vision.seal_locate import Seal
from compliance.vision.seal_unwrap import Ring, cut, ring
from compliance.vision.view import View

_CJK = re.compile(r"[\u3400-\u9fff]")
CENTRE_MIN_CONFIDENCE = 0.6
CENTRE_PHRASE = re.compile(r"[\u4e00-\u9fff]{0,3}专用章?")


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def _lines(ocr: Any, grey: np.ndarray) -> list[Any]:
    """OCR lines of a dark-on-white grey picture, left to right."""
    if grey.size == 0 or min(grey.shape) < 8:
        return []
    pad = cv2.copyMakeBorder(grey, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    return sorted(ocr.read(Image.fromarray(pad).convert("RGB")), key=lambda ln: ln.bbox[0])


def _join(lines: list[Any]) -> tuple[str, float]:
    """(CJK text of the lines in order, mean confidence per character)."""
    parts = [(_cjk(ln.text), float(ln.confidence)) for ln in lines]
    parts = [(t, c) for t, c in parts if t]
    if not parts:
        return "", 0.0
    text = "".join(t for t, _ in parts)
    return text, sum(c * len(t) for t, c in parts) / len(text)


def _read(ocr: Any, grey: np.ndarray) -> tuple[str, float]:
    return _join(_lines(ocr, grey))


@dataclass(slots=True)
class SealReading:
    ring: str  # the ring text as read (CJK characters only)
    centre: str
    confidence: float
    # How near the recogniser came to each of seal_classify's SPOT words on the ring (see line_ocr.Lattice);
    # empty when the backend reads no single lines.
    spots: dict[str, float] = field(default_factory=dict)


def read(ocr: Any, page: View | np.ndarray, seal: Seal) -> tuple[str, str, float]:
    """(ring text, centre text, confidence) of a seal (see read_seal)."""
    reading = read_seal(ocr, page, seal)
    return reading.ring, reading.centre, reading.confidence


def read_seal(ocr: Any, page: View | np.ndarray, seal: Seal) -> SealReading:
    """A seal's ring and centre text.

    The ring strip is read as cut and turned over (text along the lower arc, read the other way round);
    when that reads poorly, the strip is cut at the second candidate gap too. The best reading (most
    characters times confidence) wins. The strip is read as one line when the backend can (see line_ocr);
    otherwise, or when that reads next to nothing, as a page.
    """
    r = ring(page, seal)
    best: tuple[str, float, tuple[int, int]] = ("", 0.0, r.gaps[0])
    lattice: Lattice | None = None
    line = line_reader(ocr)
    if line is not None:
        for gap in r.gaps[:2]:
            strip, _, _ = cut(r, gap)
            for pic in (strip, strip[::-1, ::-1]):
                got = line(pic, SPOT_CHARS)
                text = _cjk(got.text)
                if text and len(text) * got.confidence > len(best[0]) * best[1]:
                    best, lattice = (text, got.confidence, gap), got.lattice
            if len(best[0]) >= 4 and best[1] >= 0.8:
                break
    if len(best[0]) < 2:
        best, lattice = _read_as_page(ocr, r), None
    _, centre, _ = cut(r, best[2])
    if line is not None:
        # One line too, if any: the recogniser alone reads something into a blank crop, so a doubtful
        # reading is none.
        got = line(centre, "")
        centre_text = _cjk(got.text) if got.confidence >= CENTRE_MIN_CONFIDENCE else ""
    else:
        centre_text, _ = _read(ocr, centre)
    spots: dict[str, float] = {}
    if lattice is not None:
        words = SPOT_ORGAN + SPOT_ISSUER
        spots = dict(zip(words, lattice.word_scores(words), strict=True))
    return SealReading(best[0], centre_text, best[1], spots)


def _read_as_page(ocr: Any, r: Ring) -> tuple[str, float, tuple[int, int]]:
    """The ring strips read by the backend's page reading (line detection, then recognition).

    Lines the OCR turned over to read are left out: in a ring strip they are mostly pieces of the centre
    text, upside down next to the gap. Only when nothing else reads are long turned-over lines taken (the
    detector sometimes finds the ring text only in the turned strip).
    """
    best = ("", 0.0, r.gaps[0])
    fallback = ("", 0.0, r.gaps[0])
    for gap in r.gaps[:2]:
        strip, _, _ = cut(r, gap)
        for pic in (strip, strip[::-1, ::-1]):
            lines = _lines(ocr, pic)
            text, conf = _join([ln for ln in lines if getattr(ln, "upright", None) is not False])
            if len(text) * conf > len(best[0]) * best[1]:
                best = (text, conf, gap)
            text, conf = _join([ln for ln in lines if len(_cjk(ln.text)) >= 4])
            text = CENTRE_PHRASE.sub("", text)
            if len(text) * conf > len(fallback[0]) * fallback[1]:
                fallback = (text, conf, gap)
        if len(best[0]) >= 4 and best[1] >= 0.8:
            break
    if len(best[0]) < 3 and len(fallback[0]) > len(best[0]):
        best = fallback
    return best

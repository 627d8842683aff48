"""Reading one line of text whose place is already known (a seal's unwrapped ring), without detecting it.

A page OCR first looks for text lines, then reads each. On an unwrapped seal ring the line is the whole strip,
and the line detector is the weak stage there: on a pale or blurred strip it finds nothing or cuts the line
into pieces, while the recogniser alone reads the whole strip (and costs a fraction of detect + read).

The OcrBackend interface (compliance/ocr/base.py) has no such call. A backend may offer one as
``recognise_line(grey) -> (text, confidence)``; for the RapidOCR backend its recogniser stage is used
directly. Any other backend gets None, and the caller reads the strip as a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cv2
import numpy as np

LineReader = Callable[[np.ndarray], tuple[str, float]]
PAD_Y, PAD_X = 6, 12  # px of paper round the strip: the recogniser was trained on crops with a margin


def line_reader(ocr: Any) -> LineReader | None:
    """A function reading a dark-on-white grey picture as one line, or None if ``ocr`` has no recogniser."""
    own = getattr(ocr, "recognise_line", None)
    if callable(own):
        return own
    rec = getattr(getattr(ocr, "_engine", None), "text_rec", None)  # RapidOcrBackend's recogniser stage
    if rec is None:
        return None
    try:
        from rapidocr.ch_ppocr_rec import TextRecInput
    except ImportError:
        return None

    def read(grey: np.ndarray) -> tuple[str, float]:
        if grey.size == 0 or min(grey.shape[:2]) < 8:
            return "", 0.0
        pad = cv2.copyMakeBorder(grey, PAD_Y, PAD_Y, PAD_X, PAD_X, cv2.BORDER_CONSTANT, value=255)
        bgr = np.ascontiguousarray(np.repeat(pad[:, :, None], 3, axis=2))
        try:
            out = rec(TextRecInput(img=[bgr], return_word_box=False))
        except Exception:  # a recogniser that changed its interface: the caller falls back to page reading
            return "", 0.0
        texts, scores = list(out.txts or ()), list(out.scores or ())
        if not texts or not scores:
            return "", 0.0
        return str(texts[0]), float(scores[0])

    return read

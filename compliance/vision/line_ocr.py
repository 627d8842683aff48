"""Reading one line of text whose place is already known (a seal's unwrapped ring), without detecting it.

A page OCR first looks for text lines, then reads each. On an unwrapped seal ring the line is the whole strip,
and the line detector is the weak stage there: on a pale or blurred strip it finds nothing or cuts the line
into pieces, while the recogniser alone reads the whole strip (and costs a fraction of detect + read).

The recogniser's best reading takes the likeliest character at each step. On a worn stamp the right
character is often a close second (厅 at 0.23 behind 尺 at 0.28), or just under the "no character" the
reading chose. So the reading also keeps a lattice: for a few characters asked for in advance, how much less
likely than the best each one was at every step. ``Lattice.word_score`` then says how far from the best
reading a given word is (0: it is the best reading there; -1 per character: each about e times less likely).

The OcrBackend interface (compliance/ocr/base.py) has no such call. A backend may offer one as
``recognise_line(grey, keep) -> LineReading``; for the RapidOCR backend its recogniser stage is used
directly. Any other backend gets None, and the caller reads the strip as a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

PAD_Y, PAD_X = 2, 12  # px of paper round the strip: the recogniser was trained on crops with a margin
FLOOR = -18.0  # log-probability ratio given to a character the recogniser gave (almost) nothing


@dataclass(slots=True)
class Lattice:
    """Per step of the recogniser, log P(character) - log P(best) for the CTC blank (column 0) and ``chars``."""

    chars: str
    rel: np.ndarray  # (steps, 1 + len(chars)), <= 0

    def word_scores(self, words: Sequence[str]) -> list[float]:
        """For each word, the best CTC alignment of it somewhere in the line, scored against the best
        reading of the same steps (<= 0; the steps before and after it are free). Characters not kept
        score -inf-like (FLOOR per step)."""
        col = {c: i + 1 for i, c in enumerate(self.chars)}
        ext: list[int] = []  # all words' CTC state sequences (blank, c1, blank, ..., cn, blank) end to end
        starts: list[int] = []
        for word in words:
            starts.append(len(ext))
            ext.append(0)
            for ch in word:
                ext += [col.get(ch, -1), 0]
        idx = np.array(ext)
        n = len(idx)
        first = np.zeros(n, bool)
        first[starts] = True
        first[[s + 1 for s in starts]] = True
        step_ok = ~first  # a state may be reached from the one before it (within the same word)
        skip_ok = np.zeros(n, bool)  # ... or jump the blank between two different characters
        skip_ok[2:] = (idx[2:] > 0) & (idx[2:] != idx[:-2]) & ~first[2:] & ~first[1:-1]
        rel = np.concatenate([self.rel, np.full((len(self.rel), 1), FLOOR, np.float32)], axis=1)
        emit = rel[:, idx]  # -1 (not kept) indexes the FLOOR column
        ends = [s + 2 * len(w) for s, w in zip(starts, words, strict=True)]
        last = np.array(ends + [e - 1 for e in ends])
        alpha = np.full(n, -np.inf)
        best = np.full(len(words), -np.inf)
        for t in range(len(emit)):
            prev = alpha
            alpha = prev.copy()
            alpha[1:] = np.where(step_ok[1:], np.maximum(alpha[1:], prev[:-1]), alpha[1:])
            alpha[2:] = np.where(skip_ok[2:], np.maximum(alpha[2:], prev[:-2]), alpha[2:])
            alpha[first] = np.maximum(alpha[first], 0.0)  # the word may start here: what came before is free
            alpha += emit[t]
            done = alpha[last]  # the word may end here: what comes after is free
            best = np.maximum(best, np.maximum(done[: len(words)], done[len(words):]))
        return [float(b) for b in best]


@dataclass(slots=True)
class LineReading:
    text: str
    confidence: float
    lattice: Lattice | None = None


LineReader = Callable[[np.ndarray, str], LineReading]


def line_reader(ocr: Any) -> LineReader | None:
    """A function reading a dark-on-white grey picture as one line (keeping a lattice for the characters
    given), or None if ``ocr`` has no recogniser to read lines alone."""
    own = getattr(ocr, "recognise_line", None)
    if callable(own):
        return own
    rec = getattr(getattr(ocr, "_engine", None), "text_rec", None)  # RapidOcrBackend's recogniser stage
    charset = getattr(getattr(rec, "postprocess_op", None), "character", None)
    if rec is None or not charset or not callable(getattr(rec, "resize_norm_img", None)):
        return None
    index = {c: i for i, c in enumerate(charset)}
    height, width = (rec.rec_image_shape[1], rec.rec_image_shape[2]) if hasattr(rec, "rec_image_shape") else (48, 320)

    def read(grey: np.ndarray, keep: str = "") -> LineReading:
        if grey.size == 0 or min(grey.shape[:2]) < 8:
            return LineReading("", 0.0)
        pad = cv2.copyMakeBorder(grey, PAD_Y, PAD_Y, PAD_X, PAD_X, cv2.BORDER_CONSTANT, value=255)
        bgr = np.ascontiguousarray(np.repeat(pad[:, :, None], 3, axis=2))
        try:
            batch = rec.resize_norm_img(bgr, max(bgr.shape[1] / bgr.shape[0], width / height))[None]
            probs = np.asarray(rec.session(batch.astype(np.float32)))[0]
        except Exception:  # a recogniser that changed its interface: the caller falls back to page reading
            return LineReading("", 0.0)
        return _decode(probs, charset, index, keep)

    return read


def _decode(probs: np.ndarray, charset: Sequence[str], index: dict[str, int], keep: str) -> LineReading:
    """Greedy CTC reading (as the recogniser's own decoder: best per step, repeats merged, blanks dropped;
    confidence the mean probability of the characters read), and the lattice for ``keep``."""
    best = probs.argmax(axis=1)
    top = probs[np.arange(len(best)), best]
    chars: list[str] = []
    confs: list[float] = []
    prev = 0
    for t, k in enumerate(best):
        if k != 0 and k != prev:
            chars.append(str(charset[k]))
            confs.append(float(top[t]))
        prev = int(k)
    keep = "".join(c for c in dict.fromkeys(keep) if c in index)
    cols = [0] + [index[c] for c in keep]
    rel = (np.log(np.maximum(probs[:, cols], 1e-8)) - np.log(np.maximum(top, 1e-8))[:, None]).astype(np.float32)
    return LineReading("".join(chars), float(np.mean(confs)) if confs else 0.0, Lattice(keep, rel))

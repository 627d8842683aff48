"""Emblem-like marks: find candidates by template correlation, then classify each window.

Stage 1 (candidates) correlates the page's luminance with a blurred grey emblem template over a scale
pyramid (emblem sizes 36-720 px in steps of 1.22). Luminance, because grey and one-ink prints carry no colour, and
normalised correlation, because it ignores contrast and brightness (faded, tinted, colour-shifted pages).
The template is the mean of every shipped rendering over a few rotations, so it matches all drawing styles
and the +-20 degree range without rotating at run time. Each level keeps only its strongest peaks; the best
32 candidates of the page go on (on generated pages the true emblem is among them in 100% of 150 cases).

Stage 2 (verification) resamples a window 1.5x the candidate's size around it and runs a small classifier
(``features.describe`` -> MLP, weights in data/marks_mlp.npz, trained offline on generated pages by
tests/vision/train_marks.py). Classes: other, the national emblem, the emblem inside the police badge
(the badge's blue/dark shield and pine branches are in the window), and the whole police badge. The
context in the window is what tells the police badge from the emblem: both share the same centre.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import cv2
import numpy as np
from PIL import Image

from compliance.vision import features
from compliance.vision.refs import EMBLEMS, load_rgba
from compliance.vision.view import View, as_view

TEMPLATE = 14  # emblem size in the correlation template, pixels
MARGIN = 3  # background border around it (the outline against the page is part of the signature)
MIN_SIZE, MAX_SIZE, STEP = 36.0, 720.0, 1.22
PEAKS_PER_LEVEL = 4
MAX_CANDIDATES = 32
CONTEXT = 1.5  # window side / candidate size

CLASSES = ("other", "emblem", "police_core", "police_badge")


@dataclass(slots=True)
class Candidate:
    cx: float
    cy: float
    size: float  # emblem size (longer side) in page pixels
    score: float  # correlation
    probs: np.ndarray | None = None

    @property
    def box(self) -> tuple[float, float, float, float]:
        h = self.size / 2
        return (self.cx - h, self.cy - h, self.cx + h, self.cy + h)


@cache
def template() -> np.ndarray:
    """The grey correlation template (uint8, TEMPLATE + 2*MARGIN square)."""
    acc = np.zeros((TEMPLATE, TEMPLATE), np.float32)
    n = 0
    for name in EMBLEMS:
        im = load_rgba(name)
        side = max(im.size)
        sq = Image.new("RGBA", (side, side), (255, 255, 255, 0))
        sq.paste(im, ((side - im.width) // 2, (side - im.height) // 2))
        for rot in (-12, 0, 12):
            r = sq.rotate(rot, resample=Image.Resampling.BICUBIC)
            bg = Image.new("RGBA", r.size, (255, 255, 255, 255))
            bg.alpha_composite(r)
            acc += np.asarray(bg.convert("L").resize((TEMPLATE, TEMPLATE), Image.Resampling.LANCZOS), np.float32)
            n += 1
    t = acc / n
    return cv2.copyMakeBorder(t, MARGIN, MARGIN, MARGIN, MARGIN, cv2.BORDER_CONSTANT, value=255).astype(np.uint8)


def grey_of(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def candidates(page: View | np.ndarray, *, min_size: float = MIN_SIZE, max_size: float = MAX_SIZE,
               limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Emblem-sized blobs that correlate with the template, strongest first (at most ``limit``)."""
    view = as_view(page)
    tpl = template()
    th, tw = tpl.shape
    found: list[Candidate] = []
    size = min_size
    while size <= max_size:
        level, sx, sy = view.scaled(TEMPLATE / size)
        if level.shape[0] < th or level.shape[1] < tw:
            break
        r = cv2.matchTemplate(level, tpl, cv2.TM_CCOEFF_NORMED)
        for y, x, s in _peaks(r, PEAKS_PER_LEVEL):
            found.append(Candidate((x + tw / 2) / sx, (y + th / 2) / sy, size, s))
        size *= STEP
    found.sort(key=lambda c: -c.score)
    return _nms(found, limit)


def _peaks(r: np.ndarray, k: int, floor: float = 0.15) -> list[tuple[int, int, float]]:
    """The ``k`` strongest peaks of a correlation map above ``floor``, at least half a template apart (one blob
    gives one candidate per level). Repeated max search with suppression: cheaper than finding every local
    maximum of a large map."""
    r = r.copy()
    out: list[tuple[int, int, float]] = []
    rad = TEMPLATE // 2
    for _ in range(k):
        _, val, _, (x, y) = cv2.minMaxLoc(r)
        if val <= floor:
            break
        out.append((y, x, float(val)))
        r[max(0, y - rad): y + rad + 1, max(0, x - rad): x + rad + 1] = -1.0
    return out


def _nms(cands: list[Candidate], limit: int) -> list[Candidate]:
    """Drop candidates that repeat a stronger one (same place, similar size)."""
    kept: list[Candidate] = []
    for c in cands:
        if all(not (abs(c.cx - k.cx) < 0.25 * k.size and abs(c.cy - k.cy) < 0.25 * k.size
                    and 0.8 < c.size / k.size < 1.25) for k in kept):
            kept.append(c)
        if len(kept) == limit:
            break
    return kept


def windows(page: View | np.ndarray, cands: list[Candidate], context: float = CONTEXT) -> np.ndarray:
    """(N, WIN, WIN, 3) windows of side ``context * size`` centred on each candidate (edge-replicated).

    Each is cut from the page octave where it is still at least twice the window size, so resampling a big
    candidate costs no more than a small one.
    """
    view = as_view(page)
    out = np.empty((len(cands), features.WIN, features.WIN, 3), np.uint8)
    for i, c in enumerate(cands):
        side = c.size * context
        k = max(0, int(np.floor(np.log2(max(side, 1.0) / (2 * features.WIN)))))
        src = view.octave(k, colour=True)
        H, W = src.shape[:2]
        fx, fy = W / view.width, H / view.height
        half = side / 2
        x0, y0, x1, y1 = (c.cx - half) * fx, (c.cy - half) * fy, (c.cx + half) * fx, (c.cy + half) * fy
        ix0, iy0 = max(0, int(np.floor(x0))), max(0, int(np.floor(y0)))
        ix1, iy1 = min(W, int(np.ceil(x1))), min(H, int(np.ceil(y1)))
        crop = src[iy0:iy1, ix0:ix1]
        if crop.size == 0:
            out[i] = 255
            continue
        # Pad where the window leaves the page, so the mark keeps its place and scale in the window.
        pad = (max(0, int(-np.floor(y0))), max(0, int(np.ceil(y1)) - H), max(0, int(-np.floor(x0))),
               max(0, int(np.ceil(x1)) - W))
        if any(pad):
            crop = cv2.copyMakeBorder(crop, *pad, cv2.BORDER_REPLICATE)
        out[i] = cv2.resize(crop, (features.WIN, features.WIN), interpolation=cv2.INTER_AREA)
    return out


class Classifier:
    """A one-hidden-layer MLP over standardised descriptors (weights shipped as .npz, numpy inference)."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.mean = weights["mean"]
        self.scale = weights["scale"]
        self.w1, self.b1 = weights["w1"], weights["b1"]
        self.w2, self.b2 = weights["w2"], weights["b2"]

    def probs(self, x: np.ndarray) -> np.ndarray:
        h = np.maximum((x - self.mean) * self.scale @ self.w1 + self.b1, 0)
        z = h @ self.w2 + self.b2
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@cache
def classifier() -> Classifier:
    import io

    raw = resources.files("compliance.vision").joinpath("data", "marks_mlp.npz").read_bytes()
    with np.load(io.BytesIO(raw)) as z:
        return Classifier({k: z[k].astype(np.float32) for k in z.files})


def classify(page: View | np.ndarray, cands: list[Candidate]) -> list[Candidate]:
    if not cands:
        return cands
    p = classifier().probs(features.describe(windows(page, cands)))
    for c, row in zip(cands, p, strict=True):
        c.probs = row
    return cands

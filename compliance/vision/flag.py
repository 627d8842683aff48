"""National flag (国旗): a solid field, 3:2 or 4:3, with the five-star layout in its upper-left quarter.

Candidates: solid regions (red ink, or dark ink in grey/one-ink prints) found on a half-size page, opened to
strip text strokes, star holes filled, kept when their outline is a quadrilateral of flag proportions.
Verification: the quadrilateral is warped flat (which undoes rotation and perspective) and its luminance is
correlated with the flag drawn from the shipped SVG at both aspect ratios; the stars are lighter than the
field in colour, grey and monochrome alike, so one test covers all three.
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np

from compliance.contract import Category
from compliance.vision.base import VisionHit, box_iou
from compliance.vision.refs import render_flag
from compliance.vision.view import View, as_view

CANON = (60, 40)  # warped field size (w, h)
THRESHOLD = 0.42  # correlation with the drawn flag (generated negatives stay below 0.36)
MIN_AREA = 250  # half-size pixels (candidates are searched at half size): a 45 x 30 px flag on the page
MAX_AREA = 400 * 280  # half-size pixels: an 800 px flag; page frames are bigger


@cache
def templates() -> list[np.ndarray]:
    out = []
    for aspect in (1.5, 4 / 3):
        im = np.asarray(render_flag(240, aspect).convert("L").resize(CANON)).astype(np.float32)
        out.append(_norm(_soft(im)))
    return out


def _soft(a: np.ndarray) -> np.ndarray:
    # Both sides are blurred a little: small, blurred, slightly misregistered fields still line up.
    return cv2.GaussianBlur(a, (0, 0), 1.2)


def _norm(a: np.ndarray) -> np.ndarray:
    a = a - a.mean()
    return a / (np.linalg.norm(a) + 1e-6)


def _masks(rgb_small: np.ndarray, grey_small: np.ndarray) -> list[np.ndarray]:
    r, g, b = (rgb_small[..., i].astype(np.int16) for i in range(3))
    redness = r - np.maximum(g, b)
    red = ((redness > 60) & (r > 90)).astype(np.uint8)
    dark = (grey_small < 150).astype(np.uint8)
    return [red, dark] if red.any() else [dark]


def _quads(mask: np.ndarray) -> list[np.ndarray]:
    """Flag-shaped quadrilaterals (4x2 corner arrays, half-size coordinates) in a mask."""
    out: list[np.ndarray] = []
    # A light opening strips text strokes; a heavier one also cuts a field loose from a frame or rule line
    # it touches (which would otherwise spoil its outline).
    for k in (5, 9):
        out += _shapes(cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))))
    return out


def _shapes(mask: np.ndarray) -> list[np.ndarray]:
    # Every boundary, not only outer ones: a flag can sit inside a frame drawn in the same ink.
    contours, _ = cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for cnt in contours:
        area = cv2.contourArea(cnt)
        if area < MIN_AREA:
            continue
        (_, _), (w, h), _ = rect = cv2.minAreaRect(cnt)
        if min(w, h) < 6:
            continue
        aspect = max(w, h) / min(w, h)
        # Filled contour against its rectangle: star holes are filled by taking the outer contour only.
        if not 1.15 <= aspect <= 1.8 or area / (w * h) < 0.7 or w * h > MAX_AREA:
            continue
        # Opening rounds the corners of small fields; the rectangle keeps them. A clean 4-corner outline
        # follows perspective better, so both are tried.
        out.append(_order(cv2.boxPoints(rect)))
        approx = cv2.approxPolyDP(cnt, 0.03 * cv2.arcLength(cnt, True), True)
        if len(approx) == 4:
            out.append(_order(approx.reshape(-1, 2).astype(np.float32)))
    return out


def _order(pts: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left with the long side horizontal (rotations up
    to about 40 degrees; the flag is not expected upside down or on its side)."""
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]  # clockwise in image coordinates, starting near the left
    # Start from the corner closest to the top-left direction.
    start = int(np.argmin(pts[:, 0] + pts[:, 1] - (c[0] + c[1])))
    pts = np.roll(pts, -start, axis=0)
    top, side = np.linalg.norm(pts[1] - pts[0]), np.linalg.norm(pts[3] - pts[0])
    if side > top:  # long side is vertical in this ordering: the field is rotated near 90 degrees
        pts = np.roll(pts, 1, axis=0)
    return pts


def _score(grey: np.ndarray, quad: np.ndarray) -> float:
    """Best correlation of the warped quadrilateral with the drawn flag over small corrections of the outline
    (the mask's outline is a few pixels off on small, blurred fields)."""
    x0, y0 = np.floor(quad.min(axis=0) - 4).astype(int)
    x1, y1 = np.ceil(quad.max(axis=0) + 4).astype(int)
    x0, y0 = max(0, x0), max(0, y0)
    crop = grey[y0:y1, x0:x1]
    if crop.size == 0:
        return 0.0
    q = quad - np.array([x0, y0], np.float32)
    # Shrink big fields to about twice the canonical size first: a warp samples, it does not average.
    k = min(1.0, 2 * CANON[0] / max(1.0, float(np.linalg.norm(q[1] - q[0]))))
    if k < 1.0:
        crop = cv2.resize(crop, None, fx=k, fy=k, interpolation=cv2.INTER_AREA)
        q = q * k
    dst = np.array([[0, 0], [CANON[0], 0], [CANON[0], CANON[1]], [0, CANON[1]]], np.float32)
    centre = q.mean(axis=0)
    u, v = (q[1] - q[0]) / CANON[0], (q[3] - q[0]) / CANON[1]  # one canonical pixel along each side

    def corr(grow: float, dx: float, dy: float) -> float:
        qq = (q - centre) * grow + centre + dx * u + dy * v
        m = cv2.getPerspectiveTransform(qq.astype(np.float32), dst)
        flat = _norm(_soft(cv2.warpPerspective(crop, m, CANON, flags=cv2.INTER_LINEAR).astype(np.float32)))
        return max(float((flat * t).sum()) for t in templates())

    best = corr(1.0, 0.0, 0.0)
    if best < 0.15:  # nothing flag-like at all: not worth refining
        return best
    for grow in (1.0, 1.05, 1.1):
        for dx in (-1.5, 0.0, 1.5):
            for dy in (-1.5, 0.0, 1.5):
                best = max(best, corr(grow, dx, dy))
    return best


def detect(page: View | np.ndarray) -> list[VisionHit]:
    view = as_view(page)
    small_rgb, small_grey, grey = view.half(colour=True), view.half(), view.grey
    scale = small_grey.shape[1] / view.width
    scored: list[tuple[float, tuple[float, float, float, float]]] = []
    for mask in _masks(small_rgb, small_grey):
        for quad in _quads(mask):
            full = quad / scale
            x0, y0 = full.min(axis=0)
            x1, y1 = full.max(axis=0)
            scored.append((_score(grey, full), (float(x0), float(y0), float(x1), float(y1))))
    scored.sort(key=lambda t: -t[0])
    hits: list[VisionHit] = []
    for score, box in scored:
        if score < THRESHOLD or any(box_iou(box, h.bbox) > 0.3 for h in hits):
            continue
        hits.append(VisionHit(Category.NATIONAL_FLAG, box, round(min(1.0, score), 3), "national_flag"))
    return hits

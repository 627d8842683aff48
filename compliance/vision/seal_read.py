"""Reading a seal: the ring band unwrapped into a straight strip and OCR'd, the centre text read as a line.

The ring band is unwrapped with a polar (elliptical) transform into a straight strip, starting in the gap
between the text's two ends, so ring text comes out left to right; the strip and its 180-degree turn (text
along the lower arc, read the other way) are both read and the better reading kept. The centre below the
star is read as a line. The OCR sees this stamp's ink only (dark on white): black print under the stamp does
not mix into the seal's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from compliance.vision.line_ocr import line_reader
from compliance.vision.seal_ink import unmix
from compliance.vision.seal_locate import INK, Seal, _ellipse_points, _inset_points
from compliance.vision.view import View, as_view

STRIP_H = 48  # unwrapped text band height, pixels (characters come out about 30 px high)
_CJK = re.compile(r"[\u3400-\u9fff]")
CENTRE_PHRASE = re.compile(r"[\u4e00-\u9fff]{0,3}专用章?")


def _ink_crop(rgb: np.ndarray, seal: Seal, margin: float = 0.1) -> tuple[np.ndarray, float, float]:
    """Ink strength of the seal's neighbourhood (full resolution) and the seal centre in it."""
    r = max(seal.w, seal.h) / 2 * (1 + margin)
    H, W = rgb.shape[:2]
    x0, y0 = max(0, int(seal.cx - r)), max(0, int(seal.cy - r))
    x1, y1 = min(W, int(seal.cx + r) + 1), min(H, int(seal.cy + r) + 1)
    return unmix(rgb[y0:y1, x0:x1]), seal.cx - x0, seal.cy - y0


def _refine(ink: np.ndarray, cx: float, cy: float, seal: Seal) -> tuple[float, float, float, float, float]:
    """The seal's outline fitted again at full resolution: the outermost ink along rays, within 0.8-1.2 of
    the coarse ellipse, points off the fit dropped. Returns (cx, cy, w, h, angle) in the crop's pixels."""
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    rho = np.linspace(0.8, 1.2, 81)[:, None]
    xs, ys = _ellipse_points(cx, cy, seal.w, seal.h, seal.angle, rho, theta[None, :])
    hit = cv2.remap(ink, xs, ys, cv2.INTER_LINEAR, borderValue=0) > INK
    has = hit.any(axis=0)
    fallback = (cx, cy, seal.w, seal.h, seal.angle)
    if has.sum() < 20:
        return fallback
    outer = len(rho) - 1 - np.argmax(hit[::-1], axis=0)
    cols = np.arange(len(theta))
    pts = np.stack([xs[outer, cols], ys[outer, cols]], axis=1)[has].astype(np.float32)
    fit = fallback
    for _ in range(3):
        if len(pts) < 12:
            break
        (ex, ey), (ew, eh), ang = cv2.fitEllipse(pts)
        if min(ew, eh) < 0.7 * min(seal.w, seal.h) or max(ew, eh) > 1.3 * max(seal.w, seal.h):
            break
        fit = (ex, ey, ew, eh, ang)
        t = np.radians(ang)
        dx, dy = pts[:, 0] - ex, pts[:, 1] - ey
        u = (dx * np.cos(t) + dy * np.sin(t)) / (ew / 2)
        v = (-dx * np.sin(t) + dy * np.cos(t)) / (eh / 2)
        keep = np.abs(np.sqrt(u * u + v * v) - 1) < 0.04
        if keep.all():
            break
        pts = pts[keep]
    return fit


# The ring text band, as depths inside the outline in shares of the short semi-axis: inside the border line,
# about 40% deep.
BAND_OUT, BAND_IN = 0.11, 0.5


def _even_angles(w: float, h: float, n: int) -> np.ndarray:
    """``n`` parameter angles spaced evenly by arc length on the ellipse (even character pitch on ovals)."""
    fine = np.linspace(0, 2 * np.pi, 4 * n + 1)
    seg = np.hypot(w / 2 * np.diff(np.cos(fine)), h / 2 * np.diff(np.sin(fine)))
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    return np.interp(np.linspace(0, arc[-1], n, endpoint=False), arc, fine)


@dataclass(slots=True)
class _Ring:
    """A seal's ink neighbourhood, its refined outline, the full unwrapped band and the candidate gaps."""

    ink: np.ndarray
    cx: float
    cy: float
    w: float
    h: float
    ang: float
    theta: np.ndarray
    band: np.ndarray
    gaps: list[tuple[int, int]]


def _ring(page: View | np.ndarray, seal: Seal) -> _Ring:
    ink, cx0, cy0 = _ink_crop(as_view(page).rgb, seal)
    cx, cy, w, h, ang = _refine(ink, cx0, cy0, seal)
    short = min(w, h) / 2
    band_px = short * (BAND_IN - BAND_OUT)
    # Perimeter of the band's middle (Ramanujan), sampled so characters keep their proportions.
    a_m, b_m = w / 2 - short * (BAND_OUT + BAND_IN) / 2, h / 2 - short * (BAND_OUT + BAND_IN) / 2
    perimeter = np.pi * (3 * (a_m + b_m) - np.sqrt((3 * a_m + b_m) * (a_m + 3 * b_m)))
    n_theta = int(np.clip(perimeter / max(band_px, 1) * STRIP_H, 200, 3000))
    theta = _even_angles(w, h, n_theta)
    depth = np.linspace(BAND_OUT, BAND_IN, STRIP_H)[:, None] * short
    xs, ys = _inset_points(cx, cy, w, h, ang, depth, theta[None, :])
    band = cv2.remap(ink, xs, ys, cv2.INTER_LINEAR, borderValue=0)
    # The gap: a long run of angles with little ink (smoothed), on the circular profile, measured on the
    # middle rows only (the border line and the centre text stay out of it).
    mid_rows = band[STRIP_H // 5: STRIP_H * 4 // 5].astype(np.float32)
    col = cv2.GaussianBlur(mid_rows.mean(axis=0)[None, :], (0, 0), n_theta / 150)[0]
    low = col < 0.3 * float(np.percentile(col, 90) or 1)
    return _Ring(ink, cx, cy, w, h, ang, theta, band, _gaps(low, theta, cx, cy, w, h, ang))


def _cut(r: _Ring, gap: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, float]:
    """The ring strip starting after ``gap`` (the gap itself cut off), the upright centre crop, and the
    gap's direction in the picture (degrees, y down)."""
    n_theta = len(r.theta)
    gap_i, gap_len = gap
    strip = np.roll(r.band, -(gap_i + gap_len // 2), axis=1)
    if gap_len > 0:
        keep = n_theta - gap_len + max(4, STRIP_H // 3)  # the text plus a little margin at each end
        strip = strip[:, max(0, (n_theta - keep) // 2): n_theta - max(0, (n_theta - keep) // 2)]
    mid = r.theta[(gap_i + gap_len // 2) % n_theta]
    gx, gy = _ellipse_points(r.cx, r.cy, r.w, r.h, r.ang, np.array([1.0]), np.array([mid]))
    gap_dir = float(np.degrees(np.arctan2(gy[0] - r.cy, gx[0] - r.cx)))
    # Centre: turn the seal upright (gap at the bottom, 90 degrees), take the band below the star.
    turn = gap_dir - 90.0 if gap_len > 0 else 0.0
    m = cv2.getRotationMatrix2D((r.cx, r.cy), turn, 1.0)
    upright = cv2.warpAffine(r.ink, m, (r.ink.shape[1], r.ink.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)
    rr = min(r.w, r.h) / 2 * (1 - BAND_IN)
    ra = max(r.w, r.h) / 2 - min(r.w, r.h) / 2 * BAND_IN if abs(np.sin(np.radians(r.ang - turn))) < 0.5 else rr
    y0, y1 = int(r.cy + 0.15 * rr), int(r.cy + 1.05 * rr)
    x0, x1 = int(r.cx - 1.1 * ra), int(r.cx + 1.1 * ra)
    centre = upright[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return _dark_on_white(strip), _dark_on_white(centre), gap_dir


def unwrap(page: View | np.ndarray, seal: Seal, choice: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    """(ring strip, centre crop, gap direction in degrees): dark-on-white greys ready for OCR.

    The strip runs clockwise from the gap between the ring text's ends, outer edge at the top, so ring text
    reads left to right. ``choice`` picks among the candidate gaps (0: the likeliest).
    """
    r = _ring(page, seal)
    return _cut(r, r.gaps[min(choice, len(r.gaps) - 1)])


def _dark_on_white(ink: np.ndarray) -> np.ndarray:
    """Ink strength -> a black-on-white picture, stretched so a pale stamp reads as well as a fresh one."""
    if ink.size == 0:
        return np.full((1, 1), 255, np.uint8)
    top = max(float(np.percentile(ink, 99)), 60.0)
    return (255 - np.clip(ink.astype(np.float32) * (255.0 / top), 0, 255)).astype(np.uint8)


def _runs(low: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of every circular run of True (none when all or nothing is True)."""
    n = len(low)
    if low.all() or not low.any():
        return []
    shift = int(np.argmin(low))  # a False: no run wraps past the rotated start
    r = np.roll(low, -shift).astype(np.int8)
    edges = np.diff(np.concatenate([[0], r, [0]]))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(int((a + shift) % n), int(b - a)) for a, b in zip(starts, ends, strict=True)]


def _gaps(low: np.ndarray, theta: np.ndarray, cx: float, cy: float, w: float, h: float, ang: float
          ) -> list[tuple[int, int]]:
    """Candidate gaps between the ring text's two ends, likeliest first: the longest quiet run, preferring
    runs near the bottom of the picture (seals are stamped roughly upright; text hidden under black print or
    faded is quiet too); then the longest run near the bottom, if that is another one."""
    scored: list[tuple[float, bool, tuple[int, int]]] = []
    for start, length in _runs(low):
        mid = theta[(start + length // 2) % len(theta)]
        gx, gy = _ellipse_points(cx, cy, w, h, ang, np.array([1.0]), np.array([mid]))
        direction = np.degrees(np.arctan2(gy[0] - cy, gx[0] - cx))
        below = abs((direction - 90.0 + 180.0) % 360.0 - 180.0) <= 60
        scored.append((length * (1.0 if below else 0.35), below, (start, length)))
    if not scored:
        return [(int(len(low) * 0.25), 0)]  # no gap: start at the bottom (parameter angle 90 degrees)
    scored.sort(key=lambda t: -t[0])
    out = [scored[0][2]]
    lower = [t for t in scored if t[1]]
    if lower and lower[0][2] != out[0]:
        out.append(lower[0][2])
    return out


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


def read(ocr: Any, page: View | np.ndarray, seal: Seal) -> tuple[str, str, float]:
    """(ring text, centre text, confidence) of a seal.

    The ring strip is read as cut and turned over (text along the lower arc, read the other way round);
    when that reads poorly, the strip is cut at the second candidate gap too. The best reading (most
    characters times confidence) wins. The strip is read as one line when the backend can (see line_ocr);
    otherwise, or when that reads next to nothing, as a page.
    """
    r = _ring(page, seal)
    best: tuple[str, float, tuple[int, int]] = ("", 0.0, r.gaps[0])
    line = line_reader(ocr)
    if line is not None:
        for gap in r.gaps[:2]:
            strip, _, _ = _cut(r, gap)
            for pic in (strip, strip[::-1, ::-1]):
                raw, conf = line(pic)
                text = _cjk(raw)
                if text and len(text) * conf > len(best[0]) * best[1]:
                    best = (text, conf, gap)
            if len(best[0]) >= 4 and best[1] >= 0.8:
                break
    if len(best[0]) < 2:
        best = _read_as_page(ocr, r)
    _, centre, _ = _cut(r, best[2])
    centre_text, _ = _read(ocr, centre)
    return best[0], centre_text, best[1]


def _read_as_page(ocr: Any, r: _Ring) -> tuple[str, float, tuple[int, int]]:
    """The ring strips read by the backend's page reading (line detection, then recognition).

    Lines the OCR turned over to read are left out: in a ring strip they are mostly pieces of the centre
    text, upside down next to the gap. Only when nothing else reads are long turned-over lines taken (the
    detector sometimes finds the ring text only in the turned strip).
    """
    best = ("", 0.0, r.gaps[0])
    fallback = ("", 0.0, r.gaps[0])
    for gap in r.gaps[:2]:
        strip, _, _ = _cut(r, gap)
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

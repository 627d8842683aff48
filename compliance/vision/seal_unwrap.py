"""Unwrapping a seal: its ring text as a straight strip, its centre text upright, both dark on white.

The seal's outline is fitted again at full resolution, and the ring is unwrapped deep (from just outside the
outline to three quarters of the way in) by a polar, elliptical transform. The unwrapped ink tells the rest:

- the border line is the strongest ink near the outline. A stamp pressed unevenly fades border and text
  alike, so the ink is divided by the border's local strength: a faded side comes back up to the others and
  is not mistaken for the gap between the text's two ends (a real gap keeps its border);
- the text band is where the ink lies inside the border, over the angles that carry text: ring text sits at
  different depths on different stamps (ovals have taller text for their short axis);
- the gap is the longest quiet run of the band, preferably below (stamps are set roughly upright).

Straight rules crossing the stamp (a red frame line, a table) are taken out first: no stroke of a character
on a seal is straight for over half its diameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from compliance.vision.seal_ink import unmix
from compliance.vision.seal_locate import INK, Seal, _ellipse_points, _inset_points, _simplest_fit
from compliance.vision.view import View, as_view

STRIP_H = 48  # unwrapped text band height, pixels: the recogniser reads lines 48 px high
# Depths are shares of the short semi-axis, measured inward from the outline along its normal.
DEEP_OUT, DEEP_IN = -0.05, 0.75  # the unwrapped range searched for the border and the text
BORDER_MAX = 0.16  # the border line lies within this depth
BAND_OUT, BAND_IN = 0.11, 0.5  # the text band when the ink does not show one
PEAK_MAX = 0.45  # the text band's strongest row lies no deeper than this
GAP_ROWS = (0.14, 0.32)  # depths whose quiet run is the gap between the text's ends
BAND_MIN, BAND_MAX = 0.12, 0.6  # plausible text band heights
BOOST_MAX = 4.0  # a faded side is brought up at most this much (beyond it, it is noise)
RULE_SHARE = 0.55  # a straight ink run this long (share of the short axis) is a rule line, not a stroke
RULE_OUTSIDE = 1.12  # ... when it reaches this far out (share of the outline's radius): rules cross the stamp
PLAIN_BORDER = 0.35  # a ray whose border is this weak, against the strongly inked ones, is not fitted to
BORDER_SAMPLES = 12  # rays are sampled every 0.5% of the radius: a border is at most this many deep
# The centre text (合同专用章 ...) lies below the star and above the gap: rows between these depths below the
# centre (shares of the short semi-axis), across this share of the semi-axis that lies across.
CENTRE_ROWS = (0.22, 0.8)
CENTRE_WIDTH = 0.7
TEXT_MARGIN = 0.1  # the text band is widened by this share of its height at each side


@dataclass(slots=True)
class Ring:
    """A seal's ink neighbourhood, its refined outline, the unwrapped text band and the candidate gaps."""

    ink: np.ndarray  # this stamp's ink (uint8) around it, rules removed
    cx: float  # outline in the crop's pixels
    cy: float
    w: float
    h: float
    ang: float
    theta: np.ndarray  # parameter angle of each band column
    band: np.ndarray  # the text band (float32, ink evened out along the ring), native resolution
    inner: float  # the band's inner depth (share of the short semi-axis): the centre text lies inside it
    gaps: list[tuple[int, int]]  # (start column, length), likeliest first


def ring(page: View | np.ndarray, seal: Seal) -> Ring:
    ink, cx0, cy0 = _ink_crop(as_view(page).rgb, seal)
    ink = _without_rules(ink, cx0, cy0, seal)
    cx, cy, w, h, ang = _refine(ink, cx0, cy0, seal)
    short = min(w, h) / 2
    # About one page pixel per row and per column (at 30% depth, the middle of most ring text).
    n_rows = int(np.clip((DEEP_IN - DEEP_OUT) * short, 24, 400))
    n_theta = int(np.clip(_perimeter(w / 2 - 0.3 * short, h / 2 - 0.3 * short), 200, 3000))
    theta = _even_angles(w, h, n_theta)
    depths = np.linspace(DEEP_OUT, DEEP_IN, n_rows)
    xs, ys = _inset_points(cx, cy, w, h, ang, depths[:, None] * short, theta[None, :])
    deep = _evened(cv2.remap(ink, xs, ys, cv2.INTER_LINEAR, borderValue=0).astype(np.float32), depths)
    # The gap first, on the outer rows of the usual band: ring text reaches them all round, while the border
    # line stays outside them and centre text that comes close to the ring (合同专用章 under a long name) inside.
    mid = (depths >= GAP_ROWS[0]) & (depths <= GAP_ROWS[1])
    col = _circular_blur(deep[mid].mean(axis=0), n_theta / 150)
    low = col < 0.3 * float(np.percentile(col, 90) or 1)
    gaps = _gaps(low, theta, cx, cy, w, h, ang)
    top, bottom = _text_rows(deep, depths, ~low if (~low).sum() > n_theta // 8 else np.ones(n_theta, bool))
    return Ring(ink, cx, cy, w, h, ang, theta, deep[top:bottom], float(depths[bottom - 1]), gaps)


def _ink_crop(rgb: np.ndarray, seal: Seal, margin: float = 0.1) -> tuple[np.ndarray, float, float]:
    """Ink strength of the seal's neighbourhood (full resolution) and the seal centre in it."""
    r = max(seal.w, seal.h) / 2 * (1 + margin)
    H, W = rgb.shape[:2]
    x0, y0 = max(0, int(seal.cx - r)), max(0, int(seal.cy - r))
    x1, y1 = min(W, int(seal.cx + r) + 1), min(H, int(seal.cy + r) + 1)
    return unmix(rgb[y0:y1, x0:x1]), seal.cx - x0, seal.cy - y0


def _without_rules(ink: np.ndarray, cx: float, cy: float, seal: Seal) -> np.ndarray:
    """The ink with long horizontal and vertical runs (rule lines crossing the stamp) blanked out.

    Only runs that reach out of the stamp are rules: the flat top of an oval's border, or a blurred line of
    ring text whose characters run together, makes as long a run, but stays inside the outline.
    """
    n = int(RULE_SHARE * min(seal.w, seal.h))
    if n < 20:
        return ink
    on = (ink > INK).astype(np.uint8)
    rules = cv2.morphologyEx(on, cv2.MORPH_OPEN, np.ones((1, n), np.uint8))
    rules |= cv2.morphologyEx(on, cv2.MORPH_OPEN, np.ones((n, 1), np.uint8))
    if not rules.any():
        return ink
    count, labels = cv2.connectedComponents(rules, connectivity=8)
    ys, xs = np.nonzero(labels)
    t = np.radians(seal.angle)
    u = ((xs - cx) * np.cos(t) + (ys - cy) * np.sin(t)) / (seal.w / 2)
    v = (-(xs - cx) * np.sin(t) + (ys - cy) * np.cos(t)) / (seal.h / 2)
    out_of = np.zeros(count, bool)
    out_of[labels[ys, xs][u * u + v * v > RULE_OUTSIDE ** 2]] = True
    rules = out_of[labels].astype(np.uint8)
    if not rules.any():
        return ink
    out = ink.copy()
    out[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
    return out


def _refine(ink: np.ndarray, cx: float, cy: float, seal: Seal) -> tuple[float, float, float, float, float]:
    """The seal's outline fitted again at full resolution, through the middle of its border line.

    Along rays within 0.8-1.2 of the coarse ellipse, the border is the outermost run of strong ink; its
    peak (not its outer edge, which blur and JPEG move with the ink's strength) is taken, and an ellipse
    (or circle, see _simplest_fit) fitted with points off it dropped. Returns (cx, cy, w, h, angle) in the
    crop's pixels.
    """
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    rho = np.linspace(0.8, 1.2, 81)
    xs, ys = _ellipse_points(cx, cy, seal.w, seal.h, seal.angle, rho[:, None], theta[None, :])
    prof = cv2.GaussianBlur(cv2.remap(ink, xs, ys, cv2.INTER_LINEAR, borderValue=0).astype(np.float32), (1, 0),
                            sigmaX=0.1, sigmaY=1.5)
    peaks = prof.max(axis=0)
    level = np.maximum(0.5 * peaks, INK)
    above = prof > level[None, :]
    # Rays across a faded side find no border, only noise or text at its own faint level: the outline is
    # fitted through the rays where the border is plainly inked (a lightly pressed side would pull it off).
    has = above.any(axis=0) & (peaks >= PLAIN_BORDER * float(np.percentile(peaks, 80)))
    fallback = (cx, cy, seal.w, seal.h, seal.angle)
    if has.sum() < 20:
        return fallback
    outer = len(rho) - 1 - np.argmax(above[::-1], axis=0)  # the outermost strong sample of each ray
    # The peak of that run: the strongest sample up to a border's width further in.
    window = np.clip(outer[None, :] - np.arange(BORDER_SAMPLES)[:, None], 0, None)
    cols = np.arange(len(theta))
    peak = window[np.argmax(prof[window, cols[None, :]], axis=0), cols]
    pts = np.stack([xs[peak, cols], ys[peak, cols]], axis=1)[has].astype(np.float32)
    fit = fallback
    for _ in range(3):
        if len(pts) < 12:
            break
        (ex, ey), (ew, eh), ang = _simplest_fit(pts, 0.04)
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


def _evened(deep: np.ndarray, depths: np.ndarray) -> np.ndarray:
    """The unwrapped ink divided by the border's local strength (relative to its usual strength)."""
    border = deep[depths <= BORDER_MAX]
    if border.size == 0:
        return deep
    n = deep.shape[1]
    # Black print across the border leaves holes in it: bridge them (about 8 degrees), then smooth.
    k = max(3, n // 45)
    strength = np.tile(border.max(axis=0), 3)  # the ring is circular: filter three turns, keep the middle
    strength = cv2.dilate(strength[None, :], np.ones((1, k), np.float32))[0, n:2 * n]
    strength = _circular_blur(strength, n / 100)
    usual = float(np.percentile(strength, 75))
    if usual <= INK:
        return deep
    gain = usual / np.maximum(strength, usual / BOOST_MAX)
    return deep * gain[None, :]


def _text_rows(deep: np.ndarray, depths: np.ndarray, text_cols: np.ndarray) -> tuple[int, int]:
    """Rows [top, bottom) of the ring text: the main run of ink inside the border over the text's angles,
    with a margin; the usual band when the ink shows no plausible one."""
    n = len(depths)
    default = int(np.searchsorted(depths, BAND_OUT)), int(np.searchsorted(depths, BAND_IN))
    prof = cv2.GaussianBlur(deep[:, text_cols].mean(axis=1)[:, None], (0, 0), max(1.0, n / 120))[:, 0]
    outer = np.nonzero(depths <= BORDER_MAX)[0]
    if len(outer) == 0:
        return default
    b = int(outer[np.argmax(prof[outer])])  # the border line's row
    # The border's inner edge: where its profile first falls to half, or turns up again (text right below).
    i = b
    while i + 1 < n and prof[i + 1] > 0.5 * prof[b] and prof[i + 1] <= prof[i]:
        i += 1
    last = int(np.searchsorted(depths, DEEP_IN - 0.05))
    if last - i < 4:
        return default
    # The band's peak lies in the outer part (the text's middle is at most about 0.35 deep, on ovals 0.4):
    # deeper, the strongest ink is a red title printed across the stamp, or the centre text.
    reach = max(i + 2, min(last, int(np.searchsorted(depths, PEAK_MAX))))
    peak = i + 1 + int(np.argmax(prof[i + 1:reach]))
    floor = float(prof[i + 1:last].min())
    level = floor + 0.3 * (float(prof[peak]) - floor)
    top, bottom = peak, peak
    while top - 1 > i and prof[top - 1] > level:
        top -= 1
    while bottom + 1 < last and prof[bottom + 1] > level:
        bottom += 1
    height = depths[bottom] - depths[top]
    if not BAND_MIN * 0.6 <= height <= BAND_MAX:
        return default
    pad = max(TEXT_MARGIN * (bottom - top), 2)
    top = max(int(i), int(top - pad))
    bottom = min(n, int(bottom + pad) + 1)
    if depths[bottom - 1] - depths[top] < BAND_MIN:
        return default
    return top, bottom


def _circular_blur(row: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur of a circular profile (OpenCV's filters have no wrap-around border)."""
    n = len(row)
    return cv2.GaussianBlur(np.tile(row.astype(np.float32), 3)[None, :], (0, 0), sigma)[0, n:2 * n]


def _perimeter(a: float, b: float) -> float:
    """Ellipse perimeter (Ramanujan)."""
    a, b = max(a, 1.0), max(b, 1.0)
    return float(np.pi * (3 * (a + b) - np.sqrt((3 * a + b) * (a + 3 * b))))


def _even_angles(w: float, h: float, n: int) -> np.ndarray:
    """``n`` parameter angles spaced evenly by arc length on the ellipse (even character pitch on ovals)."""
    fine = np.linspace(0, 2 * np.pi, 4 * n + 1)
    seg = np.hypot(w / 2 * np.diff(np.cos(fine)), h / 2 * np.diff(np.sin(fine)))
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    return np.interp(np.linspace(0, arc[-1], n, endpoint=False), arc, fine)


def cut(r: Ring, gap: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, float]:
    """The ring strip starting after ``gap`` (the gap itself cut off, but for a margin of about half a
    character at each end), the upright centre crop, and the gap's direction in the picture (degrees, y down).
    """
    n_theta = len(r.theta)
    rows = r.band.shape[0]
    gap_i, gap_len = gap
    strip = np.roll(r.band, -(gap_i + gap_len // 2), axis=1)
    if gap_len > 0:
        margin = max(4, int(0.6 * rows))
        keep = min(n_theta, n_theta - gap_len + 2 * margin)
        strip = strip[:, (n_theta - keep) // 2: (n_theta - keep) // 2 + keep]
    # Characters keep their proportions: the band is about one pixel per row and per column.
    width = max(8, round(strip.shape[1] * STRIP_H / max(rows, 1)))
    strip = cv2.resize(strip, (width, STRIP_H), interpolation=cv2.INTER_CUBIC)
    mid = r.theta[(gap_i + gap_len // 2) % n_theta]
    gx, gy = _ellipse_points(r.cx, r.cy, r.w, r.h, r.ang, np.array([1.0]), np.array([mid]))
    gap_dir = float(np.degrees(np.arctan2(gy[0] - r.cy, gx[0] - r.cx)))
    # Centre: turn the seal upright (gap at the bottom, 90 degrees), take the band below the star.
    turn = gap_dir - 90.0 if gap_len > 0 else 0.0
    m = cv2.getRotationMatrix2D((r.cx, r.cy), turn, 1.0)
    upright = cv2.warpAffine(r.ink, m, (r.ink.shape[1], r.ink.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)
    short = min(r.w, r.h) / 2
    # The semi-axis that lies across once the seal is upright.
    across = max(r.w, r.h) / 2 if abs(np.sin(np.radians(r.ang - turn))) < 0.5 else short
    y0, y1 = int(r.cy + CENTRE_ROWS[0] * short), int(r.cy + CENTRE_ROWS[1] * short)
    x0, x1 = int(r.cx - CENTRE_WIDTH * across), int(r.cx + CENTRE_WIDTH * across)
    centre = upright[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    return dark_on_white(strip, by_column=True), dark_on_white(centre), gap_dir


def dark_on_white(ink: np.ndarray, *, by_column: bool = False) -> np.ndarray:
    """Ink strength -> a black-on-white picture, stretched so a pale stamp reads as well as a fresh one.

    ``by_column``: stretched to the strongest ink of a typical stretch of the strip rather than of the
    whole, so a bold red title crossing a pale stamp does not leave the stamp's own text grey.
    """
    if ink.size == 0:
        return np.full((1, 1), 255, np.uint8)
    ink = ink.astype(np.float32)
    top = float(np.percentile(ink, 99))
    if by_column and ink.shape[1] >= 2 * ink.shape[0]:
        strongest = ink.max(axis=0)
        strongest = cv2.dilate(strongest[None, :], np.ones((1, ink.shape[0]), np.float32))[0]  # over a character
        inked = strongest[strongest > 0.25 * top]
        if len(inked):
            top = min(top, float(np.median(inked)))
    top = max(top, 60.0)
    return (255 - np.clip(ink * (255.0 / top), 0, 255)).astype(np.uint8)


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
    runs near the bottom of the picture (seals are stamped roughly upright; text hidden under black print is
    quiet too); then the longest run near the bottom, if that is another one."""
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


def unwrap(page: View | np.ndarray, seal: Seal, choice: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    """(ring strip, centre crop, gap direction in degrees): dark-on-white greys ready for OCR.

    The strip runs clockwise from the gap between the ring text's ends, outer edge at the top, so ring text
    reads left to right. ``choice`` picks among the candidate gaps (0: the likeliest).
    """
    r = ring(page, seal)
    return cut(r, r.gaps[min(choice, len(r.gaps) - 1)])

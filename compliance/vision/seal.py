"""Official seals (公章): red round and oval stamps, their ring and centre text, organ or not.

Finding: a red-ink mask (white-balanced against the paper first, so a warm scan is not "red"), closed so the
ring and its text form one blob; an ellipse is fitted to each blob's outline and kept when red ink runs
around most of it (a ring, not a solid red disc or a line of red text) and its inside is mostly paper.

Reading: the ring band is unwrapped with a polar (elliptical) transform into a straight strip, starting in
the gap between the text's two ends, so ring text comes out left to right; the strip and its 180-degree turn
(text along the lower arc, read the other way) are both read and the better reading kept. The centre below
the star is read as a line. The OCR sees red ink only (dark on white): black print under the stamp does not
mix into the seal's text.

Classifying: a name that says company/school/association (有限公司, 学校, 培训中心, 协会 ...) is an issuer,
reported as information (status "info", category certificate_registry: the issuer's name is what the filing
check needs). Otherwise a name of an administrative organ (…局, …厅, …部, …委员会, 人民政府, 人力资源和社会保障,
市场监督管理 ...) gives organ_mark plus impersonate_authority, with the seal text as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image

from compliance.contract import Category
from compliance.vision.base import Box, VisionHit
from compliance.vision.view import View, as_view

SCALE = 0.5  # search resolution
MIN_DIAMETER, MAX_DIAMETER = 90, 700  # page pixels (a big title character is up to ~100 px)
HOUGH_VOTES = 32  # accumulator threshold of the circle transform (half-size ink map)
MAX_GUESSES = 12
# Shape tests, set on generated pages (seals vs red title characters, logos, emblems; see _ring_and_fill).
MIN_RING = 0.38  # share of the outline covered by border runs of 30 degrees or more (partial stamps lose some)
MAX_FILL = 0.65  # ink in the inner disc (the star fills about a third; a solid red disc fills it all)
MAX_OUTSIDE = 0.2  # ink just outside the border (a seal's border is its edge)
MIN_INSIDE = 0.005  # some ink inside (a plain red ring has none)
MAX_BAND = 0.55  # ink in the ring-text band: text, not a solid red disc
MAX_THICK = 0.14  # border thickness / radius
MAX_OTHER = 0.15  # strongly coloured, non-red pixels inside (gold, blue: emblems, badges, logos)
STRIP_H = 48  # unwrapped text band height, pixels (characters come out about 30 px high)

_CJK = re.compile(r"[\u3400-\u9fff]")
# An issuer that is a business, school or association. Checked first: "某某有限公司工会委员会" is a company's.
COMPANY = re.compile(
    r"有限|公司|责任|股份|集团|企业|学校|学院|大学|中学|小学|幼儿园|培训|中心|协会|学会|研究院|研究所|"
    r"事务所|工作室|商会|联合会|基金会|俱乐部|医院|门诊|服务|经营部|门市部|营业部|科技|咨询|商行|店|书局"
)
# Administrative organs: names, and pieces of the long ones (OCR drops and garbles characters on curved
# text: 人力资源和社会保障 comes back as 人为海源和社会保). 人力资源 alone is also a company's word, so it is
# not evidence; neither is a bare 府 (天府 is a place name in many company names).
ORGAN_NAMES = re.compile(
    r"人民.?府|人民政|政府|委员会|委员|人力资源和?社会保障|资源和|和社会|社会保|保障[局厅部]|人社[局厅部]|"
    r"市场监督管理|市场监管|监督管理|管理[局厅]|公安|法院|检察院|办公厅|办公室|教育[厅局部]|财政[局厅部]|税务|海关|"
    r"民政|司法[局厅部]|卫生健康|应急管理|生态环境|国务院|人民共和国"
)
# Organ names end so; only trusted on a reading of three characters or more (a fragment like 章局 is not one).
ORGAN_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2,}(局|厅|部|委|署)$")


@dataclass(slots=True)
class Seal:
    cx: float
    cy: float
    w: float  # full axis lengths (page pixels), cv2.fitEllipse convention
    h: float
    angle: float  # degrees
    ring: float  # share of the outline with ink

    @property
    def box(self) -> Box:
        r = max(self.w, self.h) / 2
        # Axis-aligned box of the rotated ellipse.
        t = np.radians(self.angle)
        a, b = self.w / 2, self.h / 2
        ex = float(np.sqrt((a * np.cos(t)) ** 2 + (b * np.sin(t)) ** 2))
        ey = float(np.sqrt((a * np.sin(t)) ** 2 + (b * np.cos(t)) ** 2))
        ex, ey = min(ex, r), min(ey, r)
        return (self.cx - ex, self.cy - ey, self.cx + ex, self.cy + ey)


def ink_map(rgb: np.ndarray) -> np.ndarray:
    """Red-ink strength in [0, 255] (uint8): redness R - max(G, B) after dividing out the paper colour.

    Gold and orange print score low (their G is high); pale stamps still score 40-70. (Channel work goes
    through cv2.split: numpy reductions over a 3-long last axis are ten times slower.)
    """
    chans = cv2.split(rgb)
    step = max(1, rgb.shape[0] * rgb.shape[1] // 20000)
    # Paper colour: a high percentile per channel (most of a page is paper; ink is darker).
    paper = [max(float(np.percentile(c.reshape(-1)[::step], 90)), 60.0) for c in chans]
    r, g, b = (c.astype(np.float32) * (255.0 / p) for c, p in zip(chans, paper, strict=True))
    red = r - np.maximum(g, b)
    # Red ink over black print is black; over paper it keeps r high. Dark pixels are not seal ink.
    red[r < 90] = 0
    return np.clip(red, 0, 255).astype(np.uint8)


INK = 25  # ink_map level that counts as stamp ink


def find(page: View | np.ndarray, exclude: list[Box] | None = None) -> list[Seal]:
    """Seal ellipses on a page (page pixels).

    Candidates come from two places: circles in the ink map (Hough: robust to a ring broken by black print
    or merged with a red rule) and blobs of ink (catch ovals, which the circle transform sees poorly). Each
    is refined by fitting an ellipse to the outermost ink along rays from its centre, then verified.
    """
    small = as_view(page).half(colour=True)
    ink = ink_map(small)
    mask = (ink > INK).astype(np.uint8)
    if cv2.countNonZero(mask) < 50:
        return []
    # A page printed in one red ink (text and all) has no stamp to tell apart by colour: red "ink" is all
    # over it and there is hardly any print in another colour.
    ch = cv2.split(small)
    lo, hi = cv2.min(cv2.min(ch[0], ch[1]), ch[2]), cv2.max(cv2.max(ch[0], ch[1]), ch[2])
    n_ink = cv2.countNonZero(mask)
    other_print = cv2.countNonZero(((lo < 150) & (mask == 0)).astype(np.uint8))
    if n_ink > 0.01 * mask.size and other_print < 0.1 * n_ink:
        return []
    # Strongly coloured pixels that are not red ink (gold, blue, green): emblems, badges and logos are full
    # of them; a stamp's inside is paper, red ink and black print.
    near_ink = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # the stamp's own soft edges are not "other"
    other = ((cv2.subtract(hi, lo) > 70) & (near_ink == 0)).astype(np.uint8)
    r_min, r_max = MIN_DIAMETER * SCALE / 2, MAX_DIAMETER * SCALE / 2
    guesses: list[tuple[float, float, float]] = []
    # Solid red areas (a flag, an emblem's disc) are no stamp and would flood the circle transform with edges
    # (its cost grows with them): blank them out first. Rings and ring text are thin, so they stay.
    solid = cv2.blur(mask.astype(np.float32), (11, 11)) > 0.6
    src = ink.copy()
    src[cv2.dilate(solid.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0] = 0
    circles = cv2.HoughCircles(cv2.GaussianBlur(src, (0, 0), 1.5), cv2.HOUGH_GRADIENT, 1, r_min, param1=80,
                               param2=HOUGH_VOTES, minRadius=int(r_min), maxRadius=int(r_max))
    if circles is not None:
        guesses += [(float(x), float(y), float(r)) for x, y, r in circles[0][:MAX_GUESSES]]
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    for k in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[k])
        if r_min * 2 <= max(w, h) <= r_max * 2.2 and area >= 40 and 0.4 < w / h < 2.5:
            guesses.append((x + w / 2, y + h / 2, max(w, h) / 2))
    # A border broken by black print falls apart into arcs: blobs of the mask closed much harder bring the
    # pieces of one stamp back together (their boxes are only guesses; the fit decides).
    merged = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(merged, connectivity=8)
    for k in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[k])
        w, h = w - 14, h - 14  # undo the dilation
        if r_min * 2 <= max(w, h) <= r_max * 2.2 and 0.4 < w / max(h, 1) < 2.5:
            guesses.append((x + 7 + w / 2, y + 7 + h / 2, max(w, h) / 2))
    unique: list[tuple[float, float, float]] = []
    for g in guesses:  # the same stamp seen by several guessers: fit it once
        if not any(abs(g[0] - u[0]) < 0.2 * u[2] and abs(g[1] - u[1]) < 0.2 * u[2] and 0.8 < g[2] / u[2] < 1.25
                   for u in unique):
            unique.append(g)
    found: list[Seal] = []
    for gx, gy, gr in unique:
        best: Seal | None = None
        # The guess's radius can be off (a circle through the ring text, a blob merged with a rule line): the
        # outline search is tried out to a few radii and the best verified ellipse kept.
        for grow in (1.0, 1.35, 1.8):
            seal = _verified(mask, other, gx, gy, gr * grow, r_min, r_max)
            if seal is not None and (best is None or seal.ring > best.ring):
                best = seal
        if best is not None and not (exclude and any(_centre_in(best, b) for b in exclude)):
            found.append(best)
    # Several guesses land on one stamp, some with a worse outline (pulled out by red text next to it): the
    # best-covered ring wins, the others around the same centre go.
    found.sort(key=lambda s: -s.ring)
    out: list[Seal] = []
    for seal in found:
        if not any(abs(seal.cx - s.cx) < 0.35 * max(s.w, s.h) and abs(seal.cy - s.cy) < 0.35 * max(s.w, s.h)
                   for s in out):
            out.append(seal)
    return out


def _verified(mask: np.ndarray, other: np.ndarray, gx: float, gy: float, gr: float, r_min: float, r_max: float
              ) -> Seal | None:
    fit = _fit(mask, gx, gy, gr)
    if fit is None:
        return None
    (cx, cy), (ew, eh), ang = fit
    if min(ew, eh) < r_min * 2 * 0.8 or max(ew, eh) > r_max * 2.3 or max(ew, eh) / min(ew, eh) > 1.9:
        return None
    ring, fill, outside, band, thick = _ring_and_fill(mask, cx, cy, ew, eh, ang)
    # Small outlines must be better rings: a big red title character is the usual impostor, and it is small.
    need = MIN_RING + 0.12 * float(np.clip((150 * SCALE - max(ew, eh)) / (50 * SCALE), 0, 1))
    if (ring < need or fill > MAX_FILL or outside > MAX_OUTSIDE or max(fill, band) < MIN_INSIDE
            or band > MAX_BAND or thick > MAX_THICK):
        return None
    theta = np.linspace(0, 2 * np.pi, 60, endpoint=False)[None, :]
    xs, ys = _ellipse_points(cx, cy, ew, eh, ang, np.linspace(0.1, 0.85, 8)[:, None], theta)
    if float(np.mean(cv2.remap(other, xs, ys, cv2.INTER_NEAREST, borderValue=0))) > MAX_OTHER:
        return None
    return Seal(cx / SCALE, cy / SCALE, ew / SCALE, eh / SCALE, ang, ring)


def _fit(mask: np.ndarray, cx: float, cy: float, r: float) -> tuple | None:
    """An ellipse through the outer edges of ink along 96 rays from (cx, cy), searched out to 1.5 r.

    A ray may cross several edges: the border, ring text, red print next to the stamp, a rule line. Starting
    from circles of a few radii around the guess, each ray's edge nearest the current ellipse is taken and the
    ellipse refit on the edges that agree (a few rounds); the result that the most rays agree with wins.
    Red text beside a stamp, or a faded arc, then pulls no more than the rays it is on.
    """
    n_rays = 96
    theta = np.linspace(0, 2 * np.pi, n_rays, endpoint=False)
    rho = np.arange(max(2.0, 0.4 * r), 1.5 * r, 1.0)
    if len(rho) < 4:
        return None
    xs = (cx + rho[:, None] * np.cos(theta)[None, :]).astype(np.float32)
    ys = (cy + rho[:, None] * np.sin(theta)[None, :]).astype(np.float32)
    hit = cv2.remap(mask, xs, ys, cv2.INTER_NEAREST, borderValue=0) > 0
    # Outer edges: ink at this step, none at the next one out.
    edge = hit & ~np.vstack([hit[1:], np.zeros((1, n_rays), bool)])
    ei, ray = np.nonzero(edge)
    if len(np.unique(ray)) < 12:
        return None
    pts = np.stack([xs[ei, ray], ys[ei, ray]], axis=1).astype(np.float32)
    best, best_support = None, 0
    for start in (0.7, 0.85, 1.0, 1.2):
        fit: tuple = ((cx, cy), (2 * r * start, 2 * r * start), 0.0)
        for tol in (0.15, 0.1, 0.06, 0.06):
            err = np.abs(_norm_radius(pts, fit) - 1)
            # One edge per ray: the one nearest the current ellipse, if it is near enough.
            order = np.lexsort((err, ray))
            first = order[np.r_[True, ray[order][1:] != ray[order][:-1]]]
            keep = first[err[first] < tol]
            if len(keep) < 12:
                break
            new = cv2.fitEllipse(pts[keep])
            if min(new[1]) <= 2 or max(new[1]) > 4 * r:
                break
            fit = new
        support = len(np.unique(ray[np.abs(_norm_radius(pts, fit) - 1) < 0.05]))
        if support > best_support and fit[1][0] != 2 * r * start:
            best, best_support = fit, support
    return best if best_support >= 24 else None


def _norm_radius(pts: np.ndarray, fit: tuple) -> np.ndarray:
    """Each point's radius in the ellipse's own frame (1 on the ellipse)."""
    (ex, ey), (ew, eh), ang = fit
    t = np.radians(ang)
    dx, dy = pts[:, 0] - ex, pts[:, 1] - ey
    u = (dx * np.cos(t) + dy * np.sin(t)) / (ew / 2)
    v = (-dx * np.sin(t) + dy * np.cos(t)) / (eh / 2)
    return np.sqrt(u * u + v * v)


def _centre_in(seal: Seal, box: Box) -> bool:
    return box[0] <= seal.cx <= box[2] and box[1] <= seal.cy <= box[3]


def _ellipse_points(cx: float, cy: float, w: float, h: float, ang: float, rho: np.ndarray,
                    theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample points rho x (ellipse) at parameter angles theta; rho and theta broadcast."""
    t = np.radians(ang)
    ex = rho * (w / 2) * np.cos(theta)
    ey = rho * (h / 2) * np.sin(theta)
    return (cx + ex * np.cos(t) - ey * np.sin(t)).astype(np.float32), (cy + ex * np.sin(t) + ey * np.cos(t)).astype(
        np.float32)


def _run_cover(rows: np.ndarray, k: int) -> np.ndarray:
    """For each circular boolean row, the share covered by runs of at least ``k`` True values."""
    n_rows, n = rows.shape
    full = rows.all(axis=1)
    # Turn each row to start on a False, so that no run wraps around the end.
    start = np.argmin(rows, axis=1)
    turned = rows[np.arange(n_rows)[:, None], (np.arange(n)[None, :] + start[:, None]) % n].astype(np.int8)
    edges = np.diff(np.pad(turned, ((0, 0), (1, 1))), axis=1)
    r_up, c_up = np.nonzero(edges == 1)
    _, c_down = np.nonzero(edges == -1)  # row-major order pairs every run's start with its end
    lengths = c_down - c_up
    long = lengths >= k
    cover = np.bincount(r_up[long], weights=lengths[long], minlength=n_rows) / n
    return np.where(full, 1.0, cover)


def _inset_points(cx: float, cy: float, w: float, h: float, ang: float, depth: np.ndarray,
                  theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points ``depth`` pixels inside the ellipse along its normal, at parameter angles theta (broadcast).

    An inset curve keeps a band of constant width all round an oval seal, as its ring text is; a scaled
    ellipse would make the band thicker at the ends of the long axis and run into the centre text.
    """
    a, b = w / 2, h / 2
    ex, ey = a * np.cos(theta), b * np.sin(theta)
    nx, ny = b * np.cos(theta), a * np.sin(theta)
    norm = np.sqrt(nx * nx + ny * ny) + 1e-9
    px, py = ex - depth * nx / norm, ey - depth * ny / norm
    t = np.radians(ang)
    return (cx + px * np.cos(t) - py * np.sin(t)).astype(np.float32), (cy + px * np.sin(t) + py * np.cos(t)).astype(
        np.float32)


def _ring_and_fill(mask: np.ndarray, cx: float, cy: float, w: float, h: float, ang: float
                   ) -> tuple[float, float, float, float, float]:
    """Shape evidence for a fitted ellipse: (ring, fill, outside, band, thickness).

    ring: the best share of angles with ink at one radius (+-0.02) near the outline, counting only runs of
    30 degrees or more: a stamp's border is a continuous curve, while the strokes of a big red character meet
    a circle in short pieces. fill: ink in the inner disc (0-45% of the radius: the star, centre text).
    outside: ink just outside the border. band: ink in the ring-text band (50-85%). thickness: the border's
    median radial extent as a share of the radius (stamps have thin borders, characters thick strokes).
    """
    theta = np.linspace(0, 2 * np.pi, 120, endpoint=False)[None, :]
    rho = np.linspace(0.84, 1.08, 25)[:, None]
    xs, ys = _ellipse_points(cx, cy, w, h, ang, rho, theta)
    hit = cv2.remap(mask, xs, ys, cv2.INTER_NEAREST, borderValue=0) > 0
    near = hit[:-2] | hit[1:-1] | hit[2:]
    covers = _run_cover(near, 10)
    best = int(np.argmax(covers))
    ring = float(covers[best])
    on_ring = near[best]
    thickness = float(np.median(hit[:, on_ring].sum(axis=0)) * 0.01) if on_ring.any() else 1.0

    def share(lo: float, hi: float, n: int) -> float:
        xs, ys = _ellipse_points(cx, cy, w, h, ang, np.linspace(lo, hi, n)[:, None], theta)
        return float(np.mean(cv2.remap(mask, xs, ys, cv2.INTER_NEAREST, borderValue=0) > 0))

    return ring, share(0.0, 0.45, 10), share(1.12, 1.25, 3), share(0.5, 0.85, 8), thickness


# -- reading -----------------------------------------------------------------------------------------


def _ink_crop(rgb: np.ndarray, seal: Seal, margin: float = 0.1) -> tuple[np.ndarray, float, float]:
    """Ink strength of the seal's neighbourhood (full resolution) and the seal centre in it."""
    r = max(seal.w, seal.h) / 2 * (1 + margin)
    H, W = rgb.shape[:2]
    x0, y0 = max(0, int(seal.cx - r)), max(0, int(seal.cy - r))
    x1, y1 = min(W, int(seal.cx + r) + 1), min(H, int(seal.cy + r) + 1)
    return unmix(rgb[y0:y1, x0:x1]), seal.cx - x0, seal.cy - y0


def unmix(rgb: np.ndarray) -> np.ndarray:
    """This stamp's ink strength (uint8) by colour unmixing: each pixel's darkening from the paper is split
    into "this seal's ink colour" and "black print"; the ink part is kept.

    The ink colour is measured on the stamp itself, so a pale, orange- or purple-shifted stamp reads as well
    as a fresh red one, and black print under or over the stamp drops out.
    """
    f = rgb.reshape(-1, 3).astype(np.float32)
    paper = np.percentile(f[:: max(1, len(f) // 20000)], 90, axis=0)
    red = ink_map(rgb).reshape(-1)
    strong = f[red > np.percentile(red, 97)] if (red > INK).sum() >= 30 else np.empty((0, 3), np.float32)
    ink_colour = np.median(strong, axis=0) if len(strong) else paper * np.array([0.86, 0.12, 0.16], np.float32)
    u_ink = paper - ink_colour
    if float(np.linalg.norm(u_ink)) < 20:
        return ink_map(rgb)
    basis = np.stack([u_ink, paper / max(float(np.linalg.norm(paper)), 1.0) * 255.0], axis=1)  # 3 x 2
    deficit = np.clip(paper - f, 0, None)
    coef, *_ = np.linalg.lstsq(basis, deficit.T, rcond=None)
    ink = np.clip(coef[0], 0, 1.2) / 1.2 * 255
    ink = ink.reshape(rgb.shape[:2]).astype(np.uint8)
    return cv2.GaussianBlur(ink, (0, 0), 0.8)  # the stretch before OCR would otherwise amplify noise


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
    characters times confidence) wins. Lines the OCR turned over to read are left out: in a ring strip
    they are mostly pieces of the centre text, upside down next to the gap. Only when nothing else reads
    are long turned-over lines taken (the detector sometimes finds the ring text only in the turned strip).
    """
    r = _ring(page, seal)
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
    _, centre, _ = _cut(r, best[2])
    centre_text, _ = _read(ocr, centre)
    return best[0], centre_text, best[1]


SCHOOL = re.compile(r"学校|学院|大学|中学|小学|幼儿园")
CENTRE_PHRASE = re.compile(r"[\u4e00-\u9fff]{0,3}专用章?")


def classify(text: str) -> str:
    """"organ" (administrative organ), "school", "company" (business, association, other issuer) or
    "unknown" (nothing recognisable was read)."""
    name = _cjk(text)
    if not name:
        return "unknown"
    if SCHOOL.search(name):
        return "school"
    if COMPANY.search(name):
        return "company"
    if ORGAN_NAMES.search(name) or ORGAN_SUFFIX.search(name):
        return "organ"
    return "unknown"


_default_ocr: Any = None


def _fallback_ocr(settings: Any) -> Any:
    """The configured OCR backend, built once per process when the caller passed none (None if unavailable)."""
    global _default_ocr
    if _default_ocr is None:
        try:
            from compliance.ocr.base import get_backend

            _default_ocr = get_backend(getattr(settings, "ocr_backend", "rapidocr"), settings)
        except Exception:  # no OCR here: seals are still reported, unread
            _default_ocr = False
    return _default_ocr or None


def detect(page: View | np.ndarray, *, ocr: Any = None, exclude: list[Box] | None = None,
           settings: Any = None) -> list[VisionHit]:
    """Seals on a page: an organ's seal as organ_mark + impersonate_authority (violations, seal text as
    evidence); any other seal as one "info" hit (label company_seal, school_seal, or seal when unread)."""
    view = as_view(page)
    hits: list[VisionHit] = []
    seals = find(view, exclude)
    if seals and ocr is None:
        ocr = _fallback_ocr(settings)
    for seal in seals:
        shape = float(min(1.0, 0.55 + seal.ring / 2))
        ring = centre = ""
        conf = 0.0
        if ocr is not None:
            ring, centre, conf = read(ocr, view, seal)
        text = ring + (" " + centre if centre and ring else centre)
        kind = classify(ring) if ring else "unknown"
        if kind == "unknown" and ring and centre:
            kind = classify(text)
        if kind == "organ":
            c = round(shape * max(conf, 0.5), 3)
            hits.append(VisionHit(Category.ORGAN_MARK, seal.box, c, "organ_seal", text, "violation"))
            hits.append(VisionHit(Category.IMPERSONATE_AUTHORITY, seal.box, c, "organ_seal_impersonation", text,
                                  "violation"))
            continue
        if kind == "unknown" and len(ring) < 2 and seal.ring < 0.6:
            # A weak ring with no readable ring text: most likely a big red character or a logo, not a stamp.
            continue
        label = {"school": "school_seal", "company": "company_seal"}.get(kind, "seal")
        # Issuers are information (the name feeds the certificate checks), never a violation.
        hits.append(VisionHit(Category.CERTIFICATE_REGISTRY, seal.box, round(shape * max(conf, 0.3), 3), label,
                              text or None, "info"))
    return hits

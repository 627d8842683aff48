"""Finding seals on a page: red round and oval stamps, as fitted ellipses (no reading here).

A red-ink mask (white-balanced against the paper first, so a warm scan is not "red"); candidates from the
circle transform and from blobs of ink; an ellipse fitted to each candidate's outline and kept when red ink
runs around most of it (a ring, not a solid red disc or a line of red text) and its inside is mostly paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from compliance.vision.base import Box
from compliance.vision.view import View, as_view

SCALE = 0.5  # search resolution
MIN_DIAMETER, MAX_DIAMETER = 90, 700  # page pixels (a big title character is up to ~100 px)
HOUGH_VOTES = 32  # accumulator threshold of the circle transform (half-size ink map)
SOLID_WINDOW, SOLID_SHARE = 15, 0.75  # half-size pixels: an area this full of ink is solid, not a ring
MAX_GUESSES = 12
RULE_LENGTH = 240  # page pixels: longer than the straightest stretch of the biggest stamp's border
# Shape tests, set on generated pages (seals vs red title characters, logos, emblems; see _ring_and_fill).
MIN_RING = 0.38  # share of the outline covered by border runs of 30 degrees or more (partial stamps lose some)
MAX_FILL = 0.65  # ink in the inner disc (the star fills about a third; a solid red disc fills it all)
# ... unless the border runs all round: then the inner disc may hold more red (a red title printed across the
# stamp), short of a solid disc.
FULL_RING, MAX_FILL_FULL_RING = 0.9, 0.8
MAX_OUTSIDE = 0.2  # ink just outside the border (a seal's border is its edge)
MIN_INSIDE = 0.005  # some ink inside (a plain red ring has none)
MAX_BAND = 0.55  # ink in the ring-text band: text, not a solid red disc
MAX_THICK = 0.14  # border thickness / mean radius
BLUR_WIDTH = 1.5  # half-size pixels a blurred border may be wider
MAX_OTHER = 0.15  # strongly coloured, non-red pixels inside (gold, blue: emblems, badges, logos)
# An outline this much bigger (axes together) that holds another at the same place, with a ring covered at
# most this much less, is the stamp's border around an ellipse through part of it (see find).
ENCLOSING_SIZE, ENCLOSING_RING_SLACK = 1.2, 0.2


@dataclass(slots=True)
class Seal:
    cx: float
    cy: float
    w: float  # full axis lengths (page pixels), cv2.fitEllipse convention
    h: float
    angle: float  # degrees
    ring: float  # share of the outline with ink

    def radius_at(self, x: float, y: float) -> float:
        """The point's radius in the outline's own frame (1 on the outline, 0 at its centre)."""
        fit = ((self.cx, self.cy), (self.w, self.h), self.angle)
        return float(_norm_radius(np.array([[x, y]], np.float64), fit)[0])

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

    Gold and orange print score low (their G is high); pale stamps still score 40-70.
    """
    return _ink_and_colour(rgb)[0]


def _ink_and_colour(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(ink_map, colourfulness): the latter is max - min channel after dividing out the paper colour, so a
    tinted paper is not "coloured". (Channel work goes through cv2.split: numpy reductions over a 3-long last
    axis are ten times slower.)"""
    chans = cv2.split(rgb)
    step = max(1, rgb.shape[0] * rgb.shape[1] // 20000)
    # Paper colour: a high percentile per channel (most of a page is paper; ink is darker).
    paper = [max(float(np.percentile(c.reshape(-1)[::step], 90)), 60.0) for c in chans]
    r, g, b = (c.astype(np.float32) * (255.0 / p) for c, p in zip(chans, paper, strict=True))
    red = r - np.maximum(g, b)
    # Red ink over black print is black; over paper it keeps r high. Dark pixels are not seal ink.
    red[r < 90] = 0
    colour = cv2.max(cv2.max(r, g), b) - cv2.min(cv2.min(r, g), b)
    return np.clip(red, 0, 255).astype(np.uint8), colour


INK = 25  # ink_map level that counts as stamp ink


def find(page: View | np.ndarray, exclude: list[Box] | None = None) -> list[Seal]:
    """Seal ellipses on a page (page pixels).

    Candidates come from two places: circles in the ink map (Hough: robust to a ring broken by black print
    or merged with a red rule) and blobs of ink (catch ovals, which the circle transform sees poorly). Each
    is refined by fitting an ellipse to the outermost ink along rays from its centre, then verified.
    """
    view = as_view(page)
    # The run of detectors asks twice on a page with a badge reading (run_vision's badge check, then seal.detect):
    # the outlines before exclusion are kept on the page's View.
    found = getattr(view, "_seal_outlines", None)
    if found is None:
        found = _outlines(view)
        view._seal_outlines = found  # type: ignore[attr-defined]
    found = [s for s in found if not (exclude and any(_centre_in(s, b) for b in exclude))]
    # Several guesses land on one stamp, some with a worse outline (pulled out by red text next to it): the
    # best-covered ring wins, the others around the same centre go. But a stamp inked on one side only also
    # gives narrow ellipses through its inked arc and the text inside it, and these often cover their
    # outline a little better than the stamp's own, fainter, border does: an outline that encloses the
    # winner, nearly as well covered, is the stamp's border (a stamp's border is its outermost ring).
    found.sort(key=lambda s: -s.ring)
    out: list[Seal] = []
    for seal in found:
        at = [s for s in out if _same_place(seal, s) or _encloses(seal, s)]
        if not at:
            out.append(seal)
        elif all(_encloses(seal, s) and seal.ring >= s.ring - ENCLOSING_RING_SLACK for s in at):
            out = [s for s in out if s not in at] + [seal]
    return out


def _outlines(view: View) -> list[Seal]:
    """Every verified outline on the page, several per stamp (see find)."""
    small = view.half(colour=True)
    ink, colour = _ink_and_colour(small)
    mask = (ink > INK).astype(np.uint8)
    if cv2.countNonZero(mask) < 50:
        return []
    # A page printed in one red ink (text and all) has no stamp to tell apart by colour: red "ink" is all
    # over it and there is hardly any print in another colour.
    ch = cv2.split(small)
    lo = cv2.min(cv2.min(ch[0], ch[1]), ch[2])
    n_ink = cv2.countNonZero(mask)
    other_print = cv2.countNonZero(((lo < 150) & (mask == 0)).astype(np.uint8))
    if n_ink > 0.01 * mask.size and other_print < 0.1 * n_ink:
        return []
    r_min, r_max = MIN_DIAMETER * SCALE / 2, MAX_DIAMETER * SCALE / 2
    # Red rules and frames (certificates have them) run into stamps and merge with them into one blob: take
    # out straight runs longer than any straight stretch of a stamp's border.
    rules = _rules(mask, int(RULE_LENGTH * SCALE))
    faint = (ink > INK // 2).astype(np.uint8)
    if rules is not None:
        mask[rules] = 0
        faint[rules] = 0
    # Strongly coloured pixels that are not red ink (gold, blue, green): emblems, badges and logos are full
    # of them; a stamp's inside is paper, red ink and black print.
    near_ink = cv2.dilate(mask, np.ones((3, 3), np.uint8))  # the stamp's own soft edges are not "other"
    other = ((colour > 70) & (near_ink == 0)).astype(np.uint8)
    # ... but not a coloured rule or bar across the page (a blue header band, a green frame): a stamp is often
    # pressed over one, and no emblem, badge or logo holds a straight run as long.
    bars = _rules(other, int(RULE_LENGTH * SCALE))
    if bars is not None:
        other[bars] = 0
    found = _search(mask, faint, other, ink, r_min, r_max, hough=True)
    # Pale stamps can stay under the ink level altogether: look again at half that level, away from the stamps
    # already found (their own faint fringes would only find them again).
    fainter = (ink > INK // 4).astype(np.uint8)
    if rules is not None:
        fainter[rules] = 0
    # (A faint outline around one already found is kept, though: a pale stamp's whole border, where the
    # stronger ink showed only an ellipse through part of it and its text.)
    found += [s for s in _search(faint, fainter, other, ink, r_min, r_max, hough=False)
              if not any(_same_place(s, f) and not _encloses(s, f) for f in found)]
    return found


def _same_place(a: Seal, b: Seal) -> bool:
    return abs(a.cx - b.cx) < 0.35 * max(b.w, b.h) and abs(a.cy - b.cy) < 0.35 * max(b.w, b.h)


def _encloses(a: Seal, b: Seal) -> bool:
    """Whether outline ``a`` is clearly bigger than ``b`` (axes together ENCLOSING_SIZE times) and holds
    it (b's centre within 0.7 of a's short semi-axis from a's, b's long axis no longer than a's)."""
    if a.w + a.h < ENCLOSING_SIZE * (b.w + b.h) or max(b.w, b.h) > max(a.w, a.h):
        return False
    return float(np.hypot(a.cx - b.cx, a.cy - b.cy)) <= 0.35 * min(a.w, a.h)


def _search(mask: np.ndarray, faint: np.ndarray, other: np.ndarray, ink: np.ndarray, r_min: float, r_max: float,
            *, hough: bool) -> list[Seal]:
    """Verified seal outlines in one ink mask (``faint``: the same ink at a lower level, for the inside)."""
    guesses: list[tuple[float, float, float]] = []
    if hough:
        # Solid red areas (a flag, an emblem's disc) are no stamp and would flood the circle transform with
        # edges (its cost grows with them): blank them out first. Rings and ring text are thin, so they stay; a
        # big stamp's border (10 px and more) with its text beside it fills over half of a smaller window, and
        # blanking it lost the stamp whenever no blob guess found it either (a red title across the ring).
        solid = cv2.blur(mask.astype(np.float32), (SOLID_WINDOW, SOLID_WINDOW)) > SOLID_SHARE
        src = ink.copy()
        src[cv2.dilate(solid.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0] = 0
        src[(ink > INK) & (mask == 0)] = 0  # rule lines taken out of the mask are out of the transform too
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
            seal = _verified(mask, faint, other, gx, gy, gr * grow, r_min, r_max)
            if seal is not None and (best is None or seal.ring > best.ring
                                     or (_encloses(seal, best) and seal.ring >= best.ring - ENCLOSING_RING_SLACK)):
                best = seal
        if best is not None:
            found.append(best)
    return found


def _rules(mask: np.ndarray, length: int) -> np.ndarray | None:
    """Pixels of horizontal and vertical ink runs at least ``length`` long (widened a little), or None."""
    runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    runs |= cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    if not runs.any():
        return None
    return cv2.dilate(runs, np.ones((3, 3), np.uint8)) > 0


def _verified(mask: np.ndarray, faint: np.ndarray, other: np.ndarray, gx: float, gy: float, gr: float,
              r_min: float, r_max: float) -> Seal | None:
    fit = _fit(mask, gx, gy, gr)
    if fit is None:
        return None
    (cx, cy), (ew, eh), ang = fit
    if min(ew, eh) < r_min * 2 * 0.8 or max(ew, eh) > r_max * 2.3 or max(ew, eh) / min(ew, eh) > 1.9:
        return None
    ring, fill, outside, band, thick = _ring_and_fill(mask, cx, cy, ew, eh, ang)
    # Small outlines must be better rings: a big red title character is the usual impostor, and it is small.
    need = MIN_RING + 0.12 * float(np.clip((150 * SCALE - max(ew, eh)) / (50 * SCALE), 0, 1))
    # The border's width against the outline's mean radius; blur widens every line by about as much whatever
    # its size, so small stamps get that on top.
    max_thick = MAX_THICK * (ew + eh) / 4 + BLUR_WIDTH
    max_fill = MAX_FILL_FULL_RING if ring >= FULL_RING else MAX_FILL
    if (ring < need or fill > max_fill or outside > MAX_OUTSIDE or band > MAX_BAND or thick > max_thick):
        return None
    if max(fill, band) < MIN_INSIDE:
        # A pale stamp's text can stay under the ink level its border reaches: look again at half that level.
        _, fill, _, band, _ = _ring_and_fill(faint, cx, cy, ew, eh, ang)
        if max(fill, band) < MIN_INSIDE:
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
            new = _simplest_fit(pts[keep])
            if min(new[1]) <= 2 or max(new[1]) > 4 * r:
                break
            fit = new
        support = len(np.unique(ray[np.abs(_norm_radius(pts, fit) - 1) < 0.05]))
        if support > best_support and fit[1][0] != 2 * r * start:
            best, best_support = fit, support
    return best if best_support >= 24 else None


def _simplest_fit(pts: np.ndarray, tol: float = 0.05) -> tuple:
    """An ellipse through ``pts`` (cv2.fitEllipse convention), or a circle when a circle fits them nearly as
    well. Most seals are round, and the arc left of a partly inked stamp fits a narrow ellipse as well as
    its circle: without this, half a round stamp comes out as an oval of half its width."""
    ellipse = cv2.fitEllipse(pts)
    circle = _circle_fit(pts)
    if circle is None:
        return ellipse
    on_ellipse = int(np.sum(np.abs(_norm_radius(pts, ellipse) - 1) < tol))
    on_circle = int(np.sum(np.abs(_norm_radius(pts, circle) - 1) < tol))
    return circle if on_circle >= 0.9 * on_ellipse else ellipse


def _circle_fit(pts: np.ndarray) -> tuple | None:
    """Least-squares circle (Kasa) through ``pts``, as ((cx, cy), (d, d), 0), or None if degenerate."""
    x, y = pts[:, 0].astype(np.float64), pts[:, 1].astype(np.float64)
    a = np.stack([x, y, np.ones_like(x)], axis=1)
    sol, *_ = np.linalg.lstsq(a, x * x + y * y, rcond=None)
    cx, cy = sol[0] / 2, sol[1] / 2
    r2 = sol[2] + cx * cx + cy * cy
    if not np.isfinite(r2) or r2 <= 1:
        return None
    d = 2 * float(np.sqrt(r2))
    return ((float(cx), float(cy)), (d, d), 0.0)


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
    """Shape evidence for a fitted ellipse: (ring, fill, outside, band, thickness in pixels).

    ring: the best share of angles with ink at one radius (+-0.02) near the outline, counting only runs of
    30 degrees or more: a stamp's border is a continuous curve, while the strokes of a big red character meet
    a circle in short pieces. fill: ink in the inner disc (0-45% of the radius: the star, centre text).
    outside: ink just outside the border. band: ink in the ring-text band (50-85%). thickness: the border's
    median radial extent (stamps have thin borders, characters thick strokes).
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
    # Radial extent of the border in pixels (one rho step is 1% of the local radius, which on an oval
    # differs round the outline).
    local_r = np.hypot(w / 2 * np.cos(theta[0]), h / 2 * np.sin(theta[0]))
    steps = hit[:, on_ring].sum(axis=0) * 0.01 * local_r[on_ring]
    thickness = float(np.median(steps)) if on_ring.any() else float(w + h)

    def share(lo: float, hi: float, n: int) -> float:
        xs, ys = _ellipse_points(cx, cy, w, h, ang, np.linspace(lo, hi, n)[:, None], theta)
        return float(np.mean(cv2.remap(mask, xs, ys, cv2.INTER_NEAREST, borderValue=0) > 0))

    return ring, share(0.0, 0.45, 10), share(1.12, 1.25, 3), share(0.5, 0.85, 8), thickness


ROUND_ASPECT = 0.85  # a fit narrower than this (short axis / long axis) may be a narrow ellipse through one arc
ROUND_RESIDUAL = 0.015  # the arc's points lie this close (share of the radius) to the circle through them
ROUND_GROWTH = 1.05  # and the circle is this much wider than the fit's long axis


def round_outline(page: View | np.ndarray, seal: Seal) -> Seal | None:
    """The circle through the strongly inked part of a narrow fit's outline, when that arc is a circle's and wider
    than the fit (a stamp inked on one side, fitted through its inked arc), else None. Ovals stay ovals: their
    outline is no circle's arc."""
    if min(seal.w, seal.h) >= ROUND_ASPECT * max(seal.w, seal.h):
        return None
    # The ink around the fit only (the circle wanted is at most MAX_DIAMETER wide, see below).
    rgb = as_view(page).rgb
    reach = max(seal.w, seal.h)
    x0, y0 = max(0, int(seal.cx - reach)), max(0, int(seal.cy - reach))
    ink = ink_map(rgb[y0:int(seal.cy + reach) + 1, x0:int(seal.cx + reach) + 1])
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    xs, ys = _ellipse_points(seal.cx - x0, seal.cy - y0, seal.w, seal.h, seal.angle,
                             np.linspace(0.9, 1.06, 9)[:, None], theta[None, :])
    values = cv2.remap(ink, xs, ys, cv2.INTER_LINEAR, borderValue=0)
    strong = values.max(axis=0) > 2 * INK
    if int(strong.sum()) < 30:
        return None
    best = values.argmax(axis=0)
    cols = np.arange(len(theta))
    pts = np.stack([xs[best, cols][strong], ys[best, cols][strong]], axis=1).astype(np.float32)
    fit = _circle_fit(pts)
    if fit is None:
        return None
    (cx, cy), (d, _), _ = fit
    r = d / 2
    residual = float(np.median(np.abs(np.hypot(pts[:, 0] - cx, pts[:, 1] - cy) - r) / r))
    if residual > ROUND_RESIDUAL or d < ROUND_GROWTH * max(seal.w, seal.h) or d > MAX_DIAMETER:
        return None
    return Seal(float(cx) + x0, float(cy) + y0, float(d), float(d), 0.0, seal.ring)


INKED_SHARE = 0.005  # the share of the inked pixels at each side left out of the box (specks, JPEG ringing)


def inked_box(page: View | np.ndarray, seal: Seal) -> Box:
    """The box of the stamp's ink that shows: its outline's box, cut down to the inked part when one side was
    pressed too lightly to show (the evidence on the page is the ink, not the outline it implies)."""
    rgb = as_view(page).rgb
    bx0, by0, bx1, by1 = seal.box
    x0, y0 = max(0, int(bx0) - 2), max(0, int(by0) - 2)
    x1, y1 = min(rgb.shape[1], int(bx1) + 3), min(rgb.shape[0], int(by1) + 3)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return seal.box
    inside = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.ellipse(inside, ((seal.cx - x0, seal.cy - y0), (seal.w * 1.04, seal.h * 1.04), seal.angle), 1, -1)
    # Half the ink level: the lightly pressed side's faint strokes are the stamp's too.
    ys, xs = np.nonzero((ink_map(rgb[y0:y1, x0:x1]) > INK // 2) & (inside > 0))
    if len(xs) < 50:
        return seal.box
    lo, hi = 100 * INKED_SHARE, 100 * (1 - INKED_SHARE)
    return (max(bx0, x0 + float(np.percentile(xs, lo))), max(by0, y0 + float(np.percentile(ys, lo))),
            min(bx1, x0 + float(np.percentile(xs, hi)) + 1), min(by1, y0 + float(np.percentile(ys, hi)) + 1))

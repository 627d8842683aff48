"""Police badge (警徽): an organ mark. Found by the shared mark classifier, which sees the badge's shield
and pine branches around the emblem it contains (classes ``police_core``: a window on the emblem inside the
badge; ``police_badge``: a window on the whole badge).
"""

from __future__ import annotations

import numpy as np

from compliance.contract import Category
from compliance.vision.base import Box, VisionHit
from compliance.vision.marks import Candidate

THRESHOLD = 0.6
# Candidate size -> badge side, and where the badge centre lies below the candidate centre (share of the
# badge side), measured on generated pages: a core candidate covers the emblem and a bit of shield; a badge
# candidate covers the badge with some margin.
CORE_SIZE, CORE_DY = 0.78, 0.155
BADGE_SIZE, BADGE_DY = 1.1, 0.07


SUSPECT = 0.35  # police belief that is not reported but still keeps the emblem detector off that spot


def _badge_box(c: Candidate, p_core: float, p_badge: float) -> Box:
    if p_core >= p_badge:
        return _square(c.cx, c.cy + CORE_DY * c.size / CORE_SIZE, c.size / CORE_SIZE)
    return _square(c.cx, c.cy + BADGE_DY * c.size / BADGE_SIZE, c.size / BADGE_SIZE)


def evidence(cands: list[Candidate]) -> list[tuple[float, Box]]:
    """(belief, badge box) wherever a police badge may be, down to weaker evidence than a report needs (the
    emblem detector must not call the badge's own emblem the national emblem)."""
    out = []
    for c in cands:
        if c.probs is not None and float(c.probs[2]) + float(c.probs[3]) >= SUSPECT:
            p_core, p_badge = float(c.probs[2]), float(c.probs[3])
            out.append((p_core + p_badge, _badge_box(c, p_core, p_badge)))
    return out


def hits(cands: list[Candidate], rgb: np.ndarray) -> list[VisionHit]:
    H, W = rgb.shape[:2]
    found: list[tuple[float, Box]] = []
    for c in cands:
        if c.probs is None:
            continue
        p_core, p_badge = float(c.probs[2]), float(c.probs[3])
        if max(p_core, p_badge) >= THRESHOLD:
            found.append((max(p_core, p_badge), _badge_box(c, p_core, p_badge)))
    found.sort(key=lambda t: -t[0])
    out: list[VisionHit] = []
    for p, box in found:
        box = (max(0.0, box[0]), max(0.0, box[1]), min(float(W), box[2]), min(float(H), box[3]))
        if any(_overlap(box, h.bbox) > 0.3 for h in out):
            continue
        out.append(VisionHit(Category.ORGAN_MARK, box, round(p, 3), "police_badge"))
    return out


def _square(cx: float, cy: float, side: float) -> Box:
    return (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)


def _overlap(a: Box, b: Box) -> float:
    """Intersection over the smaller box (a core-derived and a whole-badge box of one badge overlap fully)."""
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return ix * iy / small if small > 0 else 0.0

"""National emblem (国徽): emblem-class verdicts of the shared mark classifier, merged and boxed.

The candidates and the classifier are in ``marks``. Verdicts whose centre lies in one of ``police_boxes`` are
dropped; run_vision also weighs each emblem verdict against the police readings on the same spot (the badge
contains the emblem, and the badge is an organ mark, not a use of the national emblem).
"""

from __future__ import annotations

from compliance.contract import Category
from compliance.vision.base import Box, VisionHit
from compliance.vision.marks import Candidate

# Emblem probability needed to report (chosen on generated validation pages for <= 1% false pages; see
# tests/vision/test_vision_slow.py for the measured recall and false-positive rate).
THRESHOLD = 0.8
ASPECT = 0.92  # width / height of the emblem drawing
BOX_GROW, BOX_DROP = 1.07, 0.03


def _inside(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def hits(cands: list[Candidate], police_boxes: list[Box]) -> list[VisionHit]:
    good = [c for c in cands if c.probs is not None and c.probs[1] >= THRESHOLD]
    good = [c for c in good if not any(_inside(c.cx, c.cy, b) for b in police_boxes)]
    good.sort(key=lambda c: -float(c.probs[1]))  # type: ignore[index]
    out: list[VisionHit] = []
    used = [False] * len(good)
    for i, c in enumerate(good):
        if used[i]:
            continue
        # Candidates on the same emblem at neighbouring scales: average their boxes, weighted by belief.
        group = [j for j in range(i, len(good)) if not used[j] and _same(c, good[j])]
        for j in group:
            used[j] = True
        w = [float(good[j].probs[1]) for j in group]  # type: ignore[index]
        cx = sum(good[j].cx * wj for j, wj in zip(group, w, strict=True)) / sum(w)
        cy = sum(good[j].cy * wj for j, wj in zip(group, w, strict=True)) / sum(w)
        s = sum(good[j].size * wj for j, wj in zip(group, w, strict=True)) / sum(w)
        # Candidate sizes come in pyramid steps and sit a little inside the drawing (its outline is part of
        # the template's margin): measured on generated pages, the emblem's box is 7% larger and 3% lower.
        s *= BOX_GROW
        cy += BOX_DROP * s
        box = (cx - s * ASPECT / 2, cy - s / 2, cx + s * ASPECT / 2, cy + s / 2)
        out.append(VisionHit(Category.NATIONAL_EMBLEM, box, round(max(w), 3), "national_emblem"))
    return out


def _same(a: Candidate, b: Candidate) -> bool:
    return abs(a.cx - b.cx) < 0.35 * a.size and abs(a.cy - b.cy) < 0.35 * a.size and 0.6 < a.size / b.size < 1.7

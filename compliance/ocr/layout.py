"""Reading order for OCR lines: top to bottom, left to right, columns one after the other.

OCR engines return lines in detection order, which is not reading order; the text engine needs the line
that continues a sentence to follow it, or a term wrapped across two lines (零基础包 / 过) is lost.

1. The page's skew is taken out first (the median slope of the lines' top edges): on a photo turned by a
   few degrees the axis-aligned boxes of neighbouring long lines overlap, and rows would merge.
2. A recursive XY-cut: a vertical gutter wider than every horizontal gap splits left column from right
   column, unless the two sides are row-aligned (label/value layouts such as certificates read row by
   row, not column by column); otherwise the blank horizontal bands split the region top to bottom.
3. What cannot be cut is grouped into rows by vertical overlap and read left to right.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

from compliance.ocr.base import Box, Quad

# A gutter must be at least this many median line heights wide to split columns (gaps between words of
# one line are about one character wide).
COLUMN_GAP = 1.5
# Two boxes share a row when they overlap vertically by at least this share of the shorter one.
ROW_OVERLAP = 0.5


def skew(quads: Sequence[Quad]) -> float:
    """The page's rotation in radians (median slope of horizontal lines' top edges, weighted by length)."""
    samples: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1), _, (x3, y3) in quads:
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy)
        height = math.hypot(x3 - x0, y3 - y0)
        if length > 2 * height and dx > 0:
            samples.append((math.atan2(dy, dx), length))
    if not samples:
        return 0.0
    samples.sort()
    half = sum(w for _, w in samples) / 2
    acc = 0.0
    for angle, weight in samples:
        acc += weight
        if acc >= half:
            return angle
    return samples[-1][0]


def _deskewed(quad: Quad, cos: float, sin: float) -> Box:
    xs, ys = [], []
    for x, y in quad:
        xs.append(x * cos + y * sin)
        ys.append(-x * sin + y * cos)
    return (min(xs), min(ys), max(xs), max(ys))


def reading_order(quads: Sequence[Quad]) -> list[int]:
    """Indices of ``quads`` in reading order."""
    if len(quads) <= 1:
        return list(range(len(quads)))
    angle = skew(quads)
    cos, sin = math.cos(angle), math.sin(angle)
    boxes = [_deskewed(q, cos, sin) for q in quads]
    heights = sorted(b[3] - b[1] for b in boxes)
    line_h = max(heights[len(heights) // 2], 1.0)
    out: list[int] = []
    stack: list[list[int]] = [list(range(len(boxes)))]
    while stack:  # iterative XY-cut: a long paragraph would recurse once per line
        idx = stack.pop()
        parts = _cut(idx, boxes, line_h)
        if parts is None:
            out.extend(_rows(idx, boxes))
        else:
            stack.extend(reversed(parts))
    return out


def _gaps(idx: list[int], boxes: list[Box], lo: int) -> list[tuple[float, float]]:
    """Blank bands across ``idx`` along axis ``lo`` (0 = x, 1 = y): (width, cut position), in order."""
    spans = sorted((boxes[i][lo], boxes[i][lo + 2]) for i in idx)
    out = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start > reach:
            out.append((start - reach, (start + reach) / 2))
        reach = max(reach, end)
    return out


def _cut(idx: list[int], boxes: list[Box], line_h: float) -> list[list[int]] | None:
    if len(idx) <= 1:
        return None
    hgaps = _gaps(idx, boxes, 1)
    vgaps = _gaps(idx, boxes, 0)
    widest_h = max((g for g, _ in hgaps), default=0.0)
    if vgaps:
        vgap, vcut = max(vgaps)
        if vgap >= COLUMN_GAP * line_h and vgap > widest_h:
            left = [i for i in idx if boxes[i][2] <= vcut]
            right = [i for i in idx if boxes[i][0] >= vcut]
            if not _row_aligned(left, right, boxes):
                return [left, right]
    if not hgaps:
        return None
    # Cut at every horizontal gap at once (bands top to bottom): one pass per level keeps a long page
    # linear; each band may still split into columns below.
    cuts = [c for _, c in hgaps]
    bands: list[list[int]] = [[] for _ in range(len(cuts) + 1)]
    for i in idx:
        bands[bisect_right(cuts, (boxes[i][1] + boxes[i][3]) / 2)].append(i)
    return [b for b in bands if b]


def _overlap(a: Box, b: Box) -> float:
    inter = min(a[3], b[3]) - max(a[1], b[1])
    return inter / max(min(a[3] - a[1], b[3] - b[1]), 1e-6)


def _row_aligned(left: list[int], right: list[int], boxes: list[Box]) -> bool:
    """Most boxes on the smaller side sit on a row of the other side: a table, not two text columns."""
    small, big = (left, right) if len(left) <= len(right) else (right, left)
    paired = sum(1 for i in small if any(_overlap(boxes[i], boxes[j]) >= ROW_OVERLAP for j in big))
    return paired * 2 >= len(small)


def _rows(idx: list[int], boxes: list[Box]) -> list[int]:
    """Group into rows by vertical overlap (top to bottom), each row left to right."""
    rows: list[tuple[float, float, list[int]]] = []
    for i in sorted(idx, key=lambda k: (boxes[k][1] + boxes[k][3]) / 2):
        b = boxes[i]
        if rows:
            top, bottom, members = rows[-1]
            if _overlap(b, (0.0, top, 0.0, bottom)) >= ROW_OVERLAP:
                members.append(i)
                rows[-1] = (min(top, b[1]), max(bottom, b[3]), members)
                continue
        rows.append((b[1], b[3], [i]))
    return [i for _, _, members in rows for i in sorted(members, key=lambda k: boxes[k][0])]

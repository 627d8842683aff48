"""What every extractor returns: pages of text segments, each with where it sits on the page.

The text engine reads ``Page.text``; a finding's ``[start, end)`` in that text maps back to a box with
``Page.bbox_for``. No stage after extraction recomputes coordinates.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from compliance.contract import Origin

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's own space (pixels or PDF points)

SEGMENT_JOIN = "\n"


@dataclass(slots=True)
class Segment:
    """One line (OCR), one text run (PDF) or one block (HTML, DOCX)."""

    text: str
    bbox: Box | None = None
    confidence: float | None = None  # OCR confidence in [0, 1]; None when the text is exact
    char_boxes: list[Box] | None = None  # one box per character of ``text`` when the source knows them


@dataclass(slots=True)
class Page:
    number: int | None  # 1-based; None for a single-page text input
    segments: list[Segment]
    origin: Origin = Origin.TEXT
    width: float | None = None
    height: float | None = None
    # Where the page came from inside a container (word/media/image1.png); None for the input itself.
    part: str | None = None
    # A picture of the page for evidence images: returns a PIL image whose pixels are ``raster_scale`` times the
    # page's box units (1 for images in pixels; 2 for PDF points rendered at 144 dpi). Lazy: drawn only if needed.
    raster: Callable[[], Any] | None = field(default=None, repr=False)
    raster_scale: float = 1.0
    _starts: list[int] = field(default_factory=list, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """Segments joined by line breaks (which the folding drops, so a term wrapped across lines is found)."""
        if self._text is None:
            starts, pos = [], 0
            for seg in self.segments:
                starts.append(pos)
                pos += len(seg.text) + len(SEGMENT_JOIN)
            self._starts = starts
            self._text = SEGMENT_JOIN.join(s.text for s in self.segments)
        return self._text

    def _pieces(self, start: int, end: int) -> list[tuple[Segment, int, int]]:
        self.text  # noqa: B018 - builds the offsets
        out = []
        i = max(0, bisect_right(self._starts, start) - 1)
        while i < len(self.segments) and self._starts[i] < end:
            seg, s0 = self.segments[i], self._starts[i]
            lo, hi = max(start, s0) - s0, min(end, s0 + len(seg.text)) - s0
            if hi > lo:
                out.append((seg, lo, hi))
            i += 1
        return out

    def bbox_for(self, start: int, end: int) -> Box | None:
        """The box around characters [start, end) of ``text``: per-character boxes where known, else the
        matching share of the line's box (a term in part of a line gets part of the box)."""
        boxes: list[Box] = []
        for seg, lo, hi in self._pieces(start, end):
            if seg.char_boxes and len(seg.char_boxes) == len(seg.text):
                boxes.extend(seg.char_boxes[lo:hi])
            elif seg.bbox is not None:
                x0, y0, x1, y1 = seg.bbox
                n = max(len(seg.text), 1)
                w = x1 - x0
                boxes.append((x0 + w * lo / n, y0, x0 + w * hi / n, y1))
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    def confidence_for(self, start: int, end: int) -> float | None:
        """Lowest OCR confidence among the segments the span touches (None when the text is exact)."""
        values = [seg.confidence for seg, _, _ in self._pieces(start, end) if seg.confidence is not None]
        return min(values) if values else None


@dataclass(slots=True)
class Document:
    media_type: str
    pages: list[Page]
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

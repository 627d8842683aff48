"""PDFs: the text layer with per-character boxes; pages without one are rendered and OCR'd.

Boxes are in PDF points with the origin at the page's top-left (pdfplumber's ``top``/``bottom``), for
text-layer and OCR'd pages alike, so every finding on a page speaks one coordinate space.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from io import BytesIO
from typing import Any

from compliance.contract import Origin
from compliance.extract.document import Box, Document, Page, Segment
from compliance.extract.errors import ExtractError

OcrFn = Callable[[Any], list[Segment]]  # PIL image -> segments in that image's pixels

RENDER_DPI = 200  # OCR reads Chinese print well from about 200 dpi; more costs time and memory, not recall
RASTER_DPI = 144  # evidence pictures
_MIN_TEXT_CHARS = 8  # fewer real characters than this on a page, with a large picture: treat it as scanned
_SCAN_COVER = 0.3  # share of the page a picture must cover for the page to count as a scan
_LINE_TOLERANCE = 3.0  # points: characters whose tops differ by less sit on one line

for _name in ("pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)


def _usable(chars: list[dict[str, Any]]) -> int:
    return sum(1 for c in chars if c.get("text", "").strip() and not c["text"].startswith("(cid:"))


def _lines(chars: list[dict[str, Any]]) -> list[Segment]:
    """Characters grouped into lines in reading order, one box per character."""
    upright = [c for c in chars if c.get("text") and not c["text"].startswith("(cid:")]
    upright.sort(key=lambda c: (round(c["top"] / _LINE_TOLERANCE), c["x0"]))
    segments: list[Segment] = []
    current: list[dict[str, Any]] = []
    top = None
    for c in upright:
        if top is not None and abs(c["top"] - top) > _LINE_TOLERANCE and current:
            segments.append(_segment(current))
            current = []
        if not current:
            top = c["top"]
        current.append(c)
    if current:
        segments.append(_segment(current))
    return segments


def _segment(chars: list[dict[str, Any]]) -> Segment:
    chars.sort(key=lambda c: c["x0"])
    text_parts: list[str] = []
    boxes: list[Box] = []
    for c in chars:
        box = (float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]))
        for ch in c["text"]:  # ligatures carry several characters: each gets the glyph's box
            text_parts.append(ch)
            boxes.append(box)
    x0 = min(b[0] for b in boxes)
    return Segment(
        text="".join(text_parts),
        bbox=(x0, min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)),
        char_boxes=boxes,
    )


def pdf_document(data: bytes, *, max_pages: int, ocr: OcrFn | None) -> Document:
    import pdfplumber

    try:
        pdf = pdfplumber.open(BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for encrypted and broken files
        raise ExtractError("pdf_unreadable", _reason(exc)) from exc
    with pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise ExtractError("pdf_unreadable", _reason(exc)) from exc
        if count > max_pages:
            raise ExtractError("pdf_too_many_pages", f"{count} pages exceeds the limit of {max_pages}")
        pages: list[Page] = []
        warnings: list[str] = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                chars = page.chars
            except Exception as exc:
                raise ExtractError("pdf_unreadable", f"page {number}: {_reason(exc)}") from exc
            width, height = float(page.width), float(page.height)
            if _usable(chars) >= _MIN_TEXT_CHARS or not _has_scan(page, width * height):
                pages.append(Page(number, _lines(chars), Origin.PDF, width, height,
                                  raster=_rasterizer(data, number - 1), raster_scale=RASTER_DPI / 72))
                continue
            if ocr is None:
                warnings.append(f"page {number} has no text layer and OCR is off")
                pages.append(Page(number, _lines(chars), Origin.PDF, width, height))
                continue
            image = page.to_image(resolution=RENDER_DPI).original.convert("RGB")
            scale = 72 / RENDER_DPI
            segments = [_scaled(seg, scale) for seg in ocr(image)]
            pages.append(Page(number, segments, Origin.OCR, width, height,
                              raster=_rasterizer(data, number - 1), raster_scale=RASTER_DPI / 72))
    return Document("application/pdf", pages, warnings=warnings)


def _has_scan(page: Any, area: float) -> bool:
    """Does a picture cover a good part of the page (so its text, if any, is in the picture)?"""
    try:
        images = page.images
    except Exception:
        return False
    for im in images:
        w = float(im.get("x1", 0)) - float(im.get("x0", 0))
        h = float(im.get("bottom", 0)) - float(im.get("top", 0))
        if area and w * h / area >= _SCAN_COVER:
            return True
    return False


def _scaled(seg: Segment, k: float) -> Segment:
    def sc(b: Box) -> Box:
        return (b[0] * k, b[1] * k, b[2] * k, b[3] * k)

    return Segment(seg.text, sc(seg.bbox) if seg.bbox else None, seg.confidence,
                   [sc(b) for b in seg.char_boxes] if seg.char_boxes else None)


def _rasterizer(data: bytes, index: int) -> Callable[[], Any]:
    def render() -> Any:
        import pdfplumber

        with pdfplumber.open(BytesIO(data)) as pdf:
            return pdf.pages[index].to_image(resolution=RASTER_DPI).original.convert("RGB")

    return render


def _reason(exc: BaseException) -> str:
    # pdfplumber wraps pdfminer's exceptions: look through the wrapper's args and context for the real one.
    chain = [exc, *[a for a in exc.args if isinstance(a, BaseException)]]
    if exc.__context__ is not None:
        chain.append(exc.__context__)
    for e in chain:
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name or "encrypt" in str(e).lower():
            return "the PDF is encrypted (a password is needed to read it)"
    inner = chain[-1]
    text = str(inner).strip()
    return f"cannot parse the PDF ({type(inner).__name__}{': ' + text[:200] if text else ''})"

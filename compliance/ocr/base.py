"""The small interface every OCR engine sits behind: an image in, text lines with where they are out.

Coordinates are pixels of the image the backend was given. Scaling, orientation and mapping back to the
input's own pixel space are the image extractor's job (compliance/extract/image.py), not the backend's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from PIL import Image

Point = tuple[float, float]
Quad = tuple[Point, Point, Point, Point]  # top-left, top-right, bottom-right, bottom-left, as read
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


class OcrUnavailable(RuntimeError):
    """The backend cannot run here (package, binary, language data or model file missing)."""


@dataclass(slots=True)
class OcrLine:
    text: str
    polygon: Quad
    confidence: float  # [0, 1]
    # One box per character of ``text`` when the backend can place them (else None).
    char_boxes: list[Box] | None = None
    # False when the backend turned this line 180° to read it (RapidOCR's angle classifier); None = unknown.
    upright: bool | None = None

    @property
    def bbox(self) -> Box:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs), max(ys))

    @property
    def vertical(self) -> bool:
        """Taller than wide along its own axes: a line running down the page (rotated page or vertical text)."""
        (x0, y0), (x1, y1), _, (x3, y3) = self.polygon
        along = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        across = ((x3 - x0) ** 2 + (y3 - y0) ** 2) ** 0.5
        return across > 1.5 * along


@runtime_checkable
class OcrBackend(Protocol):
    """``name`` and ``read`` are all a backend needs. An optional ``classifies_angle = True`` says its
    lines carry ``upright`` verdicts, which lets the image extractor turn pages without guessing."""

    name: str

    def read(self, image: Image.Image) -> list[OcrLine]:
        """Text lines of an RGB image, in no particular order."""
        ...


BACKENDS = ("rapidocr", "tesseract")


def get_backend(name: str = "rapidocr", settings: Any = None, *, threads: int | None = None) -> OcrBackend:
    """A ready backend. Raises OcrUnavailable with what to install when it cannot run here.

    ``threads`` (default: ``settings.ocr_threads``, else 1): inference threads per process. Batch work runs
    one process per core, so 1 avoids oversubscribing the cores; a single interactive process may use more.
    """
    if threads is None:
        threads = int(getattr(settings, "ocr_threads", 1) or 1)
    key = name.strip().lower()
    if key in ("rapidocr", "rapid"):
        from compliance.ocr.rapid import RapidOcrBackend

        return RapidOcrBackend(threads=threads)
    if key == "tesseract":
        from compliance.ocr.tesseract import TesseractBackend

        return TesseractBackend(threads=threads)
    raise OcrUnavailable(f"unknown OCR backend {name!r}; choose one of: {', '.join(BACKENDS)}")

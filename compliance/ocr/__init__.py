"""OCR backends behind one small interface (base.py): RapidOCR by default, Tesseract as the fallback."""

from compliance.ocr.base import BACKENDS, OcrBackend, OcrLine, OcrUnavailable, get_backend

__all__ = ["BACKENDS", "OcrBackend", "OcrLine", "OcrUnavailable", "get_backend"]

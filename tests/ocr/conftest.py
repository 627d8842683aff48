"""OCR engines for the tests: built once per worker process (loading the models takes a second or two)."""

from __future__ import annotations

import pytest

from compliance.ocr import OcrUnavailable, get_backend
from tests.render import fonts_available


@pytest.fixture(scope="session")
def rapid():
    if not fonts_available():
        pytest.skip("the WenQuanYi fonts (fonts-wqy-zenhei, fonts-wqy-microhei) are needed to render test images")
    return get_backend("rapidocr")  # the default backend must work here: no skip


@pytest.fixture(scope="session")
def tesseract():
    if not fonts_available():
        pytest.skip("the WenQuanYi fonts (fonts-wqy-zenhei, fonts-wqy-microhei) are needed to render test images")
    try:
        return get_backend("tesseract")
    except OcrUnavailable as exc:
        pytest.skip(f"Tesseract is not usable here: {exc}")

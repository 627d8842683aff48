"""Fixtures for the vision tests: one OCR backend per session (seal text), skipped where OCR cannot run."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="session")
def ocr() -> Any:
    from compliance.ocr.base import OcrUnavailable, get_backend

    try:
        return get_backend("rapidocr", None, threads=1)
    except OcrUnavailable as exc:  # pragma: no cover - machines without the OCR models
        pytest.skip(f"OCR unavailable: {exc}")

"""Reading order, RapidOCR's box helpers and the backends' availability errors (no OCR runs here)."""

from __future__ import annotations

import math
import os
from types import SimpleNamespace

import numpy as np
import pytest

from compliance.ocr import OcrUnavailable, get_backend
from compliance.ocr.base import OcrLine
from compliance.ocr.layout import reading_order, skew


def rect(x0, y0, x1, y1):
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


def turned(quad, degrees, cx=500.0, cy=500.0):
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    return tuple((cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in quad)


def test_rows_top_to_bottom_then_left_to_right():
    quads = [rect(400, 100, 600, 140), rect(50, 300, 700, 340), rect(50, 100, 300, 140), rect(50, 200, 700, 240)]
    assert reading_order(quads) == [2, 0, 3, 1]


def test_skewed_paragraph_keeps_line_order():
    # Long lines 60 px apart on a page turned 5°: their upright boxes overlap, the deskewed ones do not.
    lines = [rect(100, 200 + 60 * k, 900, 240 + 60 * k) for k in range(5)]
    quads = [turned(q, 5) for q in lines]
    assert skew(quads) == pytest.approx(math.radians(5), abs=1e-6)
    shuffled = [quads[i] for i in (3, 0, 4, 1, 2)]
    assert [(3, 0, 4, 1, 2)[i] for i in reading_order(shuffled)] == [0, 1, 2, 3, 4]


def test_staggered_columns_are_read_one_after_the_other():
    left = [rect(50, 100 + 50 * k, 400, 130 + 50 * k) for k in range(4)]
    right = [rect(600, 125 + 50 * k, 950, 155 + 50 * k) for k in range(4)]  # offset half a line
    order = reading_order(left + right)
    assert order == [0, 1, 2, 3, 4, 5, 6, 7]


def test_label_value_rows_are_read_row_by_row():
    labels = [rect(50, 100 + 60 * k, 250, 140 + 60 * k) for k in range(4)]
    values = [rect(500, 100 + 60 * k, 900, 140 + 60 * k) for k in range(4)]
    assert reading_order(labels + values) == [0, 4, 1, 5, 2, 6, 3, 7]


def test_headline_above_columns():
    head = rect(100, 20, 900, 80)
    left = [rect(50, 150 + 50 * k, 400, 180 + 50 * k) for k in range(3)]
    right = [rect(600, 170 + 50 * k, 950, 200 + 50 * k) for k in range(3)]
    assert reading_order([*left, head, *right]) == [3, 0, 1, 2, 4, 5, 6]


def test_many_lines_do_not_recurse_deeply():
    quads = [rect(10, 10 + 20 * k, 500, 25 + 20 * k) for k in range(3000)]
    assert reading_order(quads) == list(range(3000))


def test_vertical_line_property():
    assert OcrLine("包过", rect(0, 0, 20, 200), 0.9).vertical
    assert not OcrLine("包过", rect(0, 0, 200, 20), 0.9).vertical
    assert OcrLine("包过", rect(0, 0, 200, 20), 0.9).bbox == (0, 0, 200, 20)


# -- RapidOCR helpers ---------------------------------------------------------------------------------


def test_character_boxes_follow_ctc_columns():
    from compliance.ocr.rapid import _char_boxes

    # Four characters at CTC columns 2, 6, 10, 14 of 16 on a 400 px line: centres 62.5, 162.5, 262.5, 362.5,
    # each reaching half the 100 px pitch either side.
    words = SimpleNamespace(words=[["包", "过"], ["班", "级"]], word_cols=[[2, 6], [10, 14]], line_txt_len=16.0)
    boxes = _char_boxes("包过 班级", rect(0, 0, 400, 50), words)
    assert boxes is not None and len(boxes) == 5
    assert [round(b[0], 1) for b in boxes] == [12.5, 112.5, 212.5, 212.5, 312.5]
    assert [round(b[2], 1) for b in boxes] == [112.5, 212.5, 212.5, 312.5, 400.0]  # clipped to the line
    assert all(b[1] == 0 and b[3] == 50 for b in boxes)
    # Text and CTC characters that disagree give no boxes (the line box is split evenly instead).
    assert _char_boxes("包过班", rect(0, 0, 400, 50), words) is None


def test_character_boxes_on_a_slanted_line():
    from compliance.ocr.rapid import _char_boxes

    words = SimpleNamespace(words=[["国", "家"]], word_cols=[[1, 3]], line_txt_len=4.0)
    quad = ((0.0, 0.0), (200.0, 20.0), (196.0, 60.0), (-4.0, 40.0))
    first, second = _char_boxes("国家", quad, words)
    # Each character's box follows the slant: the second sits further right and lower.
    assert first[0] < second[0] and first[1] < second[1] and first[3] < second[3]


def test_line_ends_are_extended_but_not_into_neighbours():
    from compliance.ocr.rapid import _extend_ends

    quads = np.array([rect(100, 100, 300, 140), rect(320, 100, 500, 140), rect(100, 300, 400, 340)], dtype=np.float32)
    out = _extend_ends(quads, 1000, 1000)
    # Alone on its line: 0.5 x height (20 px) at both ends.
    assert out[2, 0, 0] == pytest.approx(80) and out[2, 1, 0] == pytest.approx(420)
    # Neighbours 20 px apart: each grows by at most half the gap, so they never overlap.
    assert out[0, 1, 0] <= out[1, 0, 0]
    assert out[0, 0, 0] == pytest.approx(80)
    # Vertical extent unchanged.
    assert out[0, 0, 1] == pytest.approx(100) and out[0, 3, 1] == pytest.approx(140)


# -- availability ---------------------------------------------------------------------------------------


def test_unknown_backend_name():
    with pytest.raises(OcrUnavailable, match="unknown OCR backend 'easyocr'"):
        get_backend("easyocr")


def test_missing_rapidocr_model_is_named(tmp_path):
    from compliance.ocr.rapid import MODEL_FILES, check_models, model_dir

    for name in MODEL_FILES.values():
        (tmp_path / name).write_bytes((model_dir() / name).read_bytes()[:16])
    (tmp_path / MODEL_FILES["rec"]).unlink()
    with pytest.raises(OcrUnavailable) as err:
        check_models(tmp_path)
    assert MODEL_FILES["rec"] in str(err.value) and "never downloads" in str(err.value)


def test_bundled_models_are_present():
    from compliance.ocr.rapid import check_models

    paths = check_models()
    assert set(paths) == {"det", "rec", "cls"} and all(p.stat().st_size > 100_000 for p in paths.values())


def test_tesseract_binary_missing_is_a_clear_error(monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr tesseract-ocr-chi-sim"):
        get_backend("tesseract")


def test_tesseract_language_missing_is_a_clear_error():
    from compliance.ocr.tesseract import TesseractBackend

    try:
        get_backend("tesseract")
    except OcrUnavailable as exc:
        pytest.skip(f"tesseract not usable here: {exc}")
    with pytest.raises(OcrUnavailable, match="language data missing: zzz_fake"):
        TesseractBackend(lang="chi_sim+zzz_fake")


def test_settings_threads_reach_the_backend(monkeypatch):
    from compliance.ocr.tesseract import TesseractBackend

    monkeypatch.setenv("OMP_THREAD_LIMIT", "1")  # restored after the test
    try:
        backend = get_backend("tesseract", SimpleNamespace(ocr_threads=2))
    except OcrUnavailable as exc:
        pytest.skip(f"tesseract not usable here: {exc}")
    assert isinstance(backend, TesseractBackend)
    assert os.environ["OMP_THREAD_LIMIT"] == "2"

from __future__ import annotations

import pytest

from compliance.extract.errors import ExtractError
from compliance.extract.pdf import pdf_document
from tests.docs_render import text_pdf


def test_text_layer_lines_and_character_boxes():
    data = text_pdf([[(60, 100, "中华人民共和国职业资格证书"), (60, 140, "学员完成学习后颁发结业证明")],
                     [(60, 100, "第二页：包过")]])
    doc = pdf_document(data, max_pages=10, ocr=None)
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].text == "中华人民共和国职业资格证书\n学员完成学习后颁发结业证明"
    assert all(p.origin.value == "pdf" for p in doc.pages)
    first = doc.pages[0].segments[0]
    assert first.char_boxes is not None and len(first.char_boxes) == len(first.text)
    # Boxes are in points from the page's top-left: the line was drawn 100 pt from the top at 18 pt.
    x0, y0, x1, y1 = doc.pages[0].bbox_for(0, 7)
    assert x0 == pytest.approx(60, abs=1)
    assert 95 <= y0 <= 125 and y1 - y0 == pytest.approx(18, abs=3)
    # Seven characters of an 18-pt CJK font are 7 x 18 = 126 pt wide: the box covers those, not the line.
    assert x1 - x0 == pytest.approx(126, abs=2)
    whole = doc.pages[0].segments[0].bbox
    assert whole is not None and whole[2] > x1


def test_findings_on_pdf_pages_carry_page_and_box(checker):
    data = text_pdf([[(60, 100, "课程介绍")], [(60, 100, "本班承诺包过，七天拿证")]])
    report = checker.check_bytes(data, source="ad.pdf")
    assert report.media_type == "application/pdf" and report.pages == 2
    found = {f.evidence: f for f in report.findings}
    assert "包过" in found
    f = found["包过"]
    assert f.location.page == 2 and f.location.origin.value == "pdf"
    x0, _y0, x1, _y1 = f.location.bbox
    # 包过 is the 5th-6th characters: x from 60 + 4*18 to 60 + 6*18.
    assert x0 == pytest.approx(132, abs=2) and x1 == pytest.approx(168, abs=2)


def test_encrypted_pdf_is_an_error_report(checker):
    report = checker.check_bytes(text_pdf([[(60, 100, "包过")]], encrypt="secret"), source="locked.pdf")
    assert report.verdict.value == "error"
    assert report.error.code == "pdf_unreadable" and "encrypted" in report.error.message


def test_broken_pdf_is_an_error_report(checker):
    report = checker.check_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage", source="broken.pdf")
    assert report.verdict.value == "error" and report.error.code == "pdf_unreadable"


def test_page_limit():
    data = text_pdf([[(60, 100, "一")], [(60, 100, "二")], [(60, 100, "三")]])
    with pytest.raises(ExtractError) as err:
        pdf_document(data, max_pages=2, ocr=None)
    assert err.value.code == "pdf_too_many_pages"


def test_scanned_page_goes_to_ocr_and_boxes_come_back_in_points():
    from PIL import Image

    from compliance.extract.document import Segment
    from tests.docs_render import image_pdf

    seen = []

    def fake_ocr(image):
        seen.append(image.size)
        # One line reported at pixel box (200, 100)-(400, 140) of the 200-dpi rendering.
        return [Segment("包过班", (200.0, 100.0, 400.0, 140.0), 0.9)]

    data = image_pdf([Image.new("RGB", (1240, 1754), "white")])
    doc = pdf_document(data, max_pages=5, ocr=fake_ocr)
    assert seen, "a page without a text layer must be OCR'd"
    page = doc.pages[0]
    assert page.origin.value == "ocr" and page.text == "包过班"
    k = 72 / 200
    assert page.segments[0].bbox == pytest.approx((200 * k, 100 * k, 400 * k, 140 * k))


def test_scanned_page_without_ocr_is_a_warning_not_a_crash():
    from PIL import Image

    from tests.docs_render import image_pdf

    doc = pdf_document(image_pdf([Image.new("RGB", (600, 800), "white")]), max_pages=5, ocr=None)
    assert doc.pages[0].text == "" and "no text layer" in doc.warnings[0]

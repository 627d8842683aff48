"""The Document model: page text from segments, and offsets in that text mapped back to boxes."""

from __future__ import annotations

import pytest

from compliance.contract import Origin
from compliance.extract.document import Document, Page, Segment


def _page(*segments: Segment, number: int | None = 1) -> Page:
    return Page(number, list(segments), Origin.OCR)


def test_text_joins_segments_with_line_breaks():
    page = _page(Segment("报名学员"), Segment("包过"), Segment(""), Segment("欢迎咨询"))
    assert page.text == "报名学员\n包过\n\n欢迎咨询"


def test_partial_line_gets_its_share_of_the_line_box():
    # Eight characters over 80 units: each character is 10 wide.
    page = _page(Segment("报名学员包过欢迎", bbox=(100.0, 20.0, 180.0, 40.0)))
    assert page.bbox_for(4, 6) == pytest.approx((140.0, 20.0, 160.0, 40.0))
    assert page.bbox_for(0, 8) == pytest.approx((100.0, 20.0, 180.0, 40.0))
    assert page.bbox_for(7, 8) == pytest.approx((170.0, 20.0, 180.0, 40.0))


def test_character_boxes_win_over_the_line_box():
    chars = [(0.0, 0.0, 10.0, 12.0), (10.0, 1.0, 30.0, 12.0), (30.0, 0.0, 35.0, 14.0), (35.0, 0.0, 50.0, 12.0)]
    page = _page(Segment("学员包过", bbox=(0.0, 0.0, 999.0, 999.0), char_boxes=chars))
    assert page.bbox_for(2, 4) == (30.0, 0.0, 50.0, 14.0)
    assert page.bbox_for(1, 2) == (10.0, 1.0, 30.0, 12.0)


def test_character_boxes_of_the_wrong_length_fall_back_to_the_line_box():
    page = _page(Segment("学员包过", bbox=(0.0, 0.0, 40.0, 10.0), char_boxes=[(0.0, 0.0, 1.0, 1.0)]))
    assert page.bbox_for(2, 4) == pytest.approx((20.0, 0.0, 40.0, 10.0))


def test_span_over_two_lines_covers_both_parts():
    # 包 ends line one, 过 starts line two (a term wrapped by OCR).
    page = _page(
        Segment("报名学员包", bbox=(0.0, 0.0, 50.0, 10.0)),
        Segment("过欢迎咨询", bbox=(0.0, 12.0, 50.0, 22.0)),
    )
    start = page.text.index("包")
    end = page.text.index("过") + 1
    assert page.text[start:end] == "包\n过"
    assert page.bbox_for(start, end) == pytest.approx((0.0, 0.0, 50.0, 22.0))
    # Only the first line: the last fifth of it.
    assert page.bbox_for(start, start + 1) == pytest.approx((40.0, 0.0, 50.0, 10.0))


def test_the_line_break_itself_has_no_box():
    page = _page(Segment("包", bbox=(0.0, 0.0, 10.0, 10.0)), Segment("过", bbox=(0.0, 20.0, 10.0, 30.0)))
    assert page.bbox_for(1, 2) is None


def test_no_boxes_no_bbox():
    page = _page(Segment("报名学员包过"), number=None)
    assert page.bbox_for(4, 6) is None


def test_ocr_confidence_is_the_lowest_of_the_touched_lines():
    page = _page(
        Segment("报名学员包", confidence=0.9),
        Segment("过欢迎咨询", confidence=0.6),
        Segment("电话", confidence=0.2),
    )
    assert page.confidence_for(0, 2) == 0.9
    assert page.confidence_for(4, 7) == 0.6
    assert _page(Segment("包过")).confidence_for(0, 2) is None


def test_checker_puts_boxes_and_pages_on_findings(checker):
    page = Page(
        2,
        [Segment("本班零基础", bbox=(0.0, 0.0, 50.0, 10.0), confidence=0.99),
         Segment("包过欢迎咨询", bbox=(0.0, 20.0, 60.0, 30.0), confidence=0.99)],
        Origin.OCR,
    )
    blank = Page(1, [Segment("课程介绍")], Origin.OCR)
    report = checker.check_document(Document("image/png", [blank, page]), source="scan.png")
    found = [f for f in report.findings if f.category.value == "guarantee_pass"]
    assert len(found) == 1
    f = found[0]
    assert f.location.page == 2
    assert f.location.origin is Origin.OCR
    assert page.text[f.location.start:f.location.end] == f.evidence
    assert f.evidence == "零基础\n包过"
    # Union of 零基础 on line one (x 20-50, y 0-10) and 包过 on line two (x 0-20, y 20-30).
    assert f.location.bbox == pytest.approx([0.0, 0.0, 50.0, 30.0])


def test_low_ocr_confidence_lowers_finding_confidence(checker):
    def confidence(ocr: float) -> float:
        page = Page(1, [Segment("本班包过，欢迎咨询", bbox=(0.0, 0.0, 90.0, 10.0), confidence=ocr)], Origin.OCR)
        return checker.check_document(Document("image/png", [page]), source="scan.png").findings[0].confidence

    assert confidence(0.5) < confidence(0.9) < confidence(1.0)
    exact = checker.check_text("本班包过，欢迎咨询").findings[0].confidence
    assert confidence(1.0) == exact
    assert confidence(0.0) >= exact / 2 - 1e-9

"""Real OCR on one small rendered picture per backend: text, reading order and a partial-line term box."""

from __future__ import annotations

from PIL import Image, ImageDraw

from compliance.extract.image import image_document
from tests.render import GtLine, _draw_line, font

LINES = ["秋季电工实操班 本班承诺包过 名额有限", "报名热线 023-6888 1234"]


def _picture() -> tuple[bytes, list[GtLine]]:
    import io

    img = Image.new("RGB", (960, 240), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    gt = [_draw_line(draw, (40, 40 + 90 * k), text, font(40), (20, 20, 20)) for k, text in enumerate(LINES)]
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue(), gt


def iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def _check(backend, checker, min_iou: float) -> None:
    data, gt = _picture()
    [page] = image_document(data, backend=backend).pages
    assert page.origin.value == "ocr" and (page.width, page.height) == (960, 240)
    assert len(page.segments) >= 2
    assert "包过" in page.text.replace(" ", "")
    assert page.text.index("包过") < page.text.index("6888")  # reading order
    [hit] = [f for f in checker.analyzer.analyze(page.text) if f.term == "包过"]
    box = page.bbox_for(hit.location.start, hit.location.end)
    start = gt[0].text.index("包过")
    truth = GtLine("包过", gt[0].char_boxes[start:start + 2]).box
    line = page.segments[0].bbox
    # The term's share of the line, not the whole line: two characters of a 19-character line.
    assert box[2] - box[0] < 0.3 * (line[2] - line[0])
    assert iou(box, truth) >= min_iou, (box, truth)


def test_rapidocr_reads_a_line_and_boxes_a_term_inside_it(rapid, checker):
    _check(rapid, checker, 0.5)


def test_tesseract_reads_a_line_and_boxes_a_term_inside_it(tesseract, checker):
    _check(tesseract, checker, 0.4)

"""End to end through the Checker with the real OCR backend: images and scanned PDFs get findings with boxes
in the page's own space, and evidence pictures with those boxes drawn."""

from __future__ import annotations

import pytest
from PIL import Image

from tests.docs_render import image_pdf
from tests.render import certificate, fonts_available, poster

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not fonts_available(), reason="CJK font not installed")]


def _contains(outer, inner, slack: float) -> bool:
    return (outer[0] - slack <= inner[0] and outer[1] - slack <= inner[1]
            and outer[2] + slack >= inner[2] and outer[3] + slack >= inner[3])


def test_certificate_image_findings_have_boxes_on_the_terms(checker, tmp_path):
    rendered = certificate(7)
    report = checker.check_bytes(rendered.encode("PNG"), source="cert.png", annotate_dir=tmp_path)
    assert report.media_type == "image/png" and report.pages == 1
    assert report.verdict.value == "violation"
    boxed = [f for f in report.findings if f.location.origin.value == "ocr"]
    assert boxed and all(f.location.bbox for f in boxed)
    # Each finding's box lies on the drawn characters of its evidence (within a few pixels of their hull).
    checked = 0
    for f in boxed:
        truths = rendered.term_boxes(f.evidence)
        if truths:
            assert any(_contains(t, f.location.bbox, 12) for t in truths) or any(
                _contains(f.location.bbox, t, 12) for t in truths), (f.evidence, f.location.bbox, truths)
            checked += 1
    assert checked >= 1
    assert len(report.annotations) == 1
    assert Image.open(report.annotations[0]).size == rendered.image.size


def test_clean_certificate_image_has_no_violation(checker):
    report = checker.check_bytes(certificate(11, clean=True).encode("JPEG", quality=85), source="ok.jpg")
    assert report.verdict.value in ("clean", "review"), [(f.category, f.evidence) for f in report.findings]


def test_scanned_pdf_is_read_by_ocr_with_boxes_in_points(checker):
    rendered = poster(3)
    report = checker.check_bytes(image_pdf([rendered.image]), source="scan.pdf")
    assert report.media_type == "application/pdf"
    assert report.findings, "the poster's claims must be read from the scan"
    assert all(f.location.origin.value == "ocr" for f in report.findings)
    # Pillow writes the scan at 150 dpi: PDF points are pixels * 72 / 150.
    k = 72 / 150
    page_w, page_h = rendered.image.width * k, rendered.image.height * k
    for f in report.findings:
        x0, y0, x1, y1 = f.location.bbox
        assert 0 <= x0 < x1 <= page_w + 1 and 0 <= y0 < y1 <= page_h + 1


def test_a_term_wrapped_across_two_lines_of_an_image_is_found(checker):
    from PIL import ImageDraw

    from tests.render import font

    img = Image.new("RGB", (900, 400), "white")
    draw = ImageDraw.Draw(img)
    f = font(48)
    draw.text((60, 80), "本班学员考试保证通", font=f, fill="black")
    draw.text((60, 180), "过，欢迎报名咨询", font=f, fill="black")
    report = checker.check_bytes(_png(img), source="wrapped.png")
    hits = [f for f in report.findings if f.category.value == "guarantee_pass"]
    assert hits, [(f.category, f.evidence) for f in report.findings]
    # The box spans both lines.
    _x0, y0, _x1, y1 = hits[0].location.bbox
    assert y0 < 140 < y1


def _png(img: Image.Image) -> bytes:
    import io

    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def test_marks_on_a_certificate_picture_through_the_checker(checker):
    """The national emblem and an organ's seal on a certificate scan reach the report as findings with boxes in
    the picture's pixels; a company seal on another page is an observation, never a finding."""
    import random

    from tests.vision.synth import blank_page, emblem_image, paste, paste_ink, seal_image

    rng = random.Random(3)
    page = blank_page(rng)
    emblem_box = paste(page, emblem_image(rng, 180), (700, 60))
    seal_box = paste_ink(page, seal_image(rng, "重庆市人力资源和社会保障局", 260), (1150, 700))
    report = checker.check_bytes(_png(page), source="fake-cert.png")
    by_category = {}
    for f in report.findings:
        by_category.setdefault(f.category.value, []).append(f)
    emblem = by_category["national_emblem"][0]
    assert emblem.location.origin.value == "vision" and _contains(emblem_box, emblem.location.bbox, 30)
    organ = by_category["organ_mark"]
    assert any(_contains(seal_box, f.location.bbox, 40) for f in organ)
    assert any("人力资源和社会保障" in (f.evidence or "") for f in by_category["impersonate_authority"])
    assert report.verdict.value == "violation"

    rng = random.Random(4)
    plain = blank_page(rng)
    paste_ink(plain, seal_image(rng, "重庆某某教育科技有限公司", 260), (1150, 700))
    report = checker.check_bytes(_png(plain), source="company.png")
    assert not [f for f in report.findings if f.location.origin.value == "vision"]
    assert any("有限公司" in (o.text or "") for o in report.observations)


def test_the_table_places_a_mark_by_its_box() -> None:
    from compliance.contract import Category, Finding, Location, Origin, Severity
    from compliance.report.table import _where

    mark = Finding(rule_id="vision.organ_mark.organ_seal", category=Category.ORGAN_MARK, severity=Severity.HIGH,
                   confidence=1.0, term="行政机关印章", evidence="某某局",
                   location=Location(page=1, start=None, end=None, bbox=[428.0, 141.0, 688.5, 401.8],
                                     origin=Origin.VISION),
                   basis="广告法第九条", action="责令改正", authority="市场监督管理部门")
    assert _where(mark) == "p1 [428,141 688,402]"


def test_a_seal_s_words_are_read_once(checker):
    """An organ's seal gives two hits (organ_mark, impersonate_authority) carrying one text; the text engine's
    findings on it (证书专用章 under a bureau's name) come once, not once per hit."""
    import random

    from tests.vision.synth import blank_page, paste_ink, seal_image

    rng = random.Random(5)
    page = blank_page(rng)
    paste_ink(page, seal_image(rng, "北京市人力资源和社会保障局", 280, centre="证书专用章"), (600, 400))
    report = checker.check_bytes(_png(page), source="seal.png")
    from_text = [f for f in report.findings if not f.rule_id.startswith("vision.")]
    assert from_text, [(f.rule_id, f.evidence) for f in report.findings]
    spots = [(f.rule_id, f.location.start, f.location.end, tuple(f.location.bbox or ())) for f in report.findings]
    assert len(spots) == len(set(spots)), spots

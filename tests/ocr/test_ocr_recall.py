"""OCR recall on rendered certificates and posters, clean and degraded up to phone photos (slow).

Ground truth is the text engine run on the text as drawn: every category (and term) it finds there must
be found again in the OCR'd pages, and nothing more on genuine certificates. Terms drawn across a line
break must still be found; finding boxes must land on the term as drawn.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

import pytest

from compliance.extract.document import Page
from compliance.extract.image import image_document
from tests.ocr.test_ocr_smoke import iou
from tests.render import Rendered, banner, certificate, dataset, degrade, long_picture, phone_photo, quarter_turn

pytestmark = pytest.mark.slow

# Degradations that keep text axis-aligned: a finding's box must overlap the drawn term's box well.
UPRIGHT = ("clean", "turn90", "turn180", "turn270", "blur", "jpeg", "low_res", "noise_light")


@dataclass
class Outcome:
    item: Rendered
    page: Page
    truth_cats: set[str]
    found_cats: set[str]
    truth_terms: set[tuple[str, str]]
    found_terms: set[tuple[str, str]]
    findings: list


def encode(item: Rendered) -> bytes:
    if "jpeg" in item.degradation or "phone" in item.degradation:
        return item.encode("JPEG", quality=92)
    return item.encode("PNG")


def evaluate(items: list[Rendered], backend, checker) -> list[Outcome]:
    out = []
    for item in items:
        doc = image_document(encode(item), backend=backend)
        assert len(doc.pages) == 1
        page = doc.pages[0]
        truth = checker.analyzer.analyze(item.text)
        found = checker.analyzer.analyze(page.text)
        out.append(Outcome(item, page, {f.category.value for f in truth}, {f.category.value for f in found},
                           {(f.category.value, f.term) for f in truth}, {(f.category.value, f.term) for f in found},
                           found))
    return out


def summary(outcomes: list[Outcome]) -> tuple[float, float, list[str]]:
    cat_total = cat_hit = term_total = term_hit = 0
    notes = []
    for o in outcomes:
        cat_total += len(o.truth_cats)
        cat_hit += len(o.truth_cats & o.found_cats)
        term_total += len(o.truth_terms)
        term_hit += len(o.truth_terms & o.found_terms)
        missing, extra = o.truth_terms - o.found_terms, o.found_cats - o.truth_cats
        if missing or extra:
            notes.append(f"{o.item.name}/{o.item.degradation}: missing {sorted(missing)} extra {sorted(extra)}\n"
                         f"  drawn: {o.item.text!r}\n  read:  {o.page.text!r}")
    return cat_hit / max(cat_total, 1), term_hit / max(term_total, 1), notes


@pytest.fixture(scope="module")
def rapid_outcomes(rapid, checker) -> list[Outcome]:
    return evaluate(dataset(seed=0, per_degradation=3), rapid, checker)


def test_rapidocr_category_and_term_recall(rapid_outcomes):
    cat_recall, term_recall, notes = summary(rapid_outcomes)
    assert len(rapid_outcomes) >= 36
    assert cat_recall >= 0.95 and term_recall >= 0.95, "\n".join(notes)


def test_rapidocr_recall_holds_for_every_degradation(rapid_outcomes):
    by_kind: dict[str, list[Outcome]] = {}
    for o in rapid_outcomes:
        by_kind.setdefault(o.item.degradation.split("+")[0].rstrip("0123456789.-"), []).append(o)
    for kind, outcomes in by_kind.items():
        cat_recall, _, notes = summary(outcomes)
        assert cat_recall >= 0.9, f"{kind}: " + "\n".join(notes)


def test_rapidocr_no_false_categories(rapid_outcomes):
    clean = [o for o in rapid_outcomes if o.item.clean]
    assert clean
    for o in clean:
        assert o.found_cats <= o.truth_cats, (o.item.name, o.item.degradation, o.page.text)
    extra = Counter(c for o in rapid_outcomes for c in o.found_cats - o.truth_cats)
    assert sum(extra.values()) <= 1, extra


def test_rapidocr_finds_terms_wrapped_across_lines(rapid_outcomes):
    posters = [o for o in rapid_outcomes if o.item.wrapped]
    assert len(posters) >= 10
    for o in posters:
        [term] = o.item.wrapped
        spanning = [f for f in o.findings if "\n" in f.evidence]
        assert spanning, (o.item.name, o.item.degradation, term, o.page.text)


def test_rapidocr_finding_boxes_cover_the_drawn_term(rapid_outcomes):
    checked = 0
    for o in rapid_outcomes:
        upright = o.item.degradation.split("+")[0].rstrip("0123456789.-") in ("none", "turn", "blur", "jpeg", "scale",
                                                                                "lighting")
        for f in o.findings:
            if "\n" in f.evidence:
                continue
            truths = o.item.term_boxes(f.evidence)
            if not truths:
                continue  # read differently from the drawing (e.g. a space dropped)
            box = o.page.bbox_for(f.location.start, f.location.end)
            best = max(truths, key=lambda t: iou(box, t))
            if upright:
                assert iou(box, best) >= 0.5, (o.item.name, o.item.degradation, f.evidence, box, best)
            else:  # turned a few degrees or photographed: the drawn term's centre is inside the box
                cx, cy = (best[0] + best[2]) / 2, (best[1] + best[3]) / 2
                assert box[0] <= cx <= box[2] and box[1] <= cy <= box[3], (o.item.name, f.evidence, box, best)
            checked += 1
    assert checked >= 100


def test_checker_reads_images_and_ocr_doubt_lowers_confidence(rapid, checker):
    """Through the Checker: findings on OCR'd pages carry origin ocr, a box, and OCR doubt in confidence."""
    item = degrade(certificate(4242), "phone", 4242)
    report = checker.check_bytes(encode(item), source="photo.jpg")
    assert report.verdict.value == "violation" and report.media_type == "image/jpeg" and report.error is None
    w, h = item.image.size
    for f in report.findings:
        assert f.location.origin.value == "ocr" and f.location.page == 1
        x0, y0, x1, y1 = f.location.bbox
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    # The same page with one line's OCR confidence lowered: its findings lose confidence, others keep it.
    doc = image_document(encode(item), backend=rapid)
    page = doc.pages[0]
    raw = {(f.rule_id, f.location.start): f.confidence for f in checker.analyzer.analyze(page.text, page=1)}
    target = next(s for s in page.segments if checker.analyzer.analyze(s.text))
    target.confidence = 0.6
    located = checker.check_document(doc, source="photo.jpg")
    lowered = [f for f in located.findings if any(n.startswith("OCR confidence 0.60") for n in f.notes)]
    assert lowered
    for f in lowered:
        assert f.confidence < raw[(f.rule_id, f.location.start)]


def test_exif_rotated_phone_photo(rapid, checker):
    """A phone photo stored sideways with EXIF orientation 6: read upright, boxes in the viewed picture."""
    from PIL import Image

    item = phone_photo(certificate(77), __import__("random").Random(77), 0.8)
    stored = quarter_turn(item, 1).image  # the sensor's pixels; orientation 6 turns them back for viewing
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    stored.save(buf, format="JPEG", quality=92, exif=exif.tobytes())
    [page] = image_document(buf.getvalue(), backend=rapid).pages
    assert (page.width, page.height) == item.image.size
    truth = {f.category.value for f in checker.analyzer.analyze(item.text)}
    found = checker.analyzer.analyze(page.text)
    assert truth <= {f.category.value for f in found}
    for f in found:
        if "\n" in f.evidence or not item.term_boxes(f.evidence):
            continue
        box = page.bbox_for(f.location.start, f.location.end)
        best = max(item.term_boxes(f.evidence), key=lambda t: iou(box, t))
        assert iou(box, best) >= 0.3, (f.evidence, box, best)


def test_long_screenshot_and_banner(rapid, checker):
    """A 1080x5760 stacked ad and a 3200x240 banner: the odd shapes ads are shared in."""
    items = [long_picture(300), degrade(long_picture(310, parts=3), "jpeg", 310), banner(1), banner(2)]
    outcomes = evaluate(items, rapid, checker)
    cat_recall, term_recall, notes = summary(outcomes)
    assert cat_recall >= 0.95 and term_recall >= 0.95, "\n".join(notes)
    for o in outcomes[:2]:
        assert sum("\n" in f.evidence for f in o.findings) >= len(o.item.wrapped) - 1, o.page.text


def test_one_backend_shared_by_threads_reads_as_alone(rapid):
    from concurrent.futures import ThreadPoolExecutor

    datas = [encode(certificate(600 + k)) for k in range(2)] + [encode(long_picture(620, parts=2))]
    alone = [image_document(d, backend=rapid).pages[0].text for d in datas]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda d: image_document(d, backend=rapid).pages[0].text, datas))
    assert together == alone


# -- Tesseract: the fallback, held to a lower bar ----------------------------------------------------------


@pytest.fixture(scope="module")
def tesseract_outcomes(tesseract, checker) -> list[Outcome]:
    items = dataset(seed=1, per_degradation=2, degradations=("clean", "blur", "jpeg", "turn180", "phone"))
    return evaluate(items, tesseract, checker)


def test_tesseract_recall(tesseract_outcomes):
    cat_recall, _, notes = summary(tesseract_outcomes)
    assert cat_recall >= 0.75, "\n".join(notes)


def test_tesseract_no_false_categories_on_genuine_certificates(tesseract_outcomes):
    for o in tesseract_outcomes:
        if o.item.clean:
            assert o.found_cats <= o.truth_cats, (o.item.name, o.page.text)

"""Measured suite for the mark detectors: several hundred generated pages, recall and false positives asserted.

Pages come from tests/vision/synth.py with seeds from 100000 (the classifier was trained on seeds from
1,000,000, so none of these pages was seen in training). Emblem sizes are spread evenly (in log scale) over
40-600 px; rotation (+-20°), perspective, overprint, colour shift, grey/monochrome print, blur, noise and JPEG are
drawn at random per page. Run: pytest -m slow tests/vision/test_vision_slow.py -s (prints the figures).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from compliance.contract import Category
from compliance.settings import Settings
from compliance.vision.base import VisionHit, run_vision
from tests.vision.synth import FONT, iou, make_case

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(FONT).exists(), reason="WQY Zen Hei font (fonts-wqy-zenhei) not installed")]

# Another base measures the spread: VISION_SLOW_SEED0=300000 pytest -m slow ... (keep it below 1,000,000, where
# the classifier's training pages start).
SEED0 = int(os.environ.get("VISION_SLOW_SEED0", "100000"))
N_EMBLEM = 240
NEGATIVES = {"police": 60, "logo": 80, "flag": 60, "seal_company": 20, "plain": 40}  # pages without the emblem
N_SEALS = 50  # per kind (organ, company), read with OCR
NO_SEALS = Settings(vision_seals=False)  # the seal pass never changes emblem/flag/police results; it is timed apart


@dataclass
class Tally:
    n: int = 0
    hit: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, note: str) -> None:
        self.n += 1
        self.hit += ok
        if not ok:
            self.misses.append(note)

    @property
    def rate(self) -> float:
        return self.hit / self.n if self.n else 0.0

    def line(self, name: str) -> str:
        return f"{name}: {self.hit}/{self.n} = {self.rate:.3f}"


def _of(hits: list[VisionHit], category: Category) -> list[VisionHit]:
    return [h for h in hits if h.category == category]


@pytest.fixture(scope="module")
def figures() -> dict[str, Tally]:
    t: dict[str, Tally] = {k: Tally() for k in (
        "emblem_recall", "emblem_fp_pages", "police_as_emblem", "police_recall", "flag_recall", "flag_fp_pages",
        "emblem_recall_grey")}
    for i in range(N_EMBLEM):
        size = int(40 * 15 ** ((i + 0.5) / N_EMBLEM))  # 40 .. 600 px, evenly in log scale
        case = make_case(SEED0 + i, "emblem", size=size)
        box = case.of("emblem")[0].bbox
        hits = run_vision(case.image, settings=NO_SEALS)
        ok = any(iou(h.bbox, box) >= 0.5 for h in _of(hits, Category.NATIONAL_EMBLEM))
        note = f"seed {SEED0 + i} size {size} {case.of('emblem')[0].meta} {case.damage}"
        t["emblem_recall"].add(ok, note)
        if case.damage.get("colour") in ("grey", "mono", "tint"):
            t["emblem_recall_grey"].add(ok, note)
        t["flag_fp_pages"].add(not _of(hits, Category.NATIONAL_FLAG), note)
    seed = SEED0 + 10_000
    for kind, n in NEGATIVES.items():
        for _ in range(n):
            seed += 1
            case = make_case(seed, kind)
            hits = run_vision(case.image, settings=NO_SEALS)
            note = f"{kind} seed {seed} {case.damage}"
            emblems = _of(hits, Category.NATIONAL_EMBLEM)
            t["emblem_fp_pages"].add(not emblems, note + f" {[h.bbox for h in emblems]}")
            if kind == "police":
                t["police_as_emblem"].add(not emblems, note)
                box = case.of("police")[0].bbox
                t["police_recall"].add(any(h.label == "police_badge" and iou(h.bbox, box) >= 0.5
                                           for h in _of(hits, Category.ORGAN_MARK)), note)
            if kind == "flag":
                box = case.of("flag")[0].bbox
                t["flag_recall"].add(any(iou(h.bbox, box) >= 0.5 for h in _of(hits, Category.NATIONAL_FLAG)),
                                     note + f" {case.of('flag')[0].meta}")
            else:
                t["flag_fp_pages"].add(not _of(hits, Category.NATIONAL_FLAG), note)
    print()
    for name, tally in t.items():
        print(tally.line(name))
    return t


@pytest.fixture(scope="module")
def seal_figures(ocr: Any) -> dict[str, Tally]:
    t = {"organ_read_and_classified": Tally(), "company_not_violation": Tally(), "organ_text_similar": Tally(),
         "company_never_violation": Tally()}
    import difflib

    for k, kind in enumerate(("seal_organ", "seal_company")):
        for i in range(N_SEALS):
            seed = SEED0 + 20_000 + k * 1000 + i
            case = make_case(seed, kind)
            truth = case.of(kind)[0]
            every = run_vision(case.image, ocr=ocr)
            hits = [h for h in every if iou(h.bbox, truth.bbox) >= 0.5]
            note = f"{kind} seed {seed} {truth.text} -> {[(h.label, h.text) for h in hits]} {truth.meta} {case.damage}"
            if kind == "seal_organ":
                organ = [h for h in hits if h.category == Category.ORGAN_MARK and h.label == "organ_seal"]
                both = organ and any(h.category == Category.IMPERSONATE_AUTHORITY for h in hits)
                t["organ_read_and_classified"].add(bool(both), note)
                text = organ[0].text if organ else ""
                ratio = difflib.SequenceMatcher(None, (text or "").split(" ")[0], truth.text).ratio()
                t["organ_text_similar"].add(ratio >= 0.7, note)
            else:
                t["company_not_violation"].add(bool(hits) and all(h.status == "info" for h in hits), note)
                # Found or not, a company's seal (or anything else on its page) never becomes an organ's.
                t["company_never_violation"].add(not [h for h in every if h.status == "violation"],
                                                 note + f" all: {[(h.label, h.text) for h in every]}")
    print()
    for name, tally in t.items():
        print(tally.line(name))
    return t


def _explain(tally: Tally) -> str:
    return "\n".join(tally.misses[:15])


def test_emblem_recall(figures):
    assert figures["emblem_recall"].n >= 200
    assert figures["emblem_recall"].rate >= 0.95, _explain(figures["emblem_recall"])
    assert figures["emblem_recall_grey"].n >= 30
    assert figures["emblem_recall_grey"].rate >= 0.9, _explain(figures["emblem_recall_grey"])


def test_emblem_false_positives(figures):
    assert figures["emblem_fp_pages"].n >= 200
    assert 1 - figures["emblem_fp_pages"].rate <= 0.01, _explain(figures["emblem_fp_pages"])


def test_police_badge_never_the_emblem(figures):
    assert figures["police_as_emblem"].rate == 1.0, _explain(figures["police_as_emblem"])
    assert figures["police_recall"].rate >= 0.9, _explain(figures["police_recall"])


def test_flag(figures):
    assert figures["flag_recall"].rate >= 0.9, _explain(figures["flag_recall"])
    assert 1 - figures["flag_fp_pages"].rate <= 0.01, _explain(figures["flag_fp_pages"])


def test_company_seals_are_found_and_never_violations(seal_figures):
    assert seal_figures["company_not_violation"].rate >= 0.9, _explain(seal_figures["company_not_violation"])


def test_company_seal_pages_have_no_violations(seal_figures):
    assert seal_figures["company_never_violation"].rate == 1.0, _explain(seal_figures["company_never_violation"])


# Issue 4's aim is 0.9. This suite's 50 read 0.90 (45); held-out seeds, 300 organ pages each, never looked at before
# they were scored, with the final reader: 0.900, 0.897, 0.900, 0.903 (36-39,000,000+), and 0.900, 0.917, 0.893,
# 0.917, 0.910 (31-35,000,000+, before the seal box followed the ink): 0.904 pooled over 2,700. The misses are stamps
# inked on one side whose ring text is faded out (read with the true outline, a sample of them reads no better: the
# ink is not there) and small stamps blurred past reading.
def test_organ_seals_read_and_classified(seal_figures):
    assert seal_figures["organ_read_and_classified"].rate >= 0.9, _explain(seal_figures["organ_read_and_classified"])


def test_a_badge_reading_inside_a_verified_stamp_is_the_stamp_s(ocr: Any) -> None:
    # A pale company seal whose ring text (中国…协会) read as a small police badge: the seal locator verified the
    # stamp (paper and red ink inside), so the badge reading inside it is the stamp's, and the page has no violation.
    case = make_case(20010230, "seal_company")
    hits = run_vision(case.image, ocr=ocr)
    assert not [h for h in hits if h.status == "violation"], [(h.label, h.bbox) for h in hits]
    assert any(iou(h.bbox, case.of("seal_company")[0].bbox) >= 0.5 for h in hits)


def test_a_stamp_inked_on_one_side_is_read_on_its_circle(ocr: Any) -> None:
    # Seed 12000055: a round 北京市人力资源和社会保障局 stamp inked on its left side was fitted as a narrow ellipse
    # through that arc and read as nothing; the circle through the arc reads 北京市人力…, an organ's seal.
    case = make_case(12000055, "seal_organ")
    truth = case.of("seal_organ")[0]
    hits = [h for h in run_vision(case.image, ocr=ocr) if iou(h.bbox, truth.bbox) >= 0.5]
    assert any(h.category == Category.ORGAN_MARK for h in hits), [(h.label, h.text) for h in hits]


def test_ovals_are_not_turned_into_circles() -> None:
    import numpy as np

    from compliance.vision.seal_locate import find, round_outline
    from compliance.vision.view import as_view

    for seed in (13000260, 14000108, 12000067):  # oval organ seals, narrow fits of their own outline
        case = make_case(seed, "seal_organ")
        view = as_view(np.asarray(case.image.convert("RGB")))
        fits = [s for s in find(view) if iou(s.box, case.of("seal_organ")[0].bbox) >= 0.5]
        assert fits and all(round_outline(view, s) is None for s in fits), seed


def test_a_stamps_star_is_no_flag(ocr: Any) -> None:
    # Seed 30000014: the star of a clearly printed 上海市教育委员会 stamp, with the ring around it, passed for a small
    # national flag, and the flag's box took the stamp out of the seal search: no organ seal was reported.
    case = make_case(30000014, "seal_organ")
    truth = case.of("seal_organ")[0]
    hits = run_vision(case.image, ocr=ocr)
    assert not [h for h in hits if h.category == Category.NATIONAL_FLAG], [(h.label, h.bbox) for h in hits]
    assert any(h.category == Category.ORGAN_MARK and iou(h.bbox, truth.bbox) >= 0.5 for h in hits)


def test_a_stamp_over_a_coloured_bar_is_found(ocr: Any) -> None:
    # Seed 30000126: a 四川省人力资源和社会保障厅 stamp pressed over a blue header band; the band's pixels counted as
    # "other colours inside" (as an emblem's gold would) and the outline was refused.
    case = make_case(30000126, "seal_organ")
    truth = case.of("seal_organ")[0]
    hits = [h for h in run_vision(case.image, ocr=ocr) if iou(h.bbox, truth.bbox) >= 0.5]
    assert any(h.category == Category.ORGAN_MARK for h in hits), [(h.label, h.text) for h in hits]


def test_no_emblem_on_a_stamp_s_ring(ocr: Any) -> None:
    # Seed 36010209: a grey disc printed under a pale company seal's ring text, with the red characters around it,
    # passed for a small national emblem: a violation on a page with no emblem. The stamp's ring is the stamp's.
    case = make_case(36010209, "seal_company")
    hits = run_vision(case.image, ocr=ocr)
    assert not [h for h in hits if h.category == Category.NATIONAL_EMBLEM], [(h.label, h.bbox) for h in hits]

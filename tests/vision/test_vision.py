"""Mark detectors on a handful of generated pages (the measured suite is test_vision_slow.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from compliance.contract import Category
from compliance.settings import Settings
from compliance.vision import seal as seal_mod
from compliance.vision.base import VisionHit, run_vision
from compliance.vision.refs import EMBLEMS, POLICE, load_rgba, render_flag
from tests.vision.synth import FONT, iou, make_case

pytestmark = pytest.mark.skipif(not Path(FONT).exists(), reason="WQY Zen Hei font (fonts-wqy-zenhei) not installed")


def _of(hits: list[VisionHit], category: Category) -> list[VisionHit]:
    return [h for h in hits if h.category == category]


def _found(hits: list[VisionHit], category: Category, box: tuple[float, float, float, float]) -> bool:
    return any(iou(h.bbox, box) >= 0.5 for h in _of(hits, category))


def test_references_load():
    for name in (*EMBLEMS, POLICE):
        im = load_rgba(name)
        assert im.mode == "RGBA" and min(im.size) >= 40
    assert load_rgba(POLICE).size == (243, 244)  # cropped out of its transparent 510x438 canvas
    official, iso = render_flag(300), render_flag(300, 4 / 3)
    assert official.size == (300, 200) and iso.size == (300, 225)
    # The big star sits in the upper-left quarter, in yellow.
    r, g, b = official.getpixel((50, 50))
    assert r > 200 and g > 180 and b < 80


@pytest.mark.parametrize(("seed", "kw"), [
    (11, {"size": 320, "rotation": 0.0, "skew": 0.0}),
    (12, {"size": 48, "rotation": 15.0}),
    (13, {"size": 560, "rotation": -18.0, "over": True}),
])
def test_emblem_found(seed, kw):
    case = make_case(seed, "emblem", extras=False, **kw)
    hits = run_vision(case.image, settings=Settings())
    assert _found(hits, Category.NATIONAL_EMBLEM, case.of("emblem")[0].bbox), (hits, case.damage)
    hit = _of(hits, Category.NATIONAL_EMBLEM)[0]
    assert hit.status == "violation" and 0 < hit.confidence <= 1 and hit.label == "national_emblem"


def test_emblem_found_in_greyscale_and_monochrome():
    case = make_case(21, "emblem", extras=False, damaged=False, size=200)
    box = case.of("emblem")[0].bbox
    grey = case.image.convert("L").convert("RGB")
    mono = case.image.convert("L").point(lambda v: 255 if v > 140 else 0).convert("RGB")
    for picture in (grey, mono):
        assert _found(run_vision(picture), Category.NATIONAL_EMBLEM, box)


def test_police_badge_is_an_organ_mark_not_the_emblem():
    for seed in (31, 32, 33):
        case = make_case(seed, "police", extras=False, size=260)
        hits = run_vision(case.image)
        assert not _of(hits, Category.NATIONAL_EMBLEM), hits
        assert any(h.label == "police_badge" and iou(h.bbox, case.of("police")[0].bbox) >= 0.5
                   for h in _of(hits, Category.ORGAN_MARK)), hits


def test_flag_found():
    case = make_case(41, "flag", extras=False, size=300)
    hits = run_vision(case.image)
    assert _found(hits, Category.NATIONAL_FLAG, case.of("flag")[0].bbox), hits
    assert not _of(hits, Category.NATIONAL_EMBLEM)


def test_plain_page_and_logo_have_no_marks():
    for seed, kind in ((51, "plain"), (52, "logo"), (53, "logo")):
        hits = run_vision(make_case(seed, kind, extras=False).image, settings=Settings(vision_seals=False))
        assert not [h for h in hits if h.status == "violation"], (kind, hits)


def test_switches():
    case = make_case(11, "emblem", extras=False, size=320, rotation=0.0, skew=0.0)
    assert not _of(run_vision(case.image, settings=Settings(vision_emblem=False)), Category.NATIONAL_EMBLEM)
    flag = make_case(41, "flag", extras=False, size=300)
    assert not _of(run_vision(flag.image, settings=Settings(vision_flag=False)), Category.NATIONAL_FLAG)
    police = make_case(31, "police", extras=False, size=260)
    hits = run_vision(police.image, settings=Settings(vision_police=False))
    # Off means not reported; the badge still keeps the emblem detector from calling it the emblem.
    assert not _of(hits, Category.ORGAN_MARK) and not _of(hits, Category.NATIONAL_EMBLEM)


def test_tiny_or_blank_pictures():
    assert run_vision(Image.new("RGB", (8, 8), "white")) == []
    assert run_vision(Image.new("RGB", (640, 480), "white")) == []
    assert run_vision(Image.new("L", (300, 200), 128)) == []


@pytest.mark.parametrize(("text", "kind"), [
    ("重庆市人力资源和社会保障局", "organ"),
    ("某某市市场监督管理局", "organ"),
    ("中华人民共和国人力资源和社会保障部", "organ"),
    ("某某县人民政府", "organ"),
    ("上海市教育委员会", "organ"),
    ("江苏省教育厅", "organ"),
    ("某某区人民区府办公室", "organ"),  # OCR slip in 政
    ("某某教育科技有限公司", "company"),
    ("某某有限公司工会委员会", "company"),  # a company's committee is the company's
    ("深圳市某某职业培训中心", "company"),
    ("中国某某职业技能协会", "company"),
    ("某某市家政服务部", "company"),
    ("成都天府", "unknown"),  # a company name cut short; 府 alone is no organ
    ("某某人力资源服务", "company"),
    ("章局", "unknown"),  # a fragment
    ("某某市财政局", "organ"),
    ("某代局", "organ"),  # 某某市财政局 read badly: the suffix still tells
    ("中华书局", "company"),  # a publisher
    ("市人力资酒和社会保", "organ"),  # OCR-garbled 人力资源和社会保障
    ("重庆华龙职业技能培训学校", "school"),
    ("某某职业技术学院", "school"),
    ("", "unknown"),
    ("★", "unknown"),
])
def test_seal_text_classes(text, kind):
    assert seal_mod.classify(text) == kind


def test_seal_geometry_without_ocr():
    case = make_case(61, "seal_company", extras=False, damaged=False, size=260, rotation=10.0, skew=0.0)
    rgb = np.asarray(case.image)
    seals = seal_mod.find(rgb)
    assert len(seals) == 1 and iou(seals[0].box, case.of("seal_company")[0].bbox) >= 0.7
    strip, centre, gap = seal_mod.unwrap(rgb, seals[0])
    # Dark text on white, wider than tall; the gap between the text's ends faces down (the seal is turned 10°).
    assert strip.shape[1] > 3 * strip.shape[0] and strip.mean() > 180
    assert centre.size and centre.shape[1] > centre.shape[0]  # the band below the star, upright
    assert abs(((gap - 90 + 180) % 360) - 180) < 35


def test_a_seal_s_box_is_its_ink_that_shows():
    from compliance.vision.seal_locate import Seal, inked_box

    case = make_case(61, "seal_company", extras=False, damaged=False, size=260, rotation=10.0, skew=0.0)
    rgb = np.asarray(case.image).copy()
    seal = seal_mod.find(rgb)[0]
    whole = inked_box(rgb, seal)
    assert iou(whole, seal.box) >= 0.95  # a stamp inked all round: its outline's box
    # Pressed lightly on its right: the right half's ink is gone, and the box ends where the ink does.
    right = rgb[:, int(seal.cx) + 2:]
    red = right[..., :1].astype(np.int16) > right[..., 1:2].astype(np.int16) + 8
    right[...] = np.where(red, 255, right)
    half = inked_box(rgb, Seal(seal.cx, seal.cy, seal.w, seal.h, seal.angle, seal.ring))
    assert abs(half[2] - seal.cx) < 6 and abs(half[0] - seal.box[0]) < 4
    assert abs(half[1] - seal.box[1]) < 8 and abs(half[3] - seal.box[3]) < 8


def test_seals_read_and_classified(ocr):
    organ = make_case(62, "seal_organ", extras=False, damaged=False, size=280, rotation=-8.0, skew=0.0)
    hits = run_vision(organ.image, ocr=ocr)
    cats = {h.category for h in hits}
    assert {Category.ORGAN_MARK, Category.IMPERSONATE_AUTHORITY} <= cats, hits
    text = next(h.text for h in hits if h.category == Category.ORGAN_MARK)
    assert text and text.startswith(organ.of("seal_organ")[0].text[:4]), text
    assert all(h.status == "violation" for h in hits if h.category == Category.ORGAN_MARK)

    company = make_case(63, "seal_company", extras=False, damaged=False, size=280, rotation=6.0, skew=0.0)
    hits = run_vision(company.image, ocr=ocr)
    assert hits and all(h.status == "info" for h in hits), hits
    assert hits[0].label in ("company_seal", "school_seal") and hits[0].text


def test_picture_size_and_transparency_do_not_matter():
    case = make_case(11, "emblem", extras=False, size=320, rotation=0.0, skew=0.0)
    box = case.of("emblem")[0].bbox
    for k in (0.5, 2.0):  # an 800 px scan and a 3200 px photo of the same page
        picture = case.image.resize((round(1600 * k), round(1130 * k)))
        hits = _of(run_vision(picture, settings=Settings(vision_seals=False)), Category.NATIONAL_EMBLEM)
        assert any(iou(tuple(v / k for v in h.bbox), box) >= 0.5 for h in hits), (k, hits)
    # A transparent PNG: the see-through parts are paper, not black.
    rgba = case.image.convert("RGBA")
    alpha = Image.new("L", rgba.size, 255)
    alpha.paste(0, (0, 0, 1600, 40))
    rgba.putalpha(alpha)
    assert _found(run_vision(rgba, settings=Settings(vision_seals=False)), Category.NATIONAL_EMBLEM, box)

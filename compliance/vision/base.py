"""The vision pass: what it returns (``VisionHit``) and the one entry point (``run_vision``).

Every detector is switchable in settings (``vision_emblem``, ``vision_flag``, ``vision_police``,
``vision_seals``). Boxes are in the input image's pixels. Time budget: about 150 ms per 1600x1130 page on one
core for all detectors together (benchmarks/vision.py); OCR of seal text comes on top, only when a seal is
found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from PIL import Image

from compliance.contract import Category

if TYPE_CHECKING:
    from compliance.settings import Settings

Box = tuple[float, float, float, float]
HitStatus = Literal["violation", "review", "info"]


@dataclass(slots=True)
class VisionHit:
    category: Category
    bbox: Box  # x0, y0, x1, y1 in the input image's pixels
    confidence: float
    label: str  # what was seen: "national_emblem", "police_badge", "national_flag", "organ_seal", "company_seal"...
    text: str | None = None  # seal text (ring, then centre), when read
    status: HitStatus = "violation"


EMBLEM_MARGIN = 0.3  # how much surer than any police reading on the same spot an emblem verdict must be
STAMP_OVERLAP = 0.3  # a badge reading overlapping a verified stamp this much (IoU) is the stamp's
STAMP_INSIDE = 0.5  # ... and so is a smaller one (this share of the stamp's box) centred inside it


def _centre_in(inner: Box, outer: Box) -> bool:
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def _area(b: Box) -> float:
    return max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1])


def box_iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes."""
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _enabled(settings: Settings | None, name: str) -> bool:
    return bool(getattr(settings, name, True)) if settings is not None else True


def run_vision(image: Image.Image, *, settings: Settings | None = None, ocr: Any = None) -> list[VisionHit]:
    """Run the enabled detectors on one page picture.

    ``ocr`` is an OCR backend (``read(image) -> list[OcrLine]``, see compliance/ocr/base.py). Without one the
    configured backend is built once per process when a seal is found; if none can run, seals are reported
    unread, as information (label "seal", ``text`` None).
    """
    from compliance.vision import emblem, flag, marks, police, seal
    from compliance.vision.view import View

    picture, k = _working_picture(image)
    rgb = np.asarray(picture)
    if rgb.shape[0] < 16 or rgb.shape[1] < 16:
        return []
    view = View(rgb)  # the page at the resolutions the detectors share, each computed once
    hits: list[VisionHit] = []
    want_emblem, want_police = _enabled(settings, "vision_emblem"), _enabled(settings, "vision_police")
    police_boxes: list[Box] = []
    if want_emblem or want_police:
        # One candidate pass and one classifier serve both: the police badge contains the emblem, so the
        # emblem detector needs the police verdicts even when police hits are not wanted.
        cands = marks.classify(view, marks.candidates(view))
        police_hits = police.hits(cands, rgb)
        emblem_hits = emblem.hits(cands, [])
        # The badge contains the emblem, so both verdicts can land on one spot. The emblem stands only when
        # it is clearly surer than every police reading there (ties go to the badge: the police badge must
        # never come out as the national emblem); a police hit under a standing emblem is dropped.
        suspects = police.evidence(cands)
        emblem_hits = [e for e in emblem_hits
                       if all(p < e.confidence - EMBLEM_MARGIN for p, box in suspects if _centre_in(e.bbox, box))]
        police_hits = [h for h in police_hits if not any(_centre_in(e.bbox, h.bbox) for e in emblem_hits)]
        if _enabled(settings, "vision_seals") and police_hits:
            police_hits = _not_stamps(view, police_hits)
        if _enabled(settings, "vision_seals") and emblem_hits:
            emblem_hits = _not_on_rings(view, emblem_hits)
        police_boxes = [h.bbox for h in police_hits]
        if want_police:
            hits += police_hits
        if want_emblem:
            hits += emblem_hits
    if _enabled(settings, "vision_flag"):
        # Red drapes inside an emblem or a badge can look like a small flag: those are not flags.
        marks_seen = [h.bbox for h in hits] + police_boxes
        flags = [f for f in flag.detect(view) if not any(_centre_in(f.bbox, b) for b in marks_seen)]
        if flags and _enabled(settings, "vision_seals"):
            # A stamp's star with the ring around it can pass for a small flag, too.
            flags = _not_stamps(view, flags)
        hits += flags
    if _enabled(settings, "vision_seals"):
        taken = [h.bbox for h in hits] + police_boxes
        hits += seal.detect(view, ocr=ocr, exclude=taken, settings=settings)
    if k != 1.0:
        for h in hits:
            h.bbox = (h.bbox[0] / k, h.bbox[1] / k, h.bbox[2] / k, h.bbox[3] / k)
    return hits


def _not_stamps(view: Any, found: list[VisionHit]) -> list[VisionHit]:
    """``found`` without the readings that are a stamp's.

    A red stamp with a star in its middle can read as a police badge or a small flag, and so can a patch of its
    ring text; but the seal locator only accepts an outline whose inside is paper and red ink (a badge is full
    of gold and blue), so a reading over a stamp it verified, or inside one, is the stamp's.
    """
    from compliance.vision import seal

    stamps = seal.find(view)
    return [h for h in found if not any(
        (_centre_in((s.cx, s.cy, s.cx, s.cy), h.bbox) and box_iou(s.box, h.bbox) >= STAMP_OVERLAP)
        or (_centre_in(h.bbox, s.box) and _area(h.bbox) < STAMP_INSIDE * _area(s.box))
        for s in stamps)]


RING_BAND = (0.4, 1.1)  # normalised radii of a stamp's ring text and border (its centre holds star or emblem)


def _not_on_rings(view: Any, found: list[VisionHit]) -> list[VisionHit]:
    """``found`` without emblem readings centred on the ring of a stamp the seal locator verified.

    A disc of print under a stamp's ring text (a photo, a grey blot) with the red characters around it can pass
    for a small emblem. An organ's seal may bear the national emblem, but in its middle, where it stays.
    """
    from compliance.vision import seal

    stamps = seal.find(view)

    def on_ring(h: VisionHit) -> bool:
        x, y = (h.bbox[0] + h.bbox[2]) / 2, (h.bbox[1] + h.bbox[3]) / 2
        return any(RING_BAND[0] <= s.radius_at(x, y) <= RING_BAND[1] and _area(h.bbox) < STAMP_INSIDE * _area(s.box)
                   for s in stamps)

    return [h for h in found if not on_ring(h)]


# The detectors' working size (longer side, pixels): they are built for pages of about 1600 px, marks of 40-600
# px on them. Much smaller pictures are enlarged (a 20 px emblem on an 800 px scan is a 40 px one here); much
# larger ones are reduced (a 4000 px photo would cost six times as much and gain nothing).
WORK_MIN, WORK_MAX, WORK_UP = 1200, 2000, 1600


def _working_picture(image: Image.Image) -> tuple[Image.Image, float]:
    """The picture as opaque RGB at the working size, and the scale applied (boxes are divided by it)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas are paper, not the black that a plain conversion would leave.
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode != "RGB":
        image = image.convert("RGB")
    side = max(image.size)
    if side < WORK_MIN and side >= 16:
        k = WORK_UP / side
    elif side > WORK_MAX:
        k = WORK_MAX / side
    else:
        return image, 1.0
    size = (max(1, round(image.width * k)), max(1, round(image.height * k)))
    resample = Image.Resampling.BILINEAR if k > 1 else Image.Resampling.BOX
    return image.resize(size, resample), k

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

    rgb = np.asarray(image if image.mode == "RGB" else image.convert("RGB"))
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
        police_boxes = [h.bbox for h in police_hits]
        if want_police:
            hits += police_hits
        if want_emblem:
            hits += emblem.hits(cands, police_boxes)
    if _enabled(settings, "vision_flag"):
        hits += flag.detect(view)
    if _enabled(settings, "vision_seals"):
        taken = [h.bbox for h in hits] + police_boxes
        hits += seal.detect(view, ocr=ocr, exclude=taken, settings=settings)
    return hits

"""Official seals (公章): red round and oval stamps, their ring and centre text, organ or not.

Finding: a red-ink mask (white-balanced against the paper first, so a warm scan is not "red"), closed so the
ring and its text form one blob; an ellipse is fitted to each blob's outline and kept when red ink runs
around most of it (a ring, not a solid red disc or a line of red text) and its inside is mostly paper.

Reading: the ring band is unwrapped with a polar (elliptical) transform into a straight strip, starting in
the gap between the text's two ends, so ring text comes out left to right; the strip and its 180-degree turn
(text along the lower arc, read the other way) are both read and the better reading kept. The centre below
the star is read as a line. The OCR sees red ink only (dark on white): black print under the stamp does not
mix into the seal's text.

Classifying: a name that says company/school/association (有限公司, 学校, 培训中心, 协会 ...) is an issuer,
reported as information (status "info", category certificate_registry: the issuer's name is what the filing
check needs). Otherwise a name of an administrative organ (…局, …厅, …部, …委员会, 人民政府, 人力资源和社会保障,
市场监督管理 ...) gives organ_mark plus impersonate_authority, with the seal text as evidence.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from compliance.contract import Category
from compliance.vision.base import Box, VisionHit
from compliance.vision.seal_classify import classify, classify_read
from compliance.vision.seal_ink import unmix
from compliance.vision.seal_locate import Seal, find, ink_map, inked_box, round_outline
from compliance.vision.seal_read import read, read_seal
from compliance.vision.seal_unwrap import unwrap
from compliance.vision.view import View, as_view

__all__ = ["Seal", "classify", "detect", "find", "ink_map", "read", "unmix", "unwrap"]


_default_ocr: Any = None


def _fallback_ocr(settings: Any) -> Any:
    """The configured OCR backend, built once per process when the caller passed none (None if unavailable)."""
    global _default_ocr
    if _default_ocr is None:
        try:
            from compliance.ocr.base import get_backend

            _default_ocr = get_backend(getattr(settings, "ocr_backend", "rapidocr"), settings)
        except Exception:  # no OCR here: seals are still reported, unread
            _default_ocr = False
    return _default_ocr or None


def detect(page: View | np.ndarray, *, ocr: Any = None, exclude: list[Box] | None = None,
           settings: Any = None) -> list[VisionHit]:
    """Seals on a page: an organ's seal as organ_mark + impersonate_authority (violations, seal text as
    evidence); any other seal as one "info" hit (label company_seal, school_seal, or seal when unread)."""
    view = as_view(page)
    hits: list[VisionHit] = []
    seals = find(view, exclude)
    if seals and ocr is None:
        ocr = _fallback_ocr(settings)
    for seal in seals:
        shape = float(min(1.0, 0.55 + seal.ring / 2))
        ring = centre = ""
        conf = 0.0
        spots: dict[str, float] = {}
        if ocr is not None:
            reading = read_seal(ocr, view, seal)
            ring, centre, conf, spots = reading.ring, reading.centre, reading.confidence, reading.spots
        kind = classify_read(ring, centre, spots)
        if ocr is not None and kind == "unknown":
            # A stamp inked on one side is sometimes fitted as a narrow ellipse through its inked arc, and its text
            # unwraps garbled; the circle through that arc is the stamp's outline: read it again on that.
            whole = round_outline(view, seal)
            if whole is not None:
                again = read_seal(ocr, view, whole)
                again_kind = classify_read(again.ring, again.centre, again.spots)
                if again_kind != "unknown":
                    seal, kind = whole, again_kind
                    ring, centre, conf, spots = again.ring, again.centre, again.confidence, again.spots
        text = ring + (" " + centre if centre and ring else centre)
        box = inked_box(view, seal)
        if kind == "organ":
            c = round(shape * max(conf, 0.5), 3)
            hits.append(VisionHit(Category.ORGAN_MARK, box, c, "organ_seal", text, "violation"))
            hits.append(VisionHit(Category.IMPERSONATE_AUTHORITY, box, c, "organ_seal_impersonation", text,
                                  "violation"))
            continue
        if kind == "unknown" and len(ring) < 2 and seal.ring < 0.6:
            # A weak ring with no readable ring text: most likely a big red character or a logo, not a stamp.
            continue
        label = {"school": "school_seal", "company": "company_seal"}.get(kind, "seal")
        # Issuers are information (the name feeds the certificate checks), never a violation.
        hits.append(VisionHit(Category.CERTIFICATE_REGISTRY, box, round(shape * max(conf, 0.3), 3), label,
                              text or None, "info"))
    return hits

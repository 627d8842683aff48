"""Vision hits on a page → findings and observations of the contract.

The detectors (compliance/vision) see pixels of a page picture; this module puts what they saw into the
page's own coordinates, attaches the legal basis of its category, and sends seal text through the text
engine as well (a seal reading 人力资源和社会保障局 is also wording).
"""

from __future__ import annotations

import hashlib
from typing import Any

from compliance.contract import Finding, Location, Observation, Origin, Severity, Status
from compliance.extract.document import Page
from compliance.rules.loader import RuleSet
from compliance.text.analyzer import TextAnalyzer

# What a reader calls each thing the detectors report.
TERMS = {
    "national_emblem": "国徽",
    "national_flag": "国旗",
    "police_badge": "警徽",
    "organ_seal": "行政机关印章",
    "organ_seal_impersonation": "以行政机关名义盖章",
    "seal": "印章",
    "company_seal": "企业印章",
    "school_seal": "学校印章",
}
_SEVERITY = {"violation": Severity.HIGH, "review": Severity.MEDIUM}


def _box(hit_box: tuple[float, float, float, float], scale: float) -> list[float]:
    return [round(v / scale, 1) for v in hit_box]


def vision_findings(page: Page, image: Any, hits: list[Any], ruleset: RuleSet,
                    analyzer: TextAnalyzer) -> tuple[list[Finding], list[Observation]]:
    """``hits`` are compliance.vision VisionHits on ``image`` (the page raster, ``page.raster_scale`` pixels per
    page unit)."""
    findings: list[Finding] = []
    observations: list[Observation] = []
    k = page.raster_scale or 1.0
    read: set[tuple[str, tuple[float, ...]]] = set()  # an organ's seal gives two hits with one text: read it once
    for hit in hits:
        bbox = _box(hit.bbox, k)
        location = Location(page=page.number, start=None, end=None, bbox=bbox, origin=Origin.VISION, part=page.part)
        if hit.status == "info":
            observations.append(Observation(kind=hit.label, text=hit.text, confidence=round(hit.confidence, 3),
                                            location=location))
            continue
        info = ruleset.categories[hit.category]
        term = TERMS.get(hit.label, hit.label)
        evidence = hit.text or term
        status = Status.VIOLATION if hit.status == "violation" else Status.REVIEW
        # One detector's hit may carry two categories (an organ's seal: organ_mark and impersonate_authority).
        rule_id = f"vision.{hit.category.value}" + ("" if hit.label == hit.category.value else f".{hit.label}")
        fingerprint = hashlib.sha1(f"{rule_id}|{page.number}|{bbox}".encode()).hexdigest()[:16]
        findings.append(Finding(
            rule_id=rule_id,
            category=hit.category,
            severity=_SEVERITY[hit.status],
            confidence=round(min(max(hit.confidence, 0.0), 1.0), 3),
            term=term,
            evidence=evidence,
            location=location,
            basis=info.basis,
            action=info.action,
            authority=info.authority,
            status=status,
            message=f"图像中发现{term}" + (f"：{hit.text}" if hit.text else ""),
            notes=[f"seen by the {hit.label} detector"],
            fingerprint=fingerprint,
        ))
        if hit.text and (hit.text, tuple(bbox)) not in read:
            read.add((hit.text, tuple(bbox)))
            # The seal's words are wording too: run them through the text engine, boxed on the seal.
            for f in analyzer.analyze(hit.text, official=False, page=page.number, origin=Origin.VISION):
                f.location.bbox = bbox
                f.location.part = page.part
                f.notes.append(f"in the text of a seal: {hit.text}")
                findings.append(f)
    return findings, observations

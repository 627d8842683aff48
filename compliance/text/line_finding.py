"""Findings raised by the recognizers that read the original lines (issuer_field.py, sender.py) rather than the rules.

They share the rules' categories, basis and disposition, and give way to a rule's finding of the same category
at the same place.
"""

from __future__ import annotations

import hashlib

from compliance.contract import Category, Finding, Location, Origin, Severity, Status
from compliance.rules.loader import RuleSet
from compliance.text.normalize import fold

_CONTEXT_CHARS = 24


def covered(found: list[Finding], category: Category, start: int, end: int) -> bool:
    """Does a finding of ``category`` already overlap original [start, end)?"""
    return any(f.category is category and f.location.start is not None and f.location.end is not None
               and f.location.start < end and f.location.end > start for f in found)


def line_finding(text: str, start: int, end: int, *, rule_id: str, category: Category, severity: Severity,
                 status: Status, confidence: float, term: str, message: str, note: str, ruleset: RuleSet,
                 page: int | None, origin: Origin) -> Finding:
    """A finding on original [start, end) of ``text``; ``message`` follows the category's title."""
    info = ruleset.categories[category]
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=severity,
        confidence=confidence,
        term=fold(term),
        evidence=text[start:end],
        location=Location(page=page, start=start, end=end, bbox=None, origin=origin),
        basis=info.basis,
        action=info.action,
        authority=info.authority,
        status=status,
        message=f"{info.title}：{message}",
        context=text[max(0, start - _CONTEXT_CHARS) : min(len(text), end + _CONTEXT_CHARS)],
        notes=[note],
        fingerprint=hashlib.sha1(f"{rule_id}|{page}|{start}|{end}".encode()).hexdigest()[:16],
    )

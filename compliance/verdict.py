"""A report's verdict from its findings."""

from __future__ import annotations

from collections.abc import Iterable

from compliance.contract import Finding, Status, Verdict


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """``violation`` if any finding is a clear breach, ``review`` if only judgement calls remain, else ``clean``."""
    seen_review = False
    for f in findings:
        if f.status is Status.VIOLATION:
            return Verdict.VIOLATION
        seen_review = True
    return Verdict.REVIEW if seen_review else Verdict.CLEAN

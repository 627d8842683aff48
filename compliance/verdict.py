"""A report's verdict from its findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from compliance.contract import Finding, Status, Verdict


def verdict_of(findings: Iterable[Finding]) -> Verdict:
    """``violation`` if any finding is a clear breach, ``review`` if only judgement calls remain, else ``clean``."""
    seen_review = False
    for f in findings:
        if f.status is Status.VIOLATION:
            return Verdict.VIOLATION
        seen_review = True
    return Verdict.REVIEW if seen_review else Verdict.CLEAN


def verdict_of_counts(statuses: Mapping[str, int]) -> Verdict:
    """The same verdict from finding counts by status (used when the kept findings were truncated)."""
    if statuses.get(Status.VIOLATION.value, 0):
        return Verdict.VIOLATION
    return Verdict.REVIEW if statuses.get(Status.REVIEW.value, 0) else Verdict.CLEAN

"""Analyse text of any length in overlapping windows, holding one window at a time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from compliance.contract import Finding, Origin
from compliance.text.analyzer import TextAnalyzer
from compliance.text.context import official_document
from compliance.text.normalize import fold_arrays

# Context a hit may need on either side (clause scope, word window, pattern window); hits are
# reported by the window whose core holds their start, so nothing is found twice or cut in half.
_PRE = 256
_POST = 256
_HEAD = 20_000  # characters read to decide whether the document is a government notice


@dataclass
class StreamResult:
    findings: list[Finding] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    truncated: bool = False
    characters: int = 0
    # Findings by status over *all* findings, kept or not: the verdict must not depend on truncation.
    statuses: Counter[str] = field(default_factory=Counter)
    # The observer's hits (rules reported as observations), all of them: they never count towards the verdict.
    observed: list[Finding] = field(default_factory=list)


def analyze_stream(
    analyzer: TextAnalyzer,
    pieces: Iterable[str],
    *,
    chunk_chars: int,
    max_findings: int,
    page: int | None = None,
    origin: Origin = Origin.TEXT,
    official: bool | None = None,
    observer: TextAnalyzer | None = None,
    observer_official: bool = False,
) -> StreamResult:
    """``official``: whether the document is a government notice; decided from the text's head if None.

    ``observer``: a second analyzer run over the same windows (its findings go to ``observed``), so that each
    window is folded once for both; ``observer_official`` is the ``official`` it is given.
    """
    result = StreamResult()
    buf = ""  # text from global offset ``base``
    base = 0
    core = 0  # global offset where the next window's core begins

    def run(window_lo: int, core_lo: int, core_hi: int) -> None:
        nonlocal official
        window = buf[window_lo - base : min(len(buf), core_hi - base + _POST)]
        if official is None:
            official = official_document(buf[:_HEAD] if base == 0 else window, analyzer.context)
        room = max_findings - len(result.findings)
        keep = (core_lo - window_lo, core_hi - window_lo)
        shared = fold_arrays(window) if observer is not None and len(window) >= analyzer.batch_from else None
        found = analyzer.scan(
            window,
            official=official,
            page=page,
            origin=origin,
            offset=window_lo,
            keep=keep,
            limit=room,  # findings past the limit are only counted, never built
            folded=shared,
        )
        if observer is not None:
            seen = observer.scan(window, official=observer_official, page=page, origin=origin, offset=window_lo,
                                 keep=keep, folded=shared)
            result.observed.extend(seen.findings)
        result.counts.update(found.counts)
        result.statuses.update(found.statuses)
        result.findings.extend(found.findings)
        result.truncated = result.truncated or found.total > room

    for piece in pieces:
        if not piece:
            continue
        buf += piece
        result.characters += len(piece)
        needed = base
        while base + len(buf) - core >= chunk_chars + _POST and (official is not None or len(buf) >= _HEAD):
            lo = max(base, core - _PRE)
            run(lo, core, core + chunk_chars)
            core += chunk_chars
            needed = max(base, core - _PRE)
        if needed > base:
            # Trim once per piece, not once per window: a long text in one piece is copied once, not once
            # for each of its windows.
            buf = buf[needed - base :]
            base = needed
    if base + len(buf) > core or result.characters == 0:
        lo = max(base, core - _PRE)
        if buf:
            run(lo, core, base + len(buf))
    return result

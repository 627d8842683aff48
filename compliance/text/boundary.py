"""Word-boundary check: is a hit a word of its own, or two halves of other words (确保|过程)?

Full segmentation runs at a few MB/s, far below the hot path's budget, so it is asked only when a
dictionary word actually straddles an edge of the hit; most hits never reach jieba.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import jieba

from compliance.rules.schema import Boundary

_WINDOW = 6  # characters of context on each side given to the segmenter
_MAX_WORD = 4  # longest straddling word looked for in the pre-check
_lock = threading.Lock()
_freq: dict[str, int] | None = None


def _dictionary() -> dict[str, int]:
    global _freq
    if _freq is None:
        with _lock:
            if _freq is None:
                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _freq = jieba.dt.FREQ
    return _freq


def _straddles(text: str, edge: int, freq: dict[str, int]) -> bool:
    """Is there a dictionary word text[a:b] with a < edge < b?"""
    n = len(text)
    for a in range(edge - 1, max(edge - _MAX_WORD, 0) - 1, -1):
        for b in range(edge + 1, min(a + _MAX_WORD, n) + 1):
            if freq.get(text[a:b], 0) > 0:
                return True
    return False


@lru_cache(maxsize=8192)
def _cuts(window: str) -> frozenset[int]:
    cuts = {0}
    pos = 0
    for token in jieba.lcut(window, HMM=False):
        pos += len(token)
        cuts.add(pos)
    return frozenset(cuts)


def on_boundary(text: str, start: int, end: int, mode: Boundary) -> bool:
    """``text`` is normalised (no separators); [start, end) is the hit."""
    if mode is Boundary.NONE:
        return True
    freq = _dictionary()
    needs_start = start > 0 and _straddles(text, start, freq)
    needs_end = mode is Boundary.STRICT and end < len(text) and _straddles(text, end, freq)
    if not needs_start and not needs_end:
        return True
    lo = max(0, start - _WINDOW)
    cuts = _cuts(text[lo : end + _WINDOW])
    if start - lo not in cuts:
        return False
    return mode is Boundary.PREFIX or end - lo in cuts

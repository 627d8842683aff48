"""Word-boundary check: is a hit a word of its own, or two halves of other words (确保|过程)?

Full segmentation runs at a few MB/s, far below the hot path's budget, so it is asked only when a
dictionary word actually straddles an edge of the hit; most hits never reach jieba. The batch path
asks that pre-check for all hits of a text at once (``straddle_mask``), against the dictionary packed
into sorted 64-bit integers.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import jieba
import numpy as np
import numpy.typing as npt

from compliance.rules.schema import Boundary
from compliance.text.packed import MAX_UNITS, UNIT_BITS, PackedMap, pack, packable

_WINDOW = 6  # characters of context on each side given to the segmenter
_MAX_WORD = 4  # longest straddling word looked for in the pre-check
_lock = threading.Lock()
_freq: dict[str, int] | None = None
_packed: PackedMap | None = None
assert _MAX_WORD <= MAX_UNITS  # the batch pre-check packs every candidate word into one uint64


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


def _pack_words() -> PackedMap:
    """The words ``_straddles`` can find (frequency > 0, 2.._MAX_WORD characters), packed."""
    global _packed
    if _packed is None:
        freq = _dictionary()
        with _lock:
            if _packed is None:
                codes = [pack(w) for w, n in freq.items() if n > 0 and 2 <= len(w) <= _MAX_WORD and packable(w)]
                _packed = PackedMap(np.array(codes, dtype=np.uint64))
    return _packed


def straddle_mask(folded: npt.NDArray[np.uint16], edges: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """``_straddles(text, edge, freq)`` for many edges of one normalised text (``folded`` = its code units)."""
    out = np.zeros(len(edges), dtype=bool)
    if not len(edges):
        return out
    words = _pack_words()
    n = len(folded)
    # A word straddling an edge lies in [edge - (_MAX_WORD - 1), edge + _MAX_WORD - 1): gather just those units
    # per edge (0 outside the text), not a padded copy of the whole text.
    at = edges[:, None] + np.arange(-(_MAX_WORD - 1), _MAX_WORD - 1)
    inside = (at >= 0) & (at < n)
    units = np.where(inside, folded.take(np.clip(at, 0, max(n - 1, 0))), 0).astype(np.uint64)
    shifts = [np.uint64(UNIT_BITS * (MAX_UNITS - 1 - i)) for i in range(_MAX_WORD)]
    for back in range(1, _MAX_WORD):  # word start a = edge - back
        a = edges - back
        col = _MAX_WORD - 1 - back  # the column of a
        code = np.zeros(len(edges), dtype=np.uint64)
        for length in range(1, _MAX_WORD + 1):  # word end b = a + length
            code |= units[:, col + length - 1] << shifts[length - 1]
            if length <= back:  # b <= edge: the word does not cross the edge yet
                continue
            todo = ~out & (a >= 0) & (a + length <= n)
            idx = np.flatnonzero(todo)
            out[idx[words.contains(code.take(idx))]] = True
    return out


@lru_cache(maxsize=8192)
def _cuts(window: str) -> frozenset[int]:
    cuts = {0}
    pos = 0
    for token in jieba.lcut(window, HMM=False):
        pos += len(token)
        cuts.add(pos)
    return frozenset(cuts)


def on_boundary(text: str, start: int, end: int, mode: Boundary, hard_start: bool = False,
                hard_end: bool = False) -> bool:
    """``text`` is normalised (no separators); [start, end) is the hit.

    ``hard_*``: the original text has a clause break (，。！？…) at that edge, which the fold dropped. No word
    runs across it: 本班包过。程老师授课 is 包过 then 程老师, not 包|过程.
    """
    if mode is Boundary.NONE:
        return True
    freq = _dictionary()
    needs_start = not hard_start and start > 0 and _straddles(text, start, freq)
    needs_end = not hard_end and mode is Boundary.STRICT and end < len(text) and _straddles(text, end, freq)
    return cut_holds(text, start, end, mode, needs_start, needs_end, hard_start, hard_end)


def cut_holds(text: str, start: int, end: int, mode: Boundary, needs_start: bool, needs_end: bool,
              hard_start: bool = False, hard_end: bool = False) -> bool:
    """``on_boundary`` after its pre-check (``needs_*``: a dictionary word straddles that edge). The segmenter's
    window stops at a hard edge, so words on the far side of a clause break cannot pull the hit apart."""
    if not needs_start and not needs_end:
        return True
    lo = start if hard_start else max(0, start - _WINDOW)
    hi = end if hard_end else end + _WINDOW
    cuts = _cuts(text[lo:hi])
    if start - lo not in cuts:
        return False
    return mode is Boundary.PREFIX or end - lo in cuts

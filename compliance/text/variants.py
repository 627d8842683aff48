"""Pinyin stand-ins: advertisers write bao过, BAO过, 包guo to slip past word filters."""

from __future__ import annotations

from itertools import combinations

from pypinyin import lazy_pinyin

MAX_REPLACED = 2  # evasions replace one or two characters; more would be unreadable to the buyer too
MAX_TERM_LEN = 8


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def pinyin_variants(term: str) -> list[str]:
    """Forms of ``term`` with one or two of its characters written in pinyin (toneless, lower case).

    At least one character stays in Han script: an all-pinyin term would match ordinary Latin text.
    """
    if len(term) > MAX_TERM_LEN or len(term) < 2 or not all(_is_han(c) for c in term):
        return []
    # Whole-term reading: pypinyin picks each character's reading from the phrase (行业 hang, 银行 hang).
    readings = [[r] if r.isascii() and r.isalpha() else [] for r in lazy_pinyin(term)]
    if len(readings) != len(term):
        return []
    out: set[str] = set()
    for k in range(1, min(MAX_REPLACED, len(term) - 1) + 1):
        for positions in combinations(range(len(term)), k):
            partial = [[c] for c in term]
            for p in positions:
                partial[p] = readings[p] or [term[p]]
            variants = [""]
            for choices in partial:
                variants = [v + c for v in variants for c in choices]
            out.update(v for v in variants if v != term)
    return sorted(out)

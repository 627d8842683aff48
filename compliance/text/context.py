"""Context that decides whether a hit is a claim: prohibitions, mentions, titles, document numbers.

All functions read the *original* text (offsets in it) or the normalised text with its index; they
are pure and cheap, called once per candidate hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from compliance.rules.schema import ContextFile
from compliance.text.normalize import Normalized, fold

CLAUSE_BREAKS = "，,；;。！？!?\n\r"
OPEN_QUOTES = "“\"'‘「『〝＂"
CLOSE_QUOTES = "”\"'’」』〞＂"
_SCOPE = 80  # characters looked at on each side; a clause is rarely longer

# 人社部发〔2024〕29号, 渝人社办[2023]207号, 国发（2019）3号
_DOC_NUMBER_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,6}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号"
)
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")


def _alternation(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({fold(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


@dataclass(frozen=True)
class ContextRules:
    prohibition: re.Pattern[str]
    negations: tuple[str, ...]
    mention: re.Pattern[str]
    title_suffixes: tuple[str, ...]
    official_markers: tuple[str, ...]
    commercial_markers: tuple[str, ...]

    @classmethod
    def from_file(cls, ctx: ContextFile) -> ContextRules:
        return cls(
            prohibition=_alternation(ctx.prohibition_markers),
            negations=tuple(sorted({fold(w) for w in ctx.negation_markers}, key=len, reverse=True)),
            mention=_alternation(ctx.mention_markers),
            title_suffixes=tuple(fold(s) for s in ctx.official_title_suffixes),
            official_markers=tuple(dict.fromkeys(fold(s) for s in ctx.official_document_markers)),
            commercial_markers=tuple(dict.fromkeys(fold(s) for s in ctx.commercial_markers)),
        )


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Original [lo, hi) of the clause holding [start, end)."""
    lo = max(0, start - _SCOPE)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in CLAUSE_BREAKS:
            lo = i + 1
            break
    hi = min(len(text), end + _SCOPE)
    for i in range(end, hi):
        if text[i] in CLAUSE_BREAKS:
            hi = i
            break
    return lo, hi


def is_quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and text[start - 1] in OPEN_QUOTES and text[end] in CLOSE_QUOTES


def norm_pos(norm: Normalized, orig: int) -> int:
    """First normalised position at or after original offset ``orig``."""
    return int(np.searchsorted(norm.index, orig))


def stated_not_claimed(text: str, norm: Normalized, start: int, end: int, rules: ContextRules) -> str | None:
    """Why the hit at original [start, end) is a rule being stated or a word being mentioned, if it is.

    - a prohibition marker earlier in the same clause: 严禁使用“国家”字样, 不得宣传保过;
    - the term in quotation marks with a mention marker in its clause: “包过”等字样, 所谓“保过”.
    """
    lo, hi = clause_bounds(text, start, end)
    nlo, ns, ne, nhi = (norm_pos(norm, p) for p in (lo, start, end, hi))
    if rules.prohibition.search(norm.text, nlo, ns):
        return "prohibition"
    if is_quoted(text, start, end) and (
        rules.mention.search(norm.text, ne, nhi) or rules.mention.search(norm.text, nlo, ns)
    ):
        return "mention"
    return None


_NEGATION_REACH = 4


_DOUBLE = frozenset("无没非未不莫")


def negated(ntext: str, start: int, rules: ContextRules) -> bool:
    """A negation right before the normalised hit start: 未经人社部门备案, 不承诺包过, 非国家机关.

    A double negative is an affirmation: 学员无不包过 ("every student passes") is a claim.
    """
    before = ntext[max(0, start - _NEGATION_REACH - 1) : start]
    for marker in rules.negations:
        if before.endswith(marker):
            lead = len(before) - len(marker) - 1
            return not (lead >= 0 and before[lead] in _DOUBLE)
    return False


def in_official_title(text: str, start: int, end: int, rules: ContextRules) -> bool:
    """Inside 《…》 whose title names an official instrument: 《中华人民共和国广告法》, 《国家职业资格目录》."""
    lo = max(0, start - _SCOPE)
    opening = text.rfind("《", lo, start)
    if opening < 0 or text.rfind("》", opening, start) >= 0:
        return False
    closing = text.find("》", end, min(len(text), end + _SCOPE))
    if closing < 0 or text.find("《", end, closing) >= 0:
        return False
    title = fold(text[opening + 1 : closing])
    return title.endswith(rules.title_suffixes)


def in_doc_number(text: str, end: int) -> bool:
    """The hit is the issuer part of a document number: 人社部发〔2024〕29号."""
    return _DOC_NUMBER_AFTER.match(text, end) is not None


def official_document(text: str, rules: ContextRules, head: int = 20_000) -> bool:
    """Does the text read as a government notice (header document number, notice formulae, no selling)?"""
    sample = text[:head]
    folded = fold(sample)
    has_number = DOC_NUMBER.search(sample[:600]) is not None
    markers = sum(1 for m in rules.official_markers if m in folded)
    selling = sum(1 for m in rules.commercial_markers if m in folded)
    score = (3 if has_number else 0) + min(markers, 6) - 2 * selling
    return score >= 5

"""Context that decides whether a hit is a claim: prohibitions, mentions, titles, document numbers.

All functions read the *original* text (offsets in it) or the normalised text with its index; they
are pure and cheap, called once per candidate hit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from compliance.rules.schema import ContextFile
from compliance.text.normalize import Normalized, fold

CLAUSE_BREAKS = "，,；;。！？!?\n\r"
OPEN_QUOTES = "“\"'‘「『〝＂"
CLOSE_QUOTES = "”\"'’」』〞＂"
_SCOPE = 80  # characters looked at on each side; a clause is rarely longer

# 人社部发〔2024〕29号, 渝人社办[2023]207号, 国发（2019）3号. The opening brackets and the issuer tail
# are named because the batch screen (doc_number_screen) relies on them.
DOC_OPEN = "〔[［【(（"
_DOC_ISSUER_TAIL = 6
_DOC_NUMBER_AFTER = re.compile(
    rf"[\u4e00-\u9fff]{{0,{_DOC_ISSUER_TAIL}}}\s*[{re.escape(DOC_OPEN)}]\s*(?:19|20)\d{{2}}\s*[〕\]］】)）]\s*第?\s*\d{{1,5}}\s*号"
)
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,5}\s*号")


def _alternation(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({fold(w) for w in words}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered))


@dataclass(frozen=True)
class ContextRules:
    prohibition: re.Pattern[str]
    prohibition_words: tuple[str, ...]  # the literals of ``prohibition``, for the batch screen
    negations: tuple[str, ...]
    mention: re.Pattern[str]
    title_suffixes: tuple[str, ...]
    official_markers: tuple[str, ...]
    commercial_markers: tuple[str, ...]

    @classmethod
    def from_file(cls, ctx: ContextFile) -> ContextRules:
        return cls(
            prohibition=_alternation(ctx.prohibition_markers),
            prohibition_words=tuple(sorted({fold(w) for w in ctx.prohibition_markers})),
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
    return stated_in_clause(text, norm.text, start, end, (nlo, ns, ne, nhi), rules)


def stated_in_clause(text: str, ntext: str, start: int, end: int, clause: tuple[int, int, int, int],
                     rules: ContextRules) -> str | None:
    """``stated_not_claimed`` once the clause is known: ``clause`` = normalised (lo, start, end, hi)."""
    nlo, ns, ne, nhi = clause
    if rules.prohibition.search(ntext, nlo, ns):
        return "prohibition"
    if is_quoted(text, start, end) and (rules.mention.search(ntext, ne, nhi) or rules.mention.search(ntext, nlo, ns)):
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
    title = _fold_title(text[opening + 1 : closing])
    return title.endswith(rules.title_suffixes)


# Documents cite the same few instruments over and over.
_fold_title = lru_cache(maxsize=1024)(fold)


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


# -- batch screens ----------------------------------------------------------------------------------
# The analyzer's batch path asks, for all candidates of a text at once, whether each check above *could*
# reject a candidate; only those go to the check itself. Every screen is a necessary condition of its
# check (it may say yes where the check says no, never the reverse), so it must change with the check.


def _unit_table(chars: str) -> npt.NDArray[np.bool_]:
    table = np.zeros(0x10000, dtype=bool)
    for ch in chars:
        if ord(ch) < 0x10000:
            table[ord(ch)] = True
    return table


_BREAK_UNITS = _unit_table(CLAUSE_BREAKS)
_OPEN_QUOTE_UNITS = _unit_table(OPEN_QUOTES)
_CLOSE_QUOTE_UNITS = _unit_table(CLOSE_QUOTES)
_DOC_OPEN_UNITS = _unit_table(DOC_OPEN)
_SPACE_UNITS = _unit_table("".join(chr(c) for c in range(0x10000) if chr(c).isspace()))  # = re's \s
_TITLE_OPEN_UNITS = _unit_table("《")

Units = npt.NDArray[np.uint16]
Offsets = npt.NDArray[np.intp]


def _where(table: npt.NDArray[np.bool_], units: Units, among: Offsets | None) -> Offsets:
    """Offsets of the characters ``table`` marks; only ``among`` these offsets if given (a superset)."""
    if among is None:
        return np.flatnonzero(table.take(units))
    return among[table.take(units.take(among))]


def clause_breaks(units: Units, dropped: Offsets | None = None) -> Offsets:
    """Offsets of the clause breaks in a text (``units`` = its code units), for ``clause_bounds_batch``.
    ``dropped``: the offsets the fold drops, a superset that is quicker to search (breaks are punctuation)."""
    return _where(_BREAK_UNITS, units, dropped)


def clause_bounds_batch(units: Units, starts: Offsets, ends: Offsets,
                        breaks: Offsets | None = None) -> tuple[Offsets, Offsets]:
    """``clause_bounds`` for many hits of one text: exact, not a screen."""
    n = len(units)
    if breaks is None:
        breaks = clause_breaks(units)
    lo = np.maximum(starts - _SCOPE, 0)
    hi = np.minimum(ends + _SCOPE, n)
    if not len(breaks):
        return lo, hi
    before = np.searchsorted(breaks, starts) - 1  # the last break left of the hit
    prev = breaks.take(np.maximum(before, 0))
    lo = np.where((before >= 0) & (prev >= lo), prev + 1, lo)
    after = np.searchsorted(breaks, ends)  # the first break at or right of the hit's end
    nxt = breaks.take(np.minimum(after, len(breaks) - 1))
    hi = np.where((after < len(breaks)) & (nxt < hi), nxt, hi)
    return lo, hi


def quoted_batch(units: Units, starts: Offsets, ends: Offsets) -> npt.NDArray[np.bool_]:
    """``is_quoted`` for many hits: exact."""
    n = len(units)
    inside = (starts > 0) & (ends < n)
    left = _OPEN_QUOTE_UNITS.take(units.take(np.maximum(starts - 1, 0)))
    right = _CLOSE_QUOTE_UNITS.take(units.take(np.minimum(ends, n - 1)))
    return inside & left & right


def title_screen(units: Units, starts: Offsets, dropped: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``in_official_title`` hold? Only with a 《 in the _SCOPE characters before the hit."""
    opens = _where(_TITLE_OPEN_UNITS, units, dropped)
    if not len(opens):
        return np.zeros(len(starts), dtype=bool)
    last = np.searchsorted(opens, starts) - 1
    return (last >= 0) & (opens.take(np.maximum(last, 0)) >= starts - _SCOPE)


def doc_number_screen(units: Units, ends: Offsets, dropped: Offsets | None = None) -> npt.NDArray[np.bool_]:
    """Could ``in_doc_number`` hold? Its regex takes up to _DOC_ISSUER_TAIL Han characters, then spaces,
    then an opening bracket: so the first bracket after the hit is near, or has a space before it."""
    opens = _where(_DOC_OPEN_UNITS, units, dropped)
    if not len(opens):
        return np.zeros(len(ends), dtype=bool)
    first = np.searchsorted(opens, ends)
    at = opens.take(np.minimum(first, len(opens) - 1))
    spaced = _SPACE_UNITS.take(units.take(np.maximum(at - 1, 0)))
    return (first < len(opens)) & ((at - ends <= _DOC_ISSUER_TAIL) | spaced)


def negation_screen(folded: Units, starts: Offsets, rules: ContextRules) -> npt.NDArray[np.bool_]:
    """Could ``negated`` hold? Only if the character before the hit ends some negation marker."""
    table = _last_units(rules.negations)
    return (starts > 0) & table.take(folded.take(np.maximum(starts - 1, 0)))


@lru_cache(maxsize=8)
def _last_units(words: tuple[str, ...]) -> npt.NDArray[np.bool_]:
    return _unit_table("".join(w[-1] for w in words if w))

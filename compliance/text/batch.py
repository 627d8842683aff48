"""The analyzer's batch path: every candidate of a text judged at once, in numpy.

``TextAnalyzer._judge`` defines a finding, one candidate at a time, and ``analyze_reference`` applies
it to every candidate. That costs tens of microseconds per candidate, and ordinary text has a candidate
every few dozen characters (国家, 第一, 劳动 …), so it cannot be the hot path. Here:

- one numpy trie walk finds every key (``KeyMatcher``), plus the words the screens below look for;
- a pattern's regex or token matcher runs only where the literals it cannot match without
  (``required.py``) occur in the anchor's window;
- each check of ``_judge`` runs as array operations over all candidates, and where a check needs
  Python (jieba, a regex, a clause) it runs only for candidates its screen in ``context.py`` or
  ``boundary.py`` says it could reject;
- only the findings that will be reported are built, by ``_judge`` itself; the rest are counted.

The findings equal ``analyze_reference``'s; tests/text/test_batch.py holds the two together, so a
change to ``_judge`` or to a check needs its screen here changed too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from compliance.contract import Finding, Origin, Status
from compliance.rules.schema import Boundary
from compliance.text.boundary import cut_holds, straddle_mask
from compliance.text.context import (
    CLAUSE_BREAKS,
    DOC_OPEN,
    PHRASE_BREAKS,
    begins_enterprise_name,
    clause_bounds_batch,
    clause_breaks,
    condemn_screen,
    condemned,
    doc_number_screen,
    enumerates,
    hard_edges_batch,
    in_doc_number,
    in_official_title,
    mentioned,
    negated,
    negation_screen,
    official_document,
    phrase_starts_batch,
    quote_screen,
    title_screen,
)
from compliance.text.matcher import KeyMatcher
from compliance.text.normalize import Folded, Normalized, fold_arrays, fold_table
from compliance.text.required import (
    Lang,
    first_chars,
    max_width,
    may_be_empty,
    regex_requirements,
    token_requirements,
)

if TYPE_CHECKING:
    from compliance.text.analyzer import TextAnalyzer

# Roles of a key (one key may have several): the automaton's, then two only the batch path looks for.
TERM, ANCHOR, NOT_INSIDE, REVIEW_INSIDE, TOKEN_ANCHOR = range(5)
PROHIBITION, NEEDS, DISOWN = 5, 6, 7  # a prohibition marker; a literal some pattern cannot match without;
# a word ``condemned`` looks for (its batch screen takes their positions from this automaton)

Entry = tuple[int, int, Any, int]  # (role, rule index, role data, key length)
Ints = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]

_MODE = {Boundary.NONE: 0, Boundary.PREFIX: 1, Boundary.STRICT: 2}
_SETS_PER_PATTERN = 2
_DI, _YI = ord("第"), ord("一")
_LATIN_UNITS = np.zeros(0x10000, dtype=bool)
_LATIN_UNITS[[ord(c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = True


@dataclass(slots=True)
class Candidate:
    start: int  # normalised
    end: int
    rid: int
    term: str
    pinyin_lead: bool = False
    pinyin_tail: bool = False
    pinyin: bool = False


@dataclass
class Scan:
    findings: list[Finding] = field(default_factory=list)  # the first ``limit`` findings, in text order
    counts: dict[str, int] = field(default_factory=dict)  # all findings per category, built or not
    statuses: dict[str, int] = field(default_factory=dict)  # all findings per status, built or not

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _strongest(reqs: list[Lang], anchors: Iterable[str]) -> list[Lang]:
    """Drop requirements every anchor already satisfies, and those another requirement implies."""
    anchors = list(anchors)
    useful = [r for r in reqs if not all(any(w in a for w in r) for a in anchors)]

    def implies(a: Lang, b: Lang) -> bool:  # every string of a holds a string of b
        return all(any(w in s for w in b) for s in a)

    return [r for i, r in enumerate(useful)
            if not any(j != i and implies(o, r) and not (implies(r, o) and j > i) for j, o in enumerate(useful))]


class BatchPlan:
    """Everything the batch path precomputes from a TextAnalyzer's rules and automaton entries."""

    def __init__(self, analyzer: TextAnalyzer, entries: dict[str, list[Entry]]) -> None:
        self.analyzer = analyzer
        rules = analyzer.rules
        categories = sorted({c.rule.category.value for c in rules})
        self._category_names = categories
        # Per rule: category (ranked by name, the order findings sort in), boundary mode, exemptions.
        self._cat = np.array([categories.index(c.rule.category.value) for c in rules], dtype=np.intp)
        self._mode = np.array([_MODE[c.rule.boundary] for c in rules], dtype=np.intp)
        self._review = np.array([Status(c.rule.status) is Status.REVIEW for c in rules], dtype=bool)
        self._enterprise = np.array([c.rule.enterprise_name_review for c in rules], dtype=bool)
        self._enterprise_ignore = np.array([c.rule.enterprise_name_ignore for c in rules], dtype=bool)
        self._breaks = np.array([c.rule.breaks for c in rules], dtype=bool)
        self._ex_negation = np.array([c.exempt_negation for c in rules], dtype=bool)
        self._ex_doc = np.array([c.exempt_doc_number for c in rules], dtype=bool)
        self._ex_title = np.array([c.exempt_title for c in rules], dtype=bool)
        self._ex_prohibition = np.array([c.exempt_prohibition for c in rules], dtype=bool)
        self._ex_official = np.array([c.exempt_official for c in rules], dtype=bool)
        # The screens look for clause breaks, quotes and brackets among the characters the fold drops.
        keep = fold_table().keep
        assert not any(keep[ord(c)] for c in CLAUSE_BREAKS + PHRASE_BREAKS + "《" + DOC_OPEN if ord(c) < len(keep))

        # Pattern and token-pattern groups: global ids, windows, and the literal sets each needs.
        extra: dict[str, list[Entry]] = {}
        group_sets: list[list[int]] = []
        set_ids: dict[Lang, int] = {}  # patterns of one rule often need the same literals: look once

        def group(reqs: list[Lang], anchors: list[str]) -> int:
            ids = []
            # Every occurrence of a literal costs a little whether or not it rules out an anchor, and short
            # literals are common: the two sets with the longest literals do nearly all the filtering.
            strongest = sorted(_strongest(reqs, anchors), key=lambda r: (-min(map(len, r)), len(r)))
            for req in strongest[:_SETS_PER_PATTERN]:
                if req not in set_ids:
                    set_ids[req] = len(set_ids)
                    for word in req:
                        extra.setdefault(word, []).append((NEEDS, -1, set_ids[req], len(word)))
                ids.append(set_ids[req])
            group_sets.append(ids)
            return len(group_sets) - 1

        self._pattern_group: dict[tuple[int, int], int] = {}
        self._token_group: dict[tuple[int, int], int] = {}
        windows: list[int] = []
        widths: list[int] = []  # longest match, -1 = unbounded
        starts: list[frozenset[str] | None] = []  # the characters a match can start with; None: any
        self._regex: list[Any] = []  # per group: the pattern's compiled regex (None for token patterns)
        self._empty: list[bool] = []  # may the regex match the empty string (then verify as the reference)
        for rid, comp in enumerate(rules):
            for pid, pattern in enumerate(comp.rule.patterns):
                self._pattern_group[rid, pid] = group(regex_requirements(pattern.regex), pattern.anchors)
                windows.append(pattern.window)
                width = max_width(pattern.regex)
                widths.append(-1 if width is None else width)
                starts.append(first_chars(pattern.regex))
                self._regex.append(comp.regexes[pid])
                self._empty.append(may_be_empty(pattern.regex))
            for tid, tokens in enumerate(comp.rule.tokens):
                self._token_group[rid, tid] = group(token_requirements(tokens.pattern), tokens.anchors)
                windows.append(0)
                widths.append(-1)
                starts.append(None)
                self._regex.append(None)
                self._empty.append(True)
        self._window = np.array(windows, dtype=np.intp)
        self._width = np.array(widths, dtype=np.intp)
        # Per group, for _verify: the regex's match, and a search for the next of its first characters (None:
        # any character may start a match); (None, None) where the regex may match empty.
        self._scans: list[tuple[Any, Any]] = []
        for regex, first, empty in zip(self._regex, starts, self._empty, strict=True):
            starter = None if first is None else re.compile("[" + "".join(map(re.escape, sorted(first))) + "]")
            self._scans.append((None, None) if empty or regex is None else
                               (regex.match, None if starter is None else starter.search))
        self._set_count = np.array([len(ids) for ids in group_sets], dtype=np.intp)
        self._set_first = np.cumsum(self._set_count) - self._set_count
        self._set_ids = np.array([i for ids in group_sets for i in ids], dtype=np.intp)
        for word in analyzer.context.prohibition_words:
            extra.setdefault(word, []).append((PROHIBITION, -1, None, len(word)))
        for word in analyzer.context.disown_words:
            extra.setdefault(word, []).append((DISOWN, -1, None, len(word)))

        # Keys and their entries, flattened: key k's entries are rows first[k] .. first[k] + count[k].
        keys = list(entries) + [k for k in extra if k not in entries]
        self._matcher = KeyMatcher(keys)
        term_ids: dict[str, int] = {}
        role, rule, data, lead, tail, count = [], [], [], [], [], []
        for key in keys:
            rows = entries.get(key, []) + extra.get(key, [])
            count.append(len(rows))
            for r, rid, d, _ in rows:
                role.append(r)
                rule.append(rid)
                lead.append(False)
                tail.append(False)
                if r == TERM:
                    term, lead[-1], tail[-1] = d
                    data.append(term_ids.setdefault(term, len(term_ids)))
                elif r == ANCHOR:
                    data.append(self._pattern_group[rid, d])
                elif r == TOKEN_ANCHOR:
                    data.append(self._token_group[rid, d])
                else:
                    data.append(-1 if d is None else d)
        self.terms: list[str] = list(term_ids)
        self._role = np.array(role, dtype=np.intp)
        self._rule = np.array(rule, dtype=np.intp)
        self._data = np.array(data, dtype=np.intp)
        self._lead = np.array(lead, dtype=bool)
        self._tail = np.array(tail, dtype=bool)
        self._count = np.array(count, dtype=np.intp)
        self._first = np.cumsum(self._count) - self._count
        self._longest = max(1, max((len(k) for k in keys), default=1))
        # Token anchors carry their group id; _token_spans wants the rule's token-pattern index back.
        self._token_index = {g: tid for (_, tid), g in self._token_group.items()}

    # -- scan -------------------------------------------------------------------------------------

    def scan(self, text: str, *, official: bool | None, page: int | None, origin: Origin, offset: int,
             keep: tuple[int, int] | None, limit: int | None, folded: Folded | None = None) -> Scan:
        """``folded``: ``fold_arrays(text)`` if the caller has it (two analyzers over one window fold it once)."""
        if not text:
            return Scan()
        fa = folded or fold_arrays(text)
        starts, kids = self._matcher.find(fa.folded)
        if not len(starts):
            return Scan()
        # One row per (occurrence, role of its key).
        per = self._count.take(kids)
        occ = np.repeat(np.arange(len(kids)), per)
        row = self._first.take(kids).repeat(per) + np.arange(len(occ)) - (np.cumsum(per) - per).repeat(per)
        role = self._role.take(row)
        if not ((role < NOT_INSIDE) | (role == TOKEN_ANCHOR)).any():  # no term or anchor: nothing to judge
            return Scan()
        s = starts.take(occ)
        e = s + self._matcher.lengths.take(kids.take(occ))

        norm = fa.normalized()
        dropped = fa.dropped()
        breaks = clause_breaks(fa.units, dropped)
        if official is None:
            official = official_document(text, self.analyzer.context)

        # The automaton reports by end position, longer keys first, then in entry order: candidate order
        # decides which of two equal findings is kept, and pattern verification depends on anchor order.
        main = np.flatnonzero(role < PROHIBITION)
        main = main[np.argsort((e.take(main) * (self._longest + 1) - (e - s).take(main)) * len(self._role)
                               + row.take(main), kind="stable")]
        ms, me, mrole = s[main], e[main], role[main]
        mrule, mdata = self._rule.take(row[main]), self._data.take(row[main])

        needs = np.flatnonzero(role == NEEDS)
        need_index = _Occurrences(s[needs], e[needs], self._data.take(row[needs]), len(norm.text))

        extra: list[Candidate] = []
        pick = mrole == ANCHOR
        if pick.any():
            a_s, a_e, a_g = ms[pick], me[pick], mdata[pick]
            window = self._window.take(a_g)
            lo, hi = np.maximum(a_s - window, 0), np.minimum(a_e + window, len(norm.text))
            ok, first, last = self._satisfied(a_g, lo, hi, need_index)
            # Where the regex's scan from lo can first find a match, and where matches stop (see _verify).
            width = self._width.take(a_g)
            first = np.where(width >= 0, np.maximum(lo, first - width), lo)
            last = np.minimum(last + 1, a_e)
            ok &= first < last
            extra.extend(self._verify(norm.text, a_s, a_e, mrule[pick], a_g, lo, hi, first, last, ok))
        pick = mrole == TOKEN_ANCHOR
        if pick.any():
            a_s, a_e, a_g = ms[pick], me[pick], mdata[pick]
            lo, hi = clause_bounds_batch(fa.units, fa.index.take(a_s), fa.index.take(a_e - 1) + 1, breaks)
            nlo, nhi = np.searchsorted(fa.index, lo), np.searchsorted(fa.index, hi)
            ok, _, _ = self._satisfied(a_g, nlo, nhi, need_index)
            tids = [self._token_index[g] for g in a_g[ok].tolist()]
            rows = zip(a_s[ok].tolist(), a_e[ok].tolist(), mrule[pick][ok].tolist(), tids, nlo[ok].tolist(),
                       nhi[ok].tolist(), strict=True)
            extra.extend(self.analyzer._token_spans(norm.text, list(rows)))

        terms = mrole == TERM
        row_terms = main[terms]
        cs = np.concatenate([ms[terms], np.array([c.start for c in extra], dtype=np.intp)])
        ce = np.concatenate([me[terms], np.array([c.end for c in extra], dtype=np.intp)])
        if not len(cs):
            return Scan()
        crule = np.concatenate([mrule[terms], np.array([c.rid for c in extra], dtype=np.intp)])
        cterm = np.concatenate([mdata[terms], np.full(len(extra), -1, dtype=np.intp)])
        lead = np.concatenate([self._lead.take(row[row_terms]), np.zeros(len(extra), dtype=bool)])
        tail = np.concatenate([self._tail.take(row[row_terms]), np.zeros(len(extra), dtype=bool)])
        cidx = np.arange(len(cs))  # candidate number: < n_terms a term hit, else extra[i - n_terms]
        n_terms = int(terms.sum())

        fences = np.isin(mrole, (NOT_INSIDE, REVIEW_INSIDE))
        fence = _Fences(ms[fences], me[fences], mrule[fences], mrole[fences], self._longest)
        prohibition = np.flatnonzero(role == PROHIBITION)
        markers = _Markers(fa.index.take(s[prohibition]), e[prohibition])
        disown = np.sort(fa.index.take(s[role == DISOWN]))

        # Judge each claim once at its full extent (TextAnalyzer._outermost), in its sort order.
        cat = self._cat.take(crule)
        order = np.lexsort((-ce, cs, cat))
        outer = order[_outermost(cat[order], cs[order], ce[order])]
        cs, ce, crule, cterm, lead, tail, cidx, cat = (a[outer] for a in (cs, ce, crule, cterm, lead, tail, cidx, cat))

        alive, os_, oe = self._judge(text, fa, norm, dropped, breaks, cs, ce, crule, lead, tail, fence, markers,
                                     disown, official, keep)

        # _drop_contained over the findings, then text order.
        live = np.flatnonzero(alive)
        key = cat[live] * (len(text) + 1) + oe[live]
        reach = np.maximum.accumulate(key)
        kept = live[key > np.concatenate([[-1], reach[:-1]])]
        kept = kept[np.lexsort((cat[kept], os_[kept]))]
        counts = np.bincount(cat[kept], minlength=len(self._category_names))
        # A review_inside phrase makes a violation a matter for review (as _judge does).
        review = self._review.take(crule[kept]) | fence.inside(REVIEW_INSIDE, crule[kept], cs[kept], ce[kept])
        # So does the start of an enterprise's registered name, for the rules that say so (as _judge does).
        for j in np.flatnonzero(self._enterprise.take(crule[kept]) & ~review).tolist():
            review[j] = begins_enterprise_name(text, int(oe[kept[j]]))
        scan = Scan(counts={name: int(k) for name, k in zip(self._category_names, counts.tolist(), strict=True)
                            if k})
        n_review = int(review.sum())
        scan.statuses = {k: v for k, v in ((Status.VIOLATION.value, len(kept) - n_review),
                                            (Status.REVIEW.value, n_review)) if v}

        build = kept if limit is None else kept[:max(0, limit)]
        an = self.analyzer
        for i in build.tolist():
            c = int(cidx[i])
            if c < n_terms:
                pin_lead, pin_tail = bool(lead[i]), bool(tail[i])
                cand = Candidate(int(cs[i]), int(ce[i]), int(crule[i]), self.terms[int(cterm[i])], pin_lead,
                                 pin_tail, pin_lead or pin_tail)
            else:
                cand = extra[c - n_terms]
            finding = an._judge(text, norm, cand, fence.around(cand.rid, cand.start, cand.end), official, page,
                                origin, keep, accepted=True)
            if finding is not None:  # always, unless _judge and this path disagree (see the tests)
                scan.findings.append(finding)
        if offset:
            for f in scan.findings:
                f.location.start = (f.location.start or 0) + offset
                f.location.end = (f.location.end or 0) + offset
        return scan

    def _satisfied(self, groups: Ints, lo: Ints, hi: Ints, needs: _Occurrences) -> tuple[Mask, Ints, Ints]:
        """For anchors of pattern ``groups`` with windows [lo, hi): does every literal set the pattern
        needs occur inside the window? Where not, the pattern cannot match there. Also, over those sets,
        the latest first end and the earliest last start of an occurrence (``hi`` when no set)."""
        per = self._set_count.take(groups)
        end_first = lo.copy()
        start_last = hi.copy()
        if not per.any():
            return np.ones(len(groups), dtype=bool), end_first, start_last
        anchor = np.repeat(np.arange(len(groups)), per)
        first = (np.cumsum(per) - per).repeat(per)
        sets = self._set_ids.take(self._set_first.take(groups).repeat(per) + np.arange(len(anchor)) - first)
        found, min_end, max_start = needs.bounds(sets, lo.take(anchor), hi.take(anchor))
        # Pairs are grouped by anchor: reduce each anchor's run (ufunc.at is far slower).
        some = np.flatnonzero(per)
        runs = (np.cumsum(per) - per)[some]
        end_first[some] = np.maximum(end_first[some], np.maximum.reduceat(min_end, runs))
        start_last[some] = np.minimum(start_last[some], np.minimum.reduceat(max_start, runs))
        return np.bincount(anchor[~found], minlength=len(groups)) == 0, end_first, start_last

    def _verify(self, ntext: str, a_s: Ints, a_e: Ints, a_rule: Ints, a_g: Ints, lo: Ints, hi: Ints, first: Ints,
                last: Ints, ok: Mask) -> list[Candidate]:
        """TextAnalyzer._verify_patterns for the anchors ``ok`` says their pattern can match near.

        The reference runs ``finditer(ntext, lo, hi)`` and keeps matches overlapping the anchor. A match holds
        an occurrence of each literal set its pattern needs and is at most its longest match long, so no match
        starts before ``first`` (an occurrence's end − the longest match) or at or after ``last`` (past the
        last occurrence's start, or the anchor's end, after which a match cannot overlap the anchor); and it
        starts with one of the pattern's first characters. A scan that tries only those positions, each after
        the end of the last match, finds the same matches.
        """
        out: list[Candidate] = []
        seen: set[tuple[int, int, int]] = set()
        regexes, scans = self._regex, self._scans
        sel = np.flatnonzero(ok)
        rows = zip(*(a.take(sel).tolist() for a in (a_s, a_e, a_rule, a_g, lo, first, last, hi)), strict=True)
        # One loop, no generator per anchor: this runs for every anchor that passes the literal screen.
        for start, end, rid, group, scan_from, pos, last_start, upto in rows:
            match, hop = scans[group]
            if match is None:  # may match empty, which changes how a scan advances: scan as the reference does
                for m in regexes[group].finditer(ntext, scan_from, upto):
                    ms, me = m.span()
                    if ms < end and me > start and (ms, me, rid) not in seen:
                        seen.add((ms, me, rid))
                        out.append(Candidate(ms, me, rid, m.groupdict().get("term") or m.group(0)))
                continue
            while pos < last_start:  # matches starting in [pos, last_start), as finditer finds them
                if hop is not None:  # only where one of the pattern's first characters stands
                    at = hop(ntext, pos, last_start)
                    if at is None:
                        break
                    pos = at.start()
                m = match(ntext, pos, upto)
                if m is None:
                    pos += 1
                    continue
                ms, me = m.span()
                pos = me
                if ms < end and me > start and (ms, me, rid) not in seen:
                    seen.add((ms, me, rid))
                    out.append(Candidate(ms, me, rid, m.groupdict().get("term") or m.group(0)))
        return out

    def _judge(self, text: str, fa: Folded, norm: Normalized, dropped: Ints, breaks: Ints, cs: Ints, ce: Ints,
               crule: Ints, lead: Mask, tail: Mask, fence: _Fences, markers: _Markers, disown: Ints,
               official: bool, keep: tuple[int, int] | None) -> tuple[Mask, Ints, Ints]:
        """TextAnalyzer._judge's yes/no for every candidate; also the original spans."""
        an = self.analyzer
        units, folded, index = fa.units, fa.folded, fa.index
        big, n = len(units), len(folded)
        os_ = index.take(cs)
        oe = index.take(ce - 1) + 1
        alive = np.ones(len(cs), dtype=bool)
        if keep is not None:
            alive &= (os_ >= keep[0]) & (os_ < keep[1])
        pinyin = lead | tail
        if pinyin.any():
            before = _LATIN_UNITS.take(units.take(np.maximum(os_ - 1, 0))) & (os_ > 0)
            after = _LATIN_UNITS.take(units.take(np.minimum(oe, big - 1))) & (oe < big)
            alive &= ~(lead & before) & ~(tail & after)
        alive &= ~fence.inside(NOT_INSIDE, crule, cs, ce)
        if official:
            alive &= ~self._ex_official.take(crule)

        # Dropped characters inside the hit: clause punctuation rejects it for rules that say breaks: false.
        idx = np.flatnonzero(alive & ((oe - os_) != (ce - cs)) & ~self._breaks.take(crule))
        for i, a, b in zip(idx.tolist(), os_[idx].tolist(), oe[idx].tolist(), strict=True):
            if spans_clause_break(text[a:b]):
                alive[i] = False

        # Word boundaries: jieba only where a dictionary word straddles an edge (on_boundary's own pre-check).
        mode = self._mode.take(crule)
        idx = np.flatnonzero(alive & (mode > 0) & ~pinyin)
        if len(idx):
            s_, e_ = cs.take(idx), ce.take(idx)
            hard_s, hard_e = hard_edges_batch(units, index, s_, e_, dropped)
            at_start = (s_ > 0) & ~hard_s & straddle_mask(folded, s_)
            at_end = np.zeros(len(idx), dtype=bool)
            strict = (mode.take(idx) == _MODE[Boundary.STRICT]) & (e_ < n) & ~hard_e
            at_end[strict] = straddle_mask(folded, e_[strict])
            sus = np.flatnonzero(at_start | at_end)
            modes = [c.rule.boundary for c in an.rules]
            for i, a, b, r, x, y, hs, he in zip(idx[sus].tolist(), s_[sus].tolist(), e_[sus].tolist(),
                                                crule[idx[sus]].tolist(), at_start[sus].tolist(),
                                                at_end[sus].tolist(), hard_s[sus].tolist(), hard_e[sus].tolist(),
                                                strict=True):
                if not cut_holds(norm.text, a, b, modes[r], x, y, hs, he):
                    alive[i] = False

        idx = np.flatnonzero(alive & self._ex_negation.take(crule))
        idx = idx[negation_screen(folded, cs.take(idx), an.context)]
        for i, a in zip(idx.tolist(), cs[idx].tolist(), strict=True):
            if negated(norm.text, a, an.context):
                alive[i] = False

        idx = np.flatnonzero(alive & self._ex_doc.take(crule))
        idx = idx[doc_number_screen(units, oe.take(idx), dropped)]
        for i, b in zip(idx.tolist(), oe[idx].tolist(), strict=True):
            if in_doc_number(text, b):
                alive[i] = False

        idx = np.flatnonzero(alive & self._ex_title.take(crule))
        idx = idx[title_screen(units, os_.take(idx), dropped)]
        for i, a, b in zip(idx.tolist(), os_[idx].tolist(), oe[idx].tolist(), strict=True):
            if in_official_title(text, a, b, an.context):
                alive[i] = False

        # Stated, not claimed: a prohibition marker earlier in the phrase (exact here: the fold is per character,
        # so the folded phrase holds a marker exactly when a marker occurrence lies inside it), or the term
        # quoted in a sentence with a marker (Python, for the hits with a quotation mark before them).
        idx = np.flatnonzero(alive & self._ex_prohibition.take(crule))
        if len(idx):
            o_s, o_e = os_.take(idx), oe.take(idx)
            lo, _ = clause_bounds_batch(units, o_s, o_e, breaks)
            prohibited = markers.between(phrase_starts_batch(units, o_s, lo, dropped), cs.take(idx))
            alive[idx[prohibited]] = False
            screened = quote_screen(units, o_s, dropped) | condemn_screen(text, norm, o_s, o_e, an.context, disown)
            sus = np.flatnonzero(~prohibited & screened)
            for i, a, b in zip(idx[sus].tolist(), o_s[sus].tolist(), o_e[sus].tolist(), strict=True):
                if condemned(text, a, b, an.context) or mentioned(text, a, b, an.context):
                    alive[i] = False
        # Part of an enterprise's registered name, for the rules that say so (郑州市第一建筑工程有限责任公司).
        for i in np.flatnonzero(alive & self._enterprise_ignore.take(crule)).tolist():
            if begins_enterprise_name(text, int(oe[i])):
                alive[i] = False
        # An ordinal opening a list (第一，…第二，…), as _judge: only a 第一 followed by a dropped mark can be one.
        two = np.flatnonzero(alive & ((ce - cs) == 2) & (oe < big))
        two = two[(folded.take(cs.take(two)) == _DI) & (folded.take(cs.take(two) + 1) == _YI)]
        for i in two.tolist():
            if enumerates(text, int(os_[i]), int(oe[i])):
                alive[i] = False
        return alive, os_, oe


def spans_clause_break(evidence: str) -> bool:
    """Clause punctuation inside a hit's original characters (line breaks are layout, not clauses)."""
    return any(ch in CLAUSE_BREAKS and ch not in "\n\r" for ch in evidence)


def _outermost(cat: Ints, cs: Ints, ce: Ints) -> Mask:
    """TextAnalyzer._outermost over candidates sorted by (category, start, -end): which to judge.

    Within a category, a candidate is dropped when it ends inside the longest reach so far and is not
    that reaching candidate's exact span (equal spans from two rules are both judged).
    """
    if len(cs) < 2:
        return np.ones(len(cs), dtype=bool)
    key = cat * (int(ce.max()) + 1) + ce  # categories never share a running maximum
    reach = np.maximum.accumulate(key)
    before = np.concatenate([[-1], reach[:-1]])
    # Which candidate set each running maximum: the first to reach it (ties do not move it).
    setter = np.maximum.accumulate(np.where(key > before, np.arange(len(key)), 0))
    prev = np.concatenate([[0], setter[:-1]])
    same = (cs == cs.take(prev)) & (ce == ce.take(prev))
    return (key > before) | same


class _Occurrences:
    """Occurrences of literal sets: does set k occur inside [lo, hi)?"""

    def __init__(self, starts: Ints, ends: Ints, sets: Ints, n: int) -> None:
        self._big = n + 2
        key = sets * self._big + starts
        order = np.argsort(key, kind="stable")
        self._key = key[order]
        # Per set, the smallest end among occurrences starting at or after each one (suffix minimum).
        self._min_end = np.minimum.accumulate((sets * self._big + ends)[order][::-1])[::-1]

    def bounds(self, sets: Ints, lo: Ints, hi: Ints) -> tuple[Mask, Ints, Ints]:
        """(does set k occur inside [lo, hi)?, the smallest end of its occurrences starting at or after
        lo, the largest start before hi); the two positions are meaningful only where it occurs."""
        if not len(self._key):
            return np.zeros(len(sets), dtype=bool), lo, hi
        base = sets * self._big
        key, size = self._key, len(self._key)
        at = np.searchsorted(key, base + lo)
        min_end = self._min_end.take(np.minimum(at, size - 1)) - base
        # The first key at or past hi: windows are short and hold few occurrences of a set, so stepping on from
        # ``at`` is quicker than a second binary search over all occurrences.
        upto = at.copy()
        top = base + hi
        step = np.flatnonzero(upto < size)
        step = step[key.take(upto.take(step)) < top.take(step)]
        while len(step):
            upto[step] += 1
            step = step[upto.take(step) < size]
            step = step[key.take(upto.take(step)) < top.take(step)]
        max_start = key.take(np.maximum(upto - 1, 0)) - base
        return (at < size) & (min_end <= hi), min_end, max_start


class _Markers:
    """Prohibition-marker occurrences: does one lie between original offset ``lo`` and normalised ``end``?

    The check (``rules.prohibition.search(ntext, nlo, start)``) wants a marker inside normalised [nlo, start);
    a marker starts at or after nlo exactly when its original start is at or after lo.
    """

    def __init__(self, starts: Ints, ends: Ints) -> None:
        """``starts``: original offsets of the markers' first characters; ``ends``: normalised ends."""
        order = np.argsort(ends, kind="stable")
        self._ends = ends[order]
        self._latest_start = np.maximum.accumulate(starts[order]) if len(order) else starts

    def between(self, lo: Ints, end: Ints) -> Mask:
        if not len(self._ends):
            return np.zeros(len(lo), dtype=bool)
        last = np.searchsorted(self._ends, end, side="right") - 1
        return (last >= 0) & (self._latest_start.take(np.maximum(last, 0)) >= lo)


class _Fences:
    """not_inside / review_inside phrase hits, in the automaton's order."""

    def __init__(self, starts: Ints, ends: Ints, rules: Ints, roles: Ints, longest: int) -> None:
        self._starts, self._ends, self._rules, self._roles = starts, ends, rules, roles
        self._longest = longest
        self._by_rule: dict[int, tuple[list[int], list[tuple[int, int, int, int]]]] | None = None

    def inside(self, role: int, crule: Ints, cs: Ints, ce: Ints) -> Mask:
        """Is each candidate inside a phrase of that role (not_inside, review_inside) of its own rule?"""
        pick = self._roles == role
        if not pick.any() or not len(cs):
            return np.zeros(len(cs), dtype=bool)
        big = int(max(self._ends.max(), ce.max())) + 2
        key = self._rules[pick] * big + self._starts[pick]
        order = np.argsort(key, kind="stable")
        key = key[order]
        # Per rule, the furthest end among phrases starting at or before each one.
        reach = np.maximum.accumulate((self._rules[pick] * big + self._ends[pick])[order])
        last = np.searchsorted(key, crule * big + cs, side="right") - 1
        return (last >= 0) & (reach.take(np.maximum(last, 0)) >= crule * big + ce)

    def around(self, rid: int, start: int, end: int) -> list[tuple[int, int, int]]:
        """The phrases of rule ``rid`` holding [start, end), in the automaton's order (for _judge)."""
        if self._by_rule is None:
            self._by_rule = {}
        if rid not in self._by_rule:
            # Only the rules of built findings are asked for: index each on first use (numpy), not all up front.
            mine = np.flatnonzero(self._rules == rid)
            mine = mine[np.argsort(self._starts.take(mine), kind="stable")]
            keys = self._starts.take(mine).tolist()
            self._by_rule[rid] = (keys, list(zip(mine.tolist(), keys, self._ends.take(mine).tolist(),
                                                 self._roles.take(mine).tolist(), strict=True)))
        keys, items = self._by_rule[rid]
        lo, hi = bisect.bisect_left(keys, end - self._longest), bisect.bisect_right(keys, start)
        holding = sorted(item for item in items[lo:hi] if item[2] >= end)
        return [(fs, fe, kind) for _, fs, fe, kind in holding]

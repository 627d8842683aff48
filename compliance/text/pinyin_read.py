"""Reading pinyin back into characters, so that patterns see the claim: 七天拿zheng, 一周na证, ren社局指定.

The automaton already matches pinyin forms of literal terms (bao过). Patterns (a number + 天拿证, an organ + 指定)
cannot list every spelling, so a short text whose Latin letters sit against Chinese characters is read a second
time with each such run of pinyin syllables written as the characters the rules use with that reading. Each run
is replaced by its characters plus zero-width joiners up to the run's length: the fold drops the joiners, so the
second reading has the same offsets as the original and every finding's evidence is the original text (七天拿zheng).
Only findings that cover a replaced run are kept, and only those the first reading did not make.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from itertools import product

from pypinyin import lazy_pinyin

from compliance.contract import Finding
from compliance.text.analyzer import TextAnalyzer

_ZWJ = "\u200d"
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]{1,18}")
MAX_CHOICES = 3  # characters tried per syllable (the rules' most frequent ones with that reading)
MAX_READINGS = 24  # readings tried per text
MAX_SYLLABLES = 3  # per run: ren社 / renshe部; longer Latin runs are words, not stand-ins
_GAP = " \t\u3000"
_CHAIN_PUNCT = ",，、"
_CHAIN_SYLLABLES = 3


@lru_cache(maxsize=8)
def syllable_table(analyzer: TextAnalyzer) -> dict[str, tuple[str, ...]]:
    """Reading → the rules' characters with that reading, most used first (from terms, anchors and patterns)."""
    counts: Counter[str] = Counter()
    for comp in analyzer.rules:
        rule = comp.rule
        texts = [*rule.terms, *(p.regex for p in rule.patterns), *(a for p in rule.patterns for a in p.anchors)]
        for t in texts:
            counts.update(_HAN.findall(t))
    table: dict[str, list[str]] = {}
    for ch, _ in counts.most_common():
        reading = lazy_pinyin(ch)[0]
        if reading.isascii() and reading.isalpha():
            table.setdefault(reading, []).append(ch)
    return {k: tuple(v[:MAX_CHOICES]) for k, v in table.items()}


@lru_cache(maxsize=8)
def bigram_table(analyzer: TextAnalyzer) -> Counter[str]:
    """Pairs of characters that stand next to each other in the rules' terms, anchors and patterns (考不, 不过)."""
    pairs: Counter[str] = Counter()
    for comp in analyzer.rules:
        rule = comp.rule
        for t in (*rule.terms, *(p.regex for p in rule.patterns), *(a for p in rule.patterns for a in p.anchors)):
            for run in re.findall(r"[\u3400-\u9fff]{2,}", t):
                pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    return pairs


def _likeliest(runs: list[tuple[int, int, list[str]]], table: dict[str, tuple[str, ...]],
               pairs: Counter[str]) -> list[tuple[str, ...]]:
    """Per run, the characters the rules make likeliest for its syllables, read as one sequence across the runs
    (Viterbi over the rules' character pairs, ties to the more used character): kao bu guo → 考不过, not 考部国."""
    syllables = [s for _, _, syl in runs for s in syl]
    # best[c] = (score, path) of the likeliest reading ending in character c at the current syllable.
    best: dict[str, tuple[float, list[str]]] = {
        ch: (-0.01 * rank, [ch]) for rank, ch in enumerate(table[syllables[0]])}
    for syl in syllables[1:]:
        step: dict[str, tuple[float, list[str]]] = {}
        for rank, ch in enumerate(table[syl]):
            score, path = max(((sc + math.log1p(pairs[prev + ch]), p) for prev, (sc, p) in best.items()),
                              key=lambda t: t[0])
            step[ch] = (score - 0.01 * rank, [*path, ch])
        best = step
    path = max(best.values(), key=lambda t: t[0])[1]
    out, i = [], 0
    for _, _, syl in runs:
        out.append(tuple(path[i : i + len(syl)]))
        i += len(syl)
    return out


def _syllables(run: str, table: dict[str, tuple[str, ...]]) -> list[str] | None:
    """``run`` split into readings of the table (longest first), or None when it is not all pinyin."""
    out: list[str] = []
    i = 0
    while i < len(run):
        for size in range(min(6, len(run) - i), 0, -1):
            if run[i : i + size] in table:
                out.append(run[i : i + size])
                i += size
                break
        else:
            return None
        if len(out) > MAX_SYLLABLES:
            return None
    return out


def _runs(text: str, table: dict[str, tuple[str, ...]]) -> list[tuple[int, int, list[str]]]:
    """Latin runs that read as pinyin and stand for characters: (start, end, syllables). A run counts beside
    Chinese characters (七天拿zheng, 合肥 baoguo 班: a space between is no boundary), or inside a chain of pinyin runs
    with only spaces or punctuation between them, three syllables or more in all (kao bu guo tui kuan): a sentence
    written in pinyin, which English seldom makes (its words rarely all read as syllables)."""
    runs: list[tuple[int, int, list[str], bool]] = []
    for m in _LATIN_RUN.finditer(text):
        a, b = m.span()
        before, after = text[:a].rstrip(_GAP)[-1:], text[b:].lstrip(_GAP)[:1]
        # A single letter (A级, e学) stands for a syllable only inside a chain (quan e tui kuan).
        beside = b - a > 1 and bool(_HAN.match(before) or _HAN.match(after))
        # Full-width letters read like ASCII (ＺＨＥＮＧ).
        run = "".join(chr(ord(c) - 0xFEE0) if c > "\uff00" else c for c in m.group()).lower()
        syl = _syllables(run, table)
        if syl:
            runs.append((a, b, syl, beside))
    found: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(runs):
        j = i + 1  # the chain of runs from i: pinyin runs separated by gaps only
        while j < len(runs) and not text[runs[j - 1][1]:runs[j][0]].strip(_GAP + _CHAIN_PUNCT):
            j += 1
        chain = runs[i:j]
        long_chain = len(chain) >= 2 and sum(len(r[2]) for r in chain) >= _CHAIN_SYLLABLES
        found += [(a, b, syl) for a, b, syl, beside in chain if beside or long_chain]
        i = j
    return found


def _readings(choices: list[list[tuple[str, ...]]]) -> list[tuple[tuple[str, ...], ...]]:
    """At most MAX_READINGS combinations of the runs' choices, likeliest first: every run at its first choice,
    then one run at a time at each of its other choices (the rest at their first): a misread run is one run
    away from the reading, wherever it stands (the plain product would vary only the last runs)."""
    base = tuple(c[0] for c in choices)
    out = [base]
    for i, options in enumerate(choices):
        for option in options[1:]:
            out.append((*base[:i], option, *base[i + 1:]))
            if len(out) >= MAX_READINGS:
                return out
    return out


def pinyin_findings(analyzer: TextAnalyzer, text: str, found: list[Finding], *, official: bool) -> list[Finding]:
    """Findings that appear when the pinyin runs of ``text`` are read as characters, beyond ``found``."""
    table = syllable_table(analyzer)
    runs = _runs(text, table)
    if not runs:
        return []
    have = {(f.rule_id, f.location.start, f.location.end) for f in found}
    # One reading per combination of character choices, most likely first, at most MAX_READINGS.
    choices = [list(product(*(table[s] for s in syl))) for _, _, syl in runs]
    # The likeliest reading first (it is every run's first choice in _readings).
    for options, first in zip(choices, _likeliest(runs, table, bigram_table(analyzer)), strict=True):
        options.remove(first)
        options.insert(0, first)
    extra: dict[tuple[str, int | None, int | None], Finding] = {}
    rank: dict[tuple[str, int | None, int | None], int] = {}  # the reading each finding came from (0: likeliest)
    for n, combo in enumerate(_readings(choices)):
        pieces, pos = [], 0
        for (a, b, _), chars in zip(runs, combo, strict=True):
            word = "".join(chars)
            pieces += [text[pos:a], word, _ZWJ * (b - a - len(word))]
            pos = b
        if any(b - a < len("".join(c)) for (a, b, _), c in zip(runs, combo, strict=True)):
            continue  # more characters than letters: the offsets could not be kept
        reading = "".join(pieces) + text[pos:]
        for f in analyzer.analyze(reading, official=official):
            start, end = f.location.start or 0, f.location.end or 0
            if not any(start < b and end > a for a, b, _ in runs):
                continue
            # A replaced run's characters sit at its first offsets: the evidence takes the whole run (拿zheng).
            for a, b, _ in runs:
                if a < start < b:
                    start = a
                if a < end < b:
                    end = b
            key = (f.rule_id, start, end)
            if key in have or key in extra:
                continue
            f.location.start, f.location.end = start, end
            f.evidence = text[start:end]
            f.context = text[max(0, start - 24) : end + 24]
            read = ", ".join(f"{text[a:b]}→{''.join(c)}" for (a, b, _), c in zip(runs, combo, strict=True)
                             if start < b and end > a)
            f.notes = [n for n in f.notes if "separators" not in n] + [f"pinyin read as characters: {read}"]
            f.confidence = round(f.confidence * 0.85, 3)
            extra[key] = f
            rank[key] = n

    def span(f: Finding) -> tuple[int, int]:
        return f.location.start or 0, f.location.end or 0

    def beats(g: Finding, f: Finding) -> bool:
        """Of two findings of one category over the same run, the likelier reading's wins (baoguo is 包过 before
        it is 保果); from one reading, the longer (考不过退款 over 不过退款)."""
        (gs, ge), (fs, fe) = span(g), span(f)
        if g is f or g.category != f.category or not (gs < fe and fs < ge):
            return False
        gk, fk = (g.rule_id, gs, ge), (f.rule_id, fs, fe)
        if rank[gk] != rank[fk]:
            return rank[gk] < rank[fk]
        return gs <= fs and fe <= ge and ge - gs > fe - fs

    found_extra = list(extra.values())
    return [f for f in found_extra if not any(beats(g, f) for g in found_extra)]

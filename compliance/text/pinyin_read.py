"""Reading pinyin back into characters, so that patterns see the claim: 七天拿zheng, 一周na证, ren社局指定.

The automaton already matches pinyin forms of literal terms (bao过). Patterns (a number + 天拿证, an organ + 指定)
cannot list every spelling, so a short text whose Latin letters sit against Chinese characters is read a second
time with each such run of pinyin syllables written as the characters the rules use with that reading. Each run
is replaced by its characters plus zero-width joiners up to the run's length: the fold drops the joiners, so the
second reading has the same offsets as the original and every finding's evidence is the original text (七天拿zheng).
Only findings that cover a replaced run are kept, and only those the first reading did not make.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import product

from pypinyin import lazy_pinyin

from compliance.contract import Finding
from compliance.text.analyzer import TextAnalyzer

_ZWJ = "\u200d"
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]{2,18}")
MAX_CHOICES = 3  # characters tried per syllable (the rules' most frequent ones with that reading)
MAX_READINGS = 12  # readings tried per text
MAX_SYLLABLES = 3  # per run: ren社 / renshe部; longer Latin runs are words, not stand-ins


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
    """Latin runs standing against Chinese characters that read as pinyin: (start, end, syllables)."""
    found = []
    for m in _LATIN_RUN.finditer(text):
        a, b = m.span()
        beside = (a > 0 and _HAN.match(text[a - 1])) or (b < len(text) and _HAN.match(text[b]))
        if not beside:
            continue
        # Full-width letters read like ASCII (ＺＨＥＮＧ).
        run = "".join(chr(ord(c) - 0xFEE0) if c > "\uff00" else c for c in m.group()).lower()
        syl = _syllables(run, table)
        if syl:
            found.append((a, b, syl))
    return found


def pinyin_findings(analyzer: TextAnalyzer, text: str, found: list[Finding], *, official: bool) -> list[Finding]:
    """Findings that appear when the pinyin runs of ``text`` are read as characters, beyond ``found``."""
    table = syllable_table(analyzer)
    runs = _runs(text, table)
    if not runs:
        return []
    have = {(f.rule_id, f.location.start, f.location.end) for f in found}
    # One reading per combination of character choices, most likely first, at most MAX_READINGS.
    choices = [list(product(*(table[s] for s in syl))) for _, _, syl in runs]
    extra: dict[tuple[str, int | None, int | None], Finding] = {}
    for n, combo in enumerate(product(*choices)):
        if n >= MAX_READINGS:
            break
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
    return list(extra.values())

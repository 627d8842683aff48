"""The batch path (compliance/text/batch.py) against the one-candidate-at-a-time definition.

TextAnalyzer.scan judges all candidates of a long text at once and builds only the findings it reports;
analyze_reference applies _judge to every candidate. They must agree on every finding, field for field,
and on the counts. The vectorised pieces (key matcher, screens, literal requirements) are checked
against the scalar functions they stand in for.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import ahocorasick
import numpy as np
import pytest

from compliance.text.boundary import _dictionary, _straddles, straddle_mask
from compliance.text.context import (
    clause_bounds,
    clause_bounds_batch,
    doc_number_screen,
    hard_edges,
    hard_edges_batch,
    in_doc_number,
    in_official_title,
    in_quotes,
    negated,
    negation_screen,
    phrase_start,
    phrase_starts_batch,
    quote_screen,
    sentence_bounds,
    title_screen,
)
from compliance.text.matcher import KeyMatcher
from compliance.text.normalize import fold_arrays, normalize
from compliance.text.required import first_chars, max_width, regex_requirements

REPO = Path(__file__).resolve().parents[2]
FILLER = ["。", "，", "\n", " ", "！", "“", "”", "《", "》", "〔2024〕3号", "（", "）", "abc", "12", "、", "：", ""]


def _texts(checker) -> list[str]:
    out: list[str] = []
    for rule in checker.ruleset.rules:
        out += rule.examples.flag + rule.examples.ok
    for path in (REPO / "fixtures").rglob("*"):
        if path.suffix == ".jsonl":
            out += [json.loads(line).get("text", "") for line in path.read_text("utf-8").splitlines() if line.strip()]
        elif path.suffix in (".txt", ".md") and path.parent.name == "samples":
            out.append(path.read_text("utf-8", errors="replace"))
    return [t for t in dict.fromkeys(out) if t]


def _mixes(texts: list[str], n: int, seed: int) -> list[str]:
    """Long texts stitched from the examples with punctuation, quotes, titles and document numbers between."""
    rng = random.Random(seed)
    return ["".join(rng.choice(texts) + rng.choice(FILLER) for _ in range(rng.randint(20, 200))) for _ in range(n)]


def _dump(findings):
    return [f.model_dump(mode="json") for f in findings]


@pytest.fixture(scope="module")
def analyzer(checker):
    return checker.analyzer


@pytest.fixture(scope="module")
def corpus(checker):
    texts = _texts(checker)
    return texts + _mixes(texts, 60, seed=1)


def _scan(analyzer, text, **kw):
    saved = analyzer.batch_from
    analyzer.batch_from = 0  # force the batch path, short texts included
    try:
        return analyzer.scan(text, **kw)
    finally:
        analyzer.batch_from = saved


def test_batch_equals_reference(analyzer, corpus):
    differ = []
    for text in corpus:
        got = _scan(analyzer, text)
        want = analyzer.analyze_reference(text)
        if _dump(got.findings) != _dump(want):
            differ.append(text[:60])
            continue
        assert got.counts == dict(Counter(f.category.value for f in want)), text[:60]
        assert got.statuses == dict(Counter(f.status.value for f in want)), text[:60]
    assert not differ, differ[:5]


@pytest.mark.parametrize("official", [None, True, False])
def test_batch_equals_reference_in_windows(analyzer, corpus, official):
    """Streaming windows: only hits starting in ``keep`` are reported, offsets shifted."""
    text = "".join(corpus[-5:])
    for lo in range(0, min(len(text), 6000), 911):
        kw = {"keep": (lo, lo + 1500), "offset": 1000 + lo, "official": official}
        assert _dump(_scan(analyzer, text, **kw).findings) == _dump(analyzer.analyze_reference(text, **kw))


def test_limit_builds_the_first_findings_and_counts_all(analyzer, corpus):
    text = "".join(corpus[-3:])
    full = _scan(analyzer, text)
    assert full.total > 5
    for limit in (0, 1, 5):
        part = _scan(analyzer, text, limit=limit)
        assert _dump(part.findings) == _dump(full.findings[:limit])
        assert (part.counts, part.statuses) == (full.counts, full.statuses)


def test_short_texts_take_the_reference_path_with_the_same_answer(analyzer):
    text = "叉车司机证快速班，包过，七天拿证。"
    assert len(text) < analyzer.batch_from
    assert _dump(analyzer.scan(text).findings) == _dump(_scan(analyzer, text).findings)


def test_key_matcher_finds_what_the_automaton_finds(analyzer, corpus):
    keys = [*list(analyzer.automaton.keys()), "x", "中", "包过包过", "𠀀字"]
    matcher = KeyMatcher(keys)
    automaton = ahocorasick.Automaton()
    for kid, key in enumerate(keys):
        automaton.add_word(key, kid)
    automaton.make_automaton()
    for text in [*corpus[-10:], "", "x", "包过包过包过", "中中中"]:
        folded = normalize(text).text
        want = sorted((end - len(keys[k]) + 1, k) for end, k in automaton.iter(folded)) if folded else []
        starts, kids = matcher.find(fold_arrays(text).folded)
        assert sorted(zip(starts.tolist(), kids.tolist(), strict=True)) == want


def test_requirements_hold_for_every_match(checker, corpus):
    """Every match of a rule regex, from any start, contains a string of each requirement set, starts with a
    character of first_chars and is no longer than max_width."""
    folded = [normalize(t).text for t in corpus]
    for rule in checker.ruleset.rules:
        for pattern in rule.patterns:
            regex = re.compile(pattern.regex)
            reqs = regex_requirements(pattern.regex)
            first = first_chars(pattern.regex)
            width = max_width(pattern.regex)
            for text in folded:
                for start in range(len(text)):
                    m = regex.match(text, start)
                    if m is None or m.end() == m.start():
                        continue
                    span = m.group(0)
                    assert all(any(w in span for w in req) for req in reqs), (rule.id, span, reqs)
                    assert first is None or span[0] in first, (rule.id, span)
                    assert width is None or len(span) <= width, (rule.id, span)


def test_requirements_of_constructed_patterns():
    assert regex_requirements("(?:包|保)过") == [frozenset({"包过", "保过"})]
    assert regex_requirements("(?i)包过") == []
    assert regex_requirements("(a)\\1bc") == []
    assert frozenset({"颁发", "认证"}) in regex_requirements("(?:人社|劳动)?(?:部|局)(?:统一)?(?:颁发|认证)")
    assert first_chars("(?:原)?(?:人社|劳动)") == frozenset("原人劳")
    assert first_chars("a?") is None and first_chars(".b") is None
    assert max_width("ab+") is None and max_width("a(?:bc|d)?") == 3


def test_straddle_mask_is_the_scalar_precheck(corpus):
    freq = _dictionary()
    rng = random.Random(3)
    for text in corpus[-5:]:
        fa = fold_arrays(text)
        norm = fa.normalized().text
        edges = np.array(sorted({0, 1, len(norm), *(rng.randrange(len(norm) + 1) for _ in range(300))}),
                         dtype=np.intp)
        want = [_straddles(norm, int(e), freq) for e in edges]
        assert straddle_mask(fa.folded, edges).tolist() == want


def test_context_screens_cover_their_checks(analyzer, corpus):
    ctx = analyzer.context
    rng = random.Random(5)
    for text in [*corpus[-8:], "依据《中华人民共和国广告法》第二十四条", "人社部发 〔2024〕29号", "严禁使用“国家”字样",
                 "宣传“通过率100%”属于违法。本班包过。程老师授课", "他说\"包过\"，‘国家认可’！",
                 "拒绝虚假宣传 考试包过：严禁\u3000使用国家字样\t保过"]:
        fa = fold_arrays(text)
        norm = fa.normalized()
        n = len(norm.text)
        if n < 3:
            continue
        s = np.array(sorted(rng.sample(range(n - 1), min(200, n - 1))), dtype=np.intp)
        e = np.minimum(s + 2, n)
        os_, oe = fa.index.take(s), fa.index.take(e - 1) + 1
        lo, hi = clause_bounds_batch(fa.units, os_, oe)
        assert list(zip(lo.tolist(), hi.tolist(), strict=True)) == [
            clause_bounds(text, a, b) for a, b in zip(os_.tolist(), oe.tolist(), strict=True)]
        assert phrase_starts_batch(fa.units, os_, lo).tolist() == [
            phrase_start(text, a, c) for a, c in zip(os_.tolist(), lo.tolist(), strict=True)]
        hs, he = hard_edges_batch(fa.units, fa.index, s, e)
        assert list(zip(hs.tolist(), he.tolist(), strict=True)) == [
            hard_edges(text, norm, a, b) for a, b in zip(s.tolist(), e.tolist(), strict=True)]
        quotes = quote_screen(fa.units, os_)
        titles, numbers = title_screen(fa.units, os_), doc_number_screen(fa.units, oe)
        negations = negation_screen(fa.folded, s, ctx)
        for i, (a, b, ns) in enumerate(zip(os_.tolist(), oe.tolist(), s.tolist(), strict=True)):
            assert quotes[i] or not in_quotes(text, a, b, *sentence_bounds(text, a, b))
            assert titles[i] or not in_official_title(text, a, b, ctx)
            assert numbers[i] or not in_doc_number(text, b)
            assert negations[i] or not negated(norm.text, ns, ctx)

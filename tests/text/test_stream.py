"""Windowed analysis must find exactly what one pass over the whole text finds, wherever the windows fall."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compliance.checker import Checker
from compliance.contract import Category
from compliance.rules.loader import load_rules
from compliance.settings import Settings
from compliance.text.stream import analyze_stream

CHUNK = 10_000
# Windows only start once the document head (20,000 characters) is known, so texts must be longer than that.
EDGES = (10_000, 20_000, 30_000, 40_000)
_RULES = load_rules()

NEUTRAL = ["本期课程内容丰富，", "老师认真负责。", "学员学习氛围良好，", "上课地点在二楼教室。", "每周安排实操练习，",
           "欢迎大家按时参加。", "课后可以向老师提问；", "教材由学校统一发放。"]
PHRASES = ["考试未通过，全额退还培训费用", "七天拿证", "不过包退", "人社部颁发", "100%通过", "中华人民共和国",
           "國家認可", "包\u200b过", "bao过", "保 证 通 过", "学员包\n过"]
ALL_TERMS = sorted({t for r in _RULES.rules if r.report == "finding" for t in r.terms}) + PHRASES


@pytest.fixture(scope="module")
def small_chunks(checker) -> Checker:
    return Checker(Settings(chunk_chars=CHUNK), ruleset=checker.ruleset)


def _filler(sentences: list[str], length: int) -> str:
    unit = "".join(sentences)
    return (unit * (length // len(unit) + 1))[:length]


def _place(text: str, placements) -> str:
    for term, edge, shift in placements:
        pos = min(max(0, edge + shift), len(text) - len(term))
        text = text[:pos] + term + text[pos + len(term):]
    return text


def _keys(findings):
    return sorted((f.rule_id, f.location.start, f.location.end) for f in findings)


def _pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(text)}), len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


def _assert_same_as_one_pass(checker, small_chunks, text, cuts):
    assert len(text) > 20_000 + CHUNK // 2
    whole = _keys(checker.analyzer.analyze(text))
    assert _keys(small_chunks.check_text(text).findings) == whole
    streamed = analyze_stream(checker.analyzer, _pieces(text, cuts), chunk_chars=CHUNK, max_findings=10**6)
    assert _keys(streamed.findings) == whole
    assert streamed.characters == len(text)
    for f in streamed.findings:
        assert text[f.location.start:f.location.end] == f.evidence


def test_neutral_filler_has_no_findings(checker):
    assert checker.analyzer.analyze(_filler(NEUTRAL, 3_000)) == []


_SENTENCES = st.lists(st.sampled_from(NEUTRAL), min_size=2, max_size=8)
_LENGTH = st.integers(20_000 + CHUNK // 2 + 100, 41_000)
_CUTS = st.lists(st.integers(1, 41_000), max_size=6)


@given(
    sentences=_SENTENCES,
    length=_LENGTH,
    placements=st.lists(
        st.tuples(st.sampled_from(ALL_TERMS), st.sampled_from(EDGES), st.integers(-10, 3)), min_size=1, max_size=6
    ),
    cuts=_CUTS,
)
@settings(max_examples=60, deadline=None)
@example(sentences=NEUTRAL[:2], length=30_000, placements=[("零基础包拿证", 10_000, -3)], cuts=[])
def test_stream_equals_one_pass_with_terms_at_chunk_edges(checker, small_chunks, sentences, length, placements, cuts):
    text = _place(_filler(sentences, length), placements)
    _assert_same_as_one_pass(checker, small_chunks, text, cuts)


@pytest.mark.parametrize("start", [CHUNK - 2, CHUNK - 1, CHUNK, 2 * CHUNK - 1])
def test_term_across_a_chunk_edge_is_found_once(small_chunks, start):
    # Neutral words around the term, so that the filler cut at the edge cannot join it (发包过期).
    text = _place(_filler(NEUTRAL, 35_000), [("。本班包\u200b过，欢迎报名。", start - 3, 0)])
    found = small_chunks.check_text(text).findings
    assert [(f.rule_id, f.location.start, f.location.end, f.evidence) for f in found] == [
        ("guarantee_pass.bao_guo", start, start + 3, "包\u200b过")
    ]


def test_longer_term_across_a_chunk_edge_is_one_finding(checker, small_chunks):
    text = _place(_filler(NEUTRAL, 30_000), [("零基础包拿证", CHUNK - 3, 0)])
    assert _keys(checker.analyzer.analyze(text)) == [("guarantee_pass.bao_guo", CHUNK - 3, CHUNK + 3)]
    assert _keys(small_chunks.check_text(text).findings) == [("guarantee_pass.bao_guo", CHUNK - 3, CHUNK + 3)]


def test_truncation_keeps_counts_complete(checker):
    text = "本班包过。" * 10
    result = analyze_stream(checker.analyzer, [text], chunk_chars=CHUNK, max_findings=3)
    assert len(result.findings) == 3
    assert result.counts[Category.GUARANTEE_PASS.value] == 10
    assert result.truncated
    assert [f.location.start for f in result.findings] == [2, 7, 12]


def test_no_truncation_below_the_limit(checker):
    result = analyze_stream(checker.analyzer, ["本班包过。" * 3], chunk_chars=CHUNK, max_findings=3)
    assert len(result.findings) == 3
    assert not result.truncated


def test_empty_and_split_inputs(checker):
    assert analyze_stream(checker.analyzer, [], chunk_chars=CHUNK, max_findings=10).findings == []
    assert analyze_stream(checker.analyzer, ["", ""], chunk_chars=CHUNK, max_findings=10).characters == 0
    # A term split between two pieces of input is found once, at its place in the whole.
    result = analyze_stream(checker.analyzer, ["本班", "包", "", "过。"], chunk_chars=CHUNK, max_findings=10)
    assert [(f.location.start, f.location.end, f.evidence) for f in result.findings] == [(2, 4, "包过")]
    assert result.characters == 5


def test_page_and_origin_are_stamped_on_findings(checker):
    from compliance.contract import Origin

    result = analyze_stream(checker.analyzer, ["本班包过"], chunk_chars=CHUNK, max_findings=10, page=3,
                            origin=Origin.OCR)
    assert [(f.location.page, f.location.origin) for f in result.findings] == [(3, Origin.OCR)]


def test_observations_in_windows_equal_one_pass(checker, small_chunks):
    """The observer runs over the same windows as the findings (one fold for both): it must still report what
    it reports over the whole text in one pass, terms at window edges included."""
    observed = "职业技能等级证书"
    text = _place(_filler(NEUTRAL, 45_000), [(observed, edge, shift) for edge in EDGES for shift in (-5, -1, 0)]
                  + [("本班包过", 25_000, 0)])
    whole = checker.observer.analyze(text)
    assert whole
    report = small_chunks.check_text(text)
    assert [(o.kind, o.location.start, o.location.end, o.text) for o in report.observations] == [
        (f.rule_id, f.location.start, f.location.end, f.evidence) for f in whole]
    assert _keys(report.findings) == _keys(checker.analyzer.analyze(text))

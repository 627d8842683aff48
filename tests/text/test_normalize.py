"""Folding and the offset index: every kept character maps back to exactly one original character."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.text.normalize import fold, fold_table, normalize

# Text drawn from every plane, plus the characters evasion uses most.
_SPECIAL = st.sampled_from(
    [*"包过保學員過證書國家ＡＢＣａｂｃ１２３ABCabc \u3000\u200b\u200c\u200d\ufeff，。、！？“”《》〔〕【】❤★※\n\r\t",
     "😀", "👍", "\U0002a6a5", "❤️", "\ud800", "\udfff"]
)
_TEXT = st.lists(st.one_of(st.characters(), _SPECIAL), max_size=60).map("".join)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_index_maps_every_folded_character_back(text):
    table = fold_table()
    norm = normalize(text)
    index = norm.index.tolist()
    assert len(index) == len(norm.text)
    assert all(a < b for a, b in pairwise(index)), "index must be strictly increasing"
    assert all(0 <= i < len(text) for i in index)
    for pos, ch in zip(index, norm.text, strict=True):
        assert table.fold_char(text[pos]) == ch
    # Every original character that is not in the index is a separator (folds to nothing).
    kept = set(index)
    assert all(table.fold_char(c) == "" for i, c in enumerate(text) if i not in kept)


@given(_TEXT)
@settings(max_examples=100, deadline=None)
def test_fold_is_idempotent_and_per_character(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == "".join(fold_table().fold_char(c) for c in text)


@given(_TEXT, _TEXT)
@settings(max_examples=100, deadline=None)
def test_normalize_is_compositional(a, b):
    """Folding is per character, so a text cut anywhere folds to the two halves' folds, offsets shifted."""
    whole, left, right = normalize(a + b), normalize(a), normalize(b)
    assert whole.text == left.text + right.text
    assert whole.index.tolist() == left.index.tolist() + [i + len(a) for i in right.index.tolist()]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＡＢＣ１２３", "abc123"),  # full-width forms
        ("ＢＡＯ过", "bao过"),
        ("BAO过 Bao过", "bao过bao过"),  # case
        ("學員包過", "学员包过"),  # traditional -> simplified
        ("職業資格證書", "职业资格证书"),
        ("國家認可", "国家认可"),
        ("中華人民共和國", "中华人民共和国"),
    ],
)
def test_fold_full_width_case_and_traditional(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize(
    "separator",
    [" ", "\u3000", "\t", "\n", "\r\n", "，", "。", "、", ",", ".", "!", "“", "”", "《", "》", "【", "】",
     "\u200b", "\u200c", "\u200d", "\ufeff", "😀", "❤", "❤️", "★", "※", "+", "-", "_", "/"],
)
def test_separators_are_dropped(separator):
    norm = normalize(f"包{separator}过")
    assert norm.text == "包过"
    assert norm.index.tolist() == [0, 1 + len(separator)]


def test_astral_characters_count_as_one_offset():
    # Offsets are Python string positions (code points), not UTF-16 units: 😀 is one position.
    text = "😀😀包😀过"
    norm = normalize(text)
    assert norm.text == "包过"
    assert norm.index.tolist() == [2, 4]
    assert norm.span(0, 2) == (2, 5)
    assert text[2:5] == "包😀过"


def test_squared_ideographs_that_stand_for_words_are_read_and_the_rest_dropped():
    # 🈚 and 🈶 are written for 无 and 有 to dodge filters; 🉑, 🈲 and the like decorate a term as often as not.
    assert normalize("🈚️需考试 🈶证").text == "无需考试有证"
    assert normalize("保🉑过 包🈲过").text == "保过包过"
    norm = normalize("🈚需考试")
    assert norm.index.tolist() == [0, 1, 2, 3]


def test_span_covers_separators_inside_but_not_outside():
    text = "  學 員  包 過 。"
    norm = normalize(text)
    assert norm.text == "学员包过"
    start, end = norm.span(2, 4)
    assert text[start:end] == "包 過"


def test_digits_and_letters_are_kept():
    assert fold("2024年Python培训") == "2024年python培训"


def test_empty_text():
    norm = normalize("")
    assert norm.text == ""
    assert norm.index.dtype == np.int64
    assert len(norm.index) == 0

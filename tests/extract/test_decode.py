"""Text encodings are recognised by content: the decoded text must be exactly what was written."""

from __future__ import annotations

import codecs
import random

import pytest

from compliance.extract.decode import UndecodableError, decode, detect_encoding

SIMPLIFIED = "职业技能培训报名通知：本期课程包括电工、焊工和叉车司机，学员结业后颁发培训证明。咨询电话请见官网。"
TRADITIONAL = "職業技能培訓報名通知：本期課程包括電工、焊工和叉車司機，學員結業後頒發培訓證明。"
FOUR_BYTE = "𠀀𪚥 GB18030 四字节字符"
MIXED = "2024年Python数据分析培训班开课啦！报名电话 010-12345678，地址：中华路88号（近地铁站）。"


def _codec(name: str) -> str:
    return codecs.lookup(name).name


@pytest.mark.parametrize(
    ("text", "data", "expected"),
    [
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(MIXED, MIXED.encode("utf-8"), "utf-8", id="utf-8-mixed"),
        pytest.param(SIMPLIFIED, codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param(MIXED, MIXED.encode("gb18030"), "gb18030", id="gb18030-mixed"),
        pytest.param(FOUR_BYTE, FOUR_BYTE.encode("gb18030"), "gb18030", id="gb18030-4byte"),
        # GBK is a subset of GB18030: reading it as GB18030 gives the same characters.
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030", id="gbk"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-16-le"), "utf-16-le", id="utf-16-le"),
        pytest.param(SIMPLIFIED, SIMPLIFIED.encode("utf-16-be"), "utf-16-be", id="utf-16-be"),
        pytest.param(MIXED, MIXED.encode("utf-16-le"), "utf-16-le", id="utf-16-le-mixed"),
        pytest.param(MIXED, MIXED.encode("utf-16-be"), "utf-16-be", id="utf-16-be-mixed"),
        pytest.param(SIMPLIFIED, codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16-le",
                     id="utf-16-le-bom"),
        pytest.param(SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16-be",
                     id="utf-16-be-bom"),
        pytest.param(SIMPLIFIED, codecs.BOM_UTF32_LE + SIMPLIFIED.encode("utf-32-le"), "utf-32-le",
                     id="utf-32-le-bom"),
        pytest.param(MIXED, MIXED.encode("utf-32-le"), "utf-32-le", id="utf-32-le"),
        pytest.param(MIXED, MIXED.encode("utf-32-be"), "utf-32-be", id="utf-32-be"),
        pytest.param(TRADITIONAL, TRADITIONAL.encode("big5"), "big5", id="big5"),
        pytest.param("學員包過，證書國家認可。", "學員包過，證書國家認可。".encode("big5"), "big5", id="big5-short"),
    ],
)
def test_decodes_to_the_original_text(text, data, expected):
    decoded, encoding = decode(data)
    assert decoded == text
    assert _codec(encoding) == _codec(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Python training course, sign up now!",  # even length, letters only: not UTF-16
        "hello world 包过",
        "abcdefgh",
        "readme",
        "包过",  # six UTF-8 bytes that also pass for three UTF-16 code units
        "报名包过",
        "免考包过",
        "<html><body><p>hello</p></body></html>",
    ],
)
def test_short_and_ascii_utf8_is_not_mistaken_for_utf16(text):
    # Regression: BOM-less UTF-16 detection once claimed any even-length ASCII or short CJK UTF-8 input.
    assert decode(text.encode("utf-8")) == (text, "utf-8")


def test_empty_input():
    assert decode(b"")[0] == ""


def test_large_gb18030_with_a_character_cut_at_the_sample_edge():
    # The detector sees the first 64 KB; make a two-byte character straddle that edge.
    text = "a" + SIMPLIFIED * 1200
    data = text.encode("gb18030")
    assert len(data) > 1 << 16
    assert data[(1 << 16) - 1] >= 0x81, "a lead byte ends the sample"
    decoded, encoding = decode(data)
    assert decoded == text
    assert _codec(encoding) == "gb18030"


def test_large_utf8_with_a_character_cut_at_the_sample_edge():
    text = "ab" + SIMPLIFIED * 800
    data = text.encode("utf-8")
    assert len(data) > 1 << 16
    assert decode(data) == (text, "utf-8")


def test_ascii_head_then_gbk_falls_back_for_the_whole_input():
    text = "id,name,remark\n" * 5000 + "1,叉车培训,零基础包过\n"
    data = text.encode("gbk")
    assert len(data) > 1 << 16
    decoded, encoding = decode(data)
    assert decoded == text
    assert _codec(encoding) == "gb18030"


@pytest.mark.parametrize("seed", range(4))
def test_random_binary_is_undecodable(seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(UndecodableError):
        decode(data)


def test_binary_with_control_bytes_is_undecodable():
    with pytest.raises(UndecodableError):
        decode(b"\x00\x01\x02\x03\xff\xfe\xfd\x04" * 200)


def test_detect_reports_the_bom_length():
    assert detect_encoding(codecs.BOM_UTF8 + "包过".encode(), complete=True) == ("utf-8-sig", 3)
    name, skip = detect_encoding(codecs.BOM_UTF16_LE + "包过".encode("utf-16-le"), complete=True)
    assert (_codec(name), skip) == ("utf-16-le", 2)
    name, skip = detect_encoding(codecs.BOM_UTF32_BE + "包过".encode("utf-32-be"), complete=True)
    assert (_codec(name), skip) == ("utf-32-be", 4)


def test_detect_tolerates_a_truncated_sample():
    data = (SIMPLIFIED * 10).encode("utf-8")
    cut = data[:100]  # ends inside a three-byte character
    with pytest.raises(UnicodeDecodeError):
        cut.decode("utf-8")
    assert detect_encoding(cut, complete=False) == ("utf-8", 0)

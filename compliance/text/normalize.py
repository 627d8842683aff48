"""Folding that evasion cannot beat, with a map back to the original characters.

Every character of the input is either *kept* (mapped to one canonical character) or *dropped*
(a separator: spaces, punctuation, symbols, emoji, zero-width and other invisible characters,
line breaks). Kept characters go through NFKC (full-width forms), lower case and traditional →
simplified. Because the mapping is one character to at most one character, the normalised text
carries an index array: ``index[i]`` is the position in the original text of normalised character
``i``, so every hit maps back to the exact original span, separators and all.

The fold runs as one table look-up in numpy over UTF-16 code units (a few ms per million
characters), not a Python loop: it is the hot path.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

_BMP = 0x10000
# Astral characters (emoji, rare ideographs) are folded to this code unit, which is dropped.
_ASTRAL = 0xFFFF
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


@dataclass(frozen=True, slots=True)
class FoldTable:
    lut: npt.NDArray[np.uint16]  # code unit -> canonical code unit
    keep: npt.NDArray[np.bool_]  # code unit -> kept (True) or dropped as a separator (False)
    # lut where kept, 0 where dropped: one gather does both (U+0000 is never kept, so 0 is free).
    folded: npt.NDArray[np.uint16]

    def fold_char(self, ch: str) -> str:
        """The canonical form of one character, or '' when it is a separator."""
        cp = ord(ch)
        if cp >= _BMP:
            if not 0 <= cp - _SQUARED_LO < len(_SQUARED) or _SQUARED[cp - _SQUARED_LO] == _ASTRAL:
                return ""
            cp = int(_SQUARED[cp - _SQUARED_LO])  # 🈚 reads as 无 (see _code_units)
        return chr(int(self.lut[cp])) if self.keep[cp] else ""


def _t2s_chars() -> dict[int, int]:
    """Character-level traditional → simplified pairs from OpenCC's own tables (shipped in its wheel)."""
    import opencc

    chars = [chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi + 1)]
    # One call over newline-separated characters: OpenCC must see each character alone, not as phrases.
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    pairs: dict[int, int] = {}
    if len(converted) != len(chars):  # pragma: no cover - defensive against an OpenCC change
        return pairs
    for src, dst in zip(chars, converted, strict=True):
        if len(dst) == 1 and dst != src and ord(dst) < _BMP:
            pairs[ord(src)] = ord(dst)
    return pairs


# Variant forms OpenCC's traditional→simplified table leaves alone but posters use to dodge filters: 囯家认可
# (囯, 圀, 囶, 囻 for 国), 証書 (the Japanese form of 證); and the Cantonese verb and particle of ads written for
# Guangdong (包攞证 for 包拿证, 最好嘅 for 最好的, 考唔到 for 考不到), which have no other use; ⭕ for 零 (⭕门槛).
_VARIANTS = {"囯": "国", "圀": "国", "囶": "国", "囻": "国", "証": "证", "攞": "拿", "嘅": "的", "⭕": "零", "唔": "不"}


def _is_kept(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN"


@lru_cache(maxsize=1)
def fold_table() -> FoldTable:
    lut = np.arange(_BMP, dtype=np.uint16)
    keep = np.zeros(_BMP, dtype=bool)
    t2s = _t2s_chars()
    for cp in range(_BMP):
        if 0xD800 <= cp <= 0xDFFF or cp == _ASTRAL:
            continue
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) != 1:
            folded = ch
        folded = folded.lower() if len(folded.lower()) == 1 else folded
        if not _is_kept(folded):
            continue
        out = t2s.get(ord(folded), ord(folded))
        out = ord(_VARIANTS.get(chr(out), chr(out)))
        if out >= _BMP:
            continue
        lut[cp] = out
        keep[cp] = True
    return FoldTable(lut=lut, keep=keep, folded=np.where(keep, lut, 0).astype(np.uint16))


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str
    index: npt.NDArray[np.intp]  # index[i] = original offset of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised span [start, end) (end exclusive, end > start)."""
        return int(self.index[start]), int(self.index[end - 1]) + 1


def _code_units(text: str) -> npt.NDArray[np.uint16]:
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if len(units) == len(text):
        return units
    # Astral characters take two UTF-16 units; fold them to one dropped unit so offsets stay per character.
    wide = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    units = np.where(wide >= _BMP, _ASTRAL, wide).astype(np.uint16)
    squared = np.flatnonzero((wide >= _SQUARED_LO) & (wide < _SQUARED_LO + len(_SQUARED)))
    if len(squared):
        units[squared] = _SQUARED.take(wide.take(squared) - _SQUARED_LO)
    return units


# Two squared ideographs of the emoji block stand for their word in ads written to dodge filters: 🈚 无
# (🈚️需考试, 🈚门槛) and 🈶 有 (🈶证). The others (🈲, 🉑, 🈵 …) are decoration inside a term as often as a word
# (保🉑过 is 保过), so like every other emoji they are dropped.
_SQUARED_LO = 0x1F200


def _squared_table() -> npt.NDArray[np.uint16]:
    out = np.full(0x100, _ASTRAL, dtype=np.uint16)
    for ch, word in (("\U0001f21a", "无"), ("\U0001f236", "有")):
        out[ord(ch) - _SQUARED_LO] = ord(word)
    return out


_SQUARED = _squared_table()


@dataclass(frozen=True, slots=True)
class Folded:
    """The fold as arrays, for code that works on whole texts at once (the analyzer's batch path)."""

    units: npt.NDArray[np.uint16]  # the original text, one code unit per character (astral → U+FFFF)
    mapped: npt.NDArray[np.uint16]  # each original character folded, 0 where it is dropped
    folded: npt.NDArray[np.uint16]  # the normalised text
    index: npt.NDArray[np.intp]  # index[i] = original offset of folded[i]

    def dropped(self) -> npt.NDArray[np.intp]:
        """Original offsets of the dropped characters (separators, punctuation, line breaks)."""
        return np.flatnonzero(self.mapped == 0)

    def normalized(self) -> Normalized:
        return Normalized(self.folded.tobytes().decode("utf-16-le", "surrogatepass"), self.index)


def fold_arrays(text: str, table: FoldTable | None = None) -> Folded:
    """Fold ``text`` into arrays; pure function of its input."""
    table = table or fold_table()
    units = _code_units(text)
    # take() is several times faster than fancy indexing with a uint16 index array.
    mapped = table.folded.take(units)
    index = np.flatnonzero(mapped)
    return Folded(units, mapped, mapped.take(index), index)


def normalize(text: str, table: FoldTable | None = None) -> Normalized:
    """Fold ``text``; pure function of its input."""
    if not text:
        return Normalized("", np.zeros(0, dtype=np.intp))
    return fold_arrays(text, table).normalized()


def fold(text: str) -> str:
    """The normalised form of a short string (terms, anchors, examples)."""
    return normalize(text).text

"""Text encodings detected by content: UTF-8, GB18030/GBK, UTF-16/32 (with or without BOM), Big5."""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableError(ValueError):
    pass


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII-heavy text has NULs in every other byte; CJK text decodes
    to mostly CJK code points in one byte order and to noise in the other."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
        return "utf-16-be"
    return None


def _cjk_ratio(text: str) -> float:
    if not text:
        return 0.0
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef")
    return cjk / len(text)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _common_ratio(text: str) -> float:
    """Share of Han characters among the 3,755 most common (GB2312 level 1), after folding to simplified.

    Real Chinese text scores about 0.9; Big5 bytes read as GBK, or the reverse, score far lower. The Han
    characters are looked for in the whole sample: a CSV export may start with kilobytes of ASCII.
    """
    from compliance.text.normalize import fold_table

    table = fold_table()
    han = common = 0
    for m in _HAN.finditer(text):
        if han >= 4000:
            break
        han += 1
        try:
            lead = table.fold_char(m.group()).encode("gb2312")[0]
        except (UnicodeEncodeError, IndexError):
            continue
        common += 0xB0 <= lead <= 0xD7
    return common / han if han else 0.0


def plausible(text: str) -> bool:
    """Could this be human text? Control characters and private-use code points say it is binary or misread."""
    bad = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\x1a") or "\ue000" <= c <= "\uf8ff")
    return bad <= len(text) // 200


def _decode_sample(data: bytes, name: str, complete: bool) -> str:
    """A truncated sample may end inside a multi-byte character (UTF-8 has up to 4 bytes, GB18030 4):
    that is the cut, not an error, so the incremental decoder keeps the tail back."""
    if complete:
        return data.decode(name)
    return codecs.getincrementaldecoder(name)().decode(data, final=False)


def detect_encoding(sample: bytes, *, complete: bool) -> tuple[str, int]:
    """Encoding name and BOM length for data starting with ``sample``.

    ``complete`` says whether ``sample`` is the whole input (a truncated sample may end mid-character).
    """
    found = _bom(sample)
    if found:
        return found
    utf16 = _utf16_without_bom(sample[:4096])
    if utf16:
        return utf16, 0
    head = sample if complete else sample[: max(0, len(sample) - 4)]
    try:
        if plausible(_decode_sample(head, "utf-8", complete)):
            return "utf-8", 0
    except UnicodeDecodeError:
        pass
    # GB18030 accepts most double-byte data, Big5 and BOM-less UTF-16 included: prefer whichever reads as
    # common characters.
    scores: dict[str, float] = {}
    names = ["gb18030", "big5"]
    if len(head) % 2 == 0 and head.count(0) == 0:
        names += ["utf-16-le", "utf-16-be"]
    for name in names:
        try:
            text = _decode_sample(head, name, complete)
        except UnicodeDecodeError:
            continue
        if plausible(text) and (not name.startswith("utf-16") or _cjk_ratio(text) > 0.6):
            scores[name] = _common_ratio(text)
    if scores:
        best = max(scores, key=lambda n: (scores[n], n == "gb18030"))
        return best, 0
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is not None and best.encoding:
        return best.encoding, 0
    raise UndecodableError("the bytes are not text in any supported encoding")


def decode(data: bytes) -> tuple[str, str]:
    """Whole input → (text, encoding)."""
    name, skip = detect_encoding(data[: 1 << 16] if len(data) > 1 << 16 else data, complete=len(data) <= 1 << 16)
    try:
        return data[skip:].decode(name), name
    except UnicodeDecodeError:
        # The sample looked like ``name`` but a later part does not: take the next candidate on all of it.
        for alt in ("utf-8", "gb18030"):
            try:
                return data.decode(alt), alt
            except UnicodeDecodeError:
                continue
        raise UndecodableError(f"the text is not valid {name} past the first 64 KB") from None

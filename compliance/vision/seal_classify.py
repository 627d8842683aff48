"""Classifying a seal's text: an administrative organ's, a school's, a company's (or other issuer's).

A name that says company/school/association (有限公司, 学校, 培训中心, 协会 ...) is an issuer. Otherwise a name
of an administrative organ (…局, …厅, …部, …委员会, 人民政府, 人力资源和社会保障, 市场监督管理 ...) is an organ's.

Ring text comes out of the OCR with characters dropped and misread (人为海源和社会保 for 人力资源和社会保障).
The long organ names are therefore also matched approximately: enough of the name's characters, in order,
with few misreadings or gaps between them, and always some of the characters that only the organ's name has
(社会保障, not the 人力资源 that many companies also carry). A company word that lies inside such a match is a
misreading of the organ's name (中学人民共和国… is 中华人民共和国…), not evidence of a company; a company
word anywhere else makes the seal an issuer's, whatever organ it names (某某有限公司工会委员会).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u9fff]")
# An issuer that is a business, school or association.
COMPANY = re.compile(
    r"有限|公司|责任|股份|集团|企业|学校|学院|大学|中学|小学|幼儿园|培训|中心|协会|学会|研究院|研究所|"
    r"事务所|工作室|商会|联合会|基金会|俱乐部|医院|门诊|服务|经营部|门市部|营业部|科技|咨询|商行|店|书局"
)
SCHOOL = re.compile(r"学校|学院|大学|中学|小学|幼儿园")
# Administrative organs: names, and pieces of the long ones that only they have. 人力资源 alone is also a
# company's word, so it is not evidence; neither is a bare 府 (天府 is a place name in many company names).
# A ring that fades out part way reads as the name's first characters (市场监 of 市场监督管理, …员会 of 委员会
# with the 委 misread): pieces no company or school name has count too.
ORGAN_NAMES = re.compile(
    r"人民.?府|人民政|政府|委员会|委员|员会|人力资源和?社会保障|资源和|和社会|社会保|保障[局厅部]|人社[局厅部]|"
    r"市场监|监督管理|管理[局厅]|公安|法院|检察院|办公厅|办公室|教育[厅局部]|财政|税务|海关|"
    r"民政|司法[局厅部]|卫生健康|应急管理|生态环境|国务院|人民共和国"
)
# A ring that fades out after the first characters of an organ's name: a level of government (市, 省, 县, 区)
# followed by the start of an organ's name that no company or school name has right after the place
# (北京市人力资, 重市人力资源, 某某市财, 广东省市场). A company or school word anywhere else still makes it an
# issuer's. Not 市人 or 县人民 alone (某某市人才交流服务中心, 某某县人民医院), nor 教育 (a place followed by
# 教育 may begin an education company's or association's name: 某某市民办教育协会).
ORGAN_STEMS = re.compile(r"[市省县区](?:人力|财|市场)")
# Organ names read with a character or two misread or lost in the middle, where what is left is still no
# company's: 某某县人论践府 (人民政府), 某某区人民做诚公室 (人民政府办公室), 上海市教商委 (教育委员会),
# 苏省教育度 (教育厅 at the ring's end), 北京市力资源 / 北京市人资源 (人力资源 after a place, as ORGAN_STEMS).
ORGAN_MISREAD = re.compile(
    r"[县区市省]人[\u4e00-\u9fff]{1,2}府|人民[\u4e00-\u9fff]{1,3}公室|[市省县区]教[\u4e00-\u9fff]?委"
    r"|[省市]教育[^会院社馆所店司中学协培科文集]$|[市省县区](?:力资源|人资源)"
    # A ring faded right after 市公 (公安局), 县府 / 人府 (人民政府 with its middle lost; not 天府, a place name in
    # company names), 障部 (保障部).
    r"|[市县区]公$|[县区市省人](?!天)[\u4e00-\u9fff]?府$|障[局厅部]"
    # 人社 and 障 with one character lost between (四人社障). (Not 市人月: 人才 misread reads so too.)
    r"|人社[\u4e00-\u9fff]?障")
# Organ names end so; only trusted on a reading of three characters or more (a fragment like 章局 is not one).
# Not 部: the ministries are named in full above, and a bare …部 is far more often a company's (服务部, 经营部,
# with the 服 or 经 lost).
ORGAN_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2,}(?:(?:局|厅)[\u4e00-\u9fff]?|委|署)$")  # 局出: a stray last character


@dataclass(frozen=True, slots=True)
class OrganName:
    """A long organ name matched approximately: at least ``need`` of its characters read in order, at most
    ``slips`` misread, missing or extra characters among them, and at least ``key_need`` of ``key`` (the
    characters no company name has) among those read."""

    name: str
    need: int
    slips: int
    key: str
    key_need: int


FUZZY_NAMES = (
    OrganName("中华人民共和国", 4, 2, "共和国", 1),  # 民共和国, 出中华人民共: no company name holds these
    OrganName("人力资源和社会保障", 5, 4, "社会保障", 2),
    OrganName("市场监督管理", 5, 2, "监督", 1),
    OrganName("人民政府", 3, 1, "政府", 1),
    OrganName("人民政府办公室", 5, 1, "政府", 1),  # 办公室 read as 办公司 is no company
    OrganName("教育委员会", 4, 1, "委", 1),
)


# Words looked for in the recogniser's lattice (see line_ocr) when the reading itself names neither an issuer
# nor an organ: a worn organ's seal is often read with the right character a close second (教育尺 for 教育厅).
# A word counts when it is at most SPOT_PER_CHAR per character less likely than the reading (on generated
# company seals read as nothing recognisable, no organ word came nearer than -2.4 per character, and -3.2 on
# 200 more; worn organ seals had their word at -1.21 and -1.25 a few times). Any issuer word that near, and the
# seal is not taken for an organ's.
SPOT_ORGAN = ("人力资源和社会保障", "社会保障局", "社会保障厅", "社会保障部", "市场监督管理", "监督管理局", "人民政府",
              "政府办公室", "中华人民共和国", "教育委员会", "教育局", "教育厅", "公安局", "财政局", "委员会")
SPOT_ISSUER = ("有限公司", "有限", "公司", "学校", "学院", "协会", "学会", "中心", "培训", "集团", "企业", "事务所",
               "服务", "科技", "咨询")
SPOT_PER_CHAR = -1.5
SPOT_CHARS = "".join(dict.fromkeys("".join(SPOT_ORGAN + SPOT_ISSUER)))


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


MATCH = 3


def _align(pattern: str, text: str) -> tuple[int, int, int, int, str]:
    """The best local alignment of ``pattern`` within ``text`` (Smith-Waterman: +3 a match, -1 a misread,
    missing or extra character, so that a match is worth reaching over two slips: 人力和社[食][保]障 still
    reaches 障). Returns (matched, slips, start, end, matched pattern characters), where start:end is the
    aligned stretch of ``text``."""
    rows, cols = len(pattern) + 1, len(text) + 1
    score = [[0] * cols for _ in range(rows)]
    best, at = 0, (0, 0)
    for i in range(1, rows):
        for j in range(1, cols):
            s = max(0, score[i - 1][j - 1] + (MATCH if pattern[i - 1] == text[j - 1] else -1),
                    score[i - 1][j] - 1, score[i][j - 1] - 1)
            score[i][j] = s
            if s > best:
                best, at = s, (i, j)
    i, j = at
    matched, slips, chars, end = 0, 0, [], at[1]
    while i > 0 and j > 0 and score[i][j] > 0:
        s = score[i][j]
        if s == score[i - 1][j - 1] + (MATCH if pattern[i - 1] == text[j - 1] else -1):
            if pattern[i - 1] == text[j - 1]:
                matched += 1
                chars.append(pattern[i - 1])
            else:
                slips += 1
            i, j = i - 1, j - 1
        elif s == score[i - 1][j] - 1:
            slips, i = slips + 1, i - 1
        else:
            slips, j = slips + 1, j - 1
    return matched, slips, j, end, "".join(chars)


def organ_spans(name: str) -> list[tuple[int, int]]:
    """Stretches of ``name`` (CJK only) that read as an organ's name, exactly or approximately."""
    spans = [m.span() for m in ORGAN_NAMES.finditer(name)]
    spans += [m.span() for m in ORGAN_STEMS.finditer(name)]
    spans += [m.span() for m in ORGAN_MISREAD.finditer(name)]
    for organ in FUZZY_NAMES:
        matched, slips, start, end, chars = _align(organ.name, name)
        if (matched >= organ.need and slips <= organ.slips
                and sum(ch in organ.key for ch in chars) >= organ.key_need):
            spans.append((start, end))
    return spans


def classify(text: str) -> str:
    """"organ" (administrative organ), "school", "company" (business, association, other issuer) or
    "unknown" (nothing recognisable was read)."""
    name = _cjk(text)
    if not name:
        return "unknown"
    spans = organ_spans(name)
    issuer = [m.group() for m in COMPANY.finditer(name)
              if not any(m.start() < end and start < m.end() for start, end in spans)]
    if any(SCHOOL.fullmatch(word) for word in issuer):
        return "school"
    if issuer:
        return "company"
    if spans or ORGAN_SUFFIX.search(name):
        return "organ"
    return "unknown"


# The centre's usage phrase (合同专用章, 培训专用章, 财务专用章 ...): what the stamp is for, not whose it is (an
# organ's seal can be its 培训专用章); it is no issuer evidence.
# Misread phrases too (培训专思帝实 is 培训专用章): whatever follows 专 is the phrase's end.
USAGE = re.compile(r"[\u4e00-\u9fff]{0,4}专[\u4e00-\u9fff]{0,3}|[\u4e00-\u9fff]{0,4}用章")


def classify_read(ring: str, centre: str = "", spots: Mapping[str, float] | None = None) -> str:
    """The kind of a seal from its reading: the ring text first (the name), then ring and centre together
    (the centre's usage phrase left out), then (only for a ring read as something, but nothing
    recognisable) the words spotted in the lattice."""
    kind = classify(ring) if ring else "unknown"
    centre = USAGE.sub("", _cjk(centre))
    if kind == "unknown" and ring and centre:
        kind = classify(ring + centre)
    if kind != "unknown" or len(_cjk(ring)) < 2 or not spots:
        return kind

    def near(word: str) -> bool:
        return spots.get(word, float("-inf")) >= SPOT_PER_CHAR * len(word)

    if any(near(w) for w in SPOT_ISSUER) or not any(near(w) for w in SPOT_ORGAN):
        return "unknown"
    return "organ"

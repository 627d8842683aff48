"""An organ, real or made up, in a certificate's issuer, supervisor or seal line.

A certificate is a list of fields, one per line: 颁发单位：国务院职业能力建设办公室, 主管单位：重庆市劳动局, 指导单位：
工业和信息化部, 国家技能人才认证管理局 监制, 印章：人力资源和社会保障部职业技能鉴定专用章 (sometimes read backwards
off a round seal). The rules see the text folded into one line, where a field's end is invisible, so the fields are
read here from the original lines. A value that is an administrative organ's name (…部, …厅, …局, …委员会,
…办公室, 人民政府) in such a line is the organ's name borrowed for the certificate: impersonate_authority, with the
line's value as evidence. Certificates the state issues itself are set apart afterwards (state_certificate.py).
"""

from __future__ import annotations

import re
from itertools import pairwise

from compliance.contract import Category, Finding, Origin, Severity, Status
from compliance.rules.loader import RuleSet
from compliance.text.line_finding import covered, line_finding
from compliance.text.normalize import fold

RULE_ID = "impersonate_authority.issuer_field"
_FIELDS = ("颁发单位|发证单位|发证机关|发证机构|颁证单位|颁发机构|认证机构|签发单位|签发机关|监制单位|主管单位|"
           "指导单位|审批机关|核发机关|批准机关|认证杌构|发证杌构|发证杌关|"  # 杌: OCR reads 机 as 杌
           "监制|颁发|颁证|发证|签发|主管|指导")  # bare labels: 监制：人力资源和社会保障部
_GAP = r"[ \t\u3000]*"
_FIELD_LINE = re.compile(rf"^{_GAP}(?:{_FIELDS}){_GAP}[：:]{_GAP}(\S[^\n]*?){_GAP}$", re.MULTILINE)
_MADE_BY_LINE = re.compile(rf"^{_GAP}(\S{{4,30}}?){_GAP}(?:监制|颁发|签发|监印)(?=[ \t\u3000]|$)", re.MULTILINE)
_SEAL_LINE = re.compile(rf"^{_GAP}[（(]?(?:印章|印文|公章|钢印)[）)]?{_GAP}[：:]?{_GAP}(\S[^\n]*?){_GAP}$",
                        re.MULTILINE)
# An organ's name: its last word. Bodies that are not organs end otherwise (公司, 学校, 协会, 中心, 研究院 …).
_ORGAN_END = re.compile(r"(?:部|厅|局|委员会|办公室|人民政府|总局)$")
_NOT_ORGAN = re.compile(
    r"公司|学校|学院|大学|协会|学会|研究院|研究会|促进会|联盟|基金会|集团|医院|中心|工作室|事务所|银行")
# A made-up national body as the issuer (颁发：国家职业技能等级认定中心, 全国职业能力评价指导委员会): a centre or
# committee that says it is the nation's is the state's name borrowed, whatever its last word.
_STATE_BODY = re.compile(
    r"(?:国家|全国|中华人民共和国|国务院)[\u4e00-\u9fff]{2,16}(?:中心|委员会|办公室|总局|管理局|指导处)")
# In a seal: the organ's name before the usage words (人力资源和社会保障部职业技能鉴定专用章).
_SEAL_ORGAN = re.compile(
    r"^(?:中华人民共和国|国家|国务院)?[\u4e00-\u9fff]{1,14}?(?:部|厅|局|委员会|人民政府)(?=[\u4e00-\u9fff]*专用章$|代章$|$)")
# Only a certificate has these lines: its title names a certificate (OCR: 证韦, 正书) or it numbers one.
_CERTIFICATE = re.compile(r"证书|证韦|正书|证\s*$|执照|(?:证书编号|证书编码|证号|管理号|编号)\s*[：:]", re.MULTILINE)
_HEAD = 300
_LINE = re.compile(r"^[ \t\u3000]*(\S[^\n]*?)[ \t\u3000]*$", re.MULTILINE)
_HEAD_LINES = 3
# A whole header line that is an organ's name (Latin initials such as CAAC fold away into lower case and stay).
_HEAD_ORGAN = re.compile(r"[a-z]{0,6}(?:中华人民共和国|国家|中国)?[\u4e00-\u9fff]{1,16}?(?:部|厅|局|委员会|总局)")
_TITLE_BELOW = re.compile(r"证书|合格证|执照|资格证|操作证|上岗证|证$")
_NOTICE_BELOW = re.compile(r"通知|公告|通告|声明|提示|决定")
_SEAL_TEXT = re.compile(r"印文[：:]\s*([^）)\n，,；;]{2,30})")
_CUT = re.compile(r"[ \t\u3000（(]")  # a value ends at a gap or a bracket (国家…局 监制  身份证号码：…)
_CONFIDENCE = 0.85


def issuer_findings(text: str, found: list[Finding], ruleset: RuleSet, *, page: int | None,
                    origin: Origin, official: bool) -> list[Finding]:
    if official or not _CERTIFICATE.search(text[:_HEAD]):
        return []
    out: list[Finding] = []
    spans: list[tuple[int, int, str]] = []
    for m in _FIELD_LINE.finditer(text):
        value = _CUT.split(m.group(1), maxsplit=1)[0]
        name = fold(value).replace("杌", "机")
        if (_ORGAN_END.search(name) and not _NOT_ORGAN.search(name)) or _STATE_BODY.fullmatch(name):
            spans.append((m.start(1), m.start(1) + len(value), "issuer"))
    for m in _MADE_BY_LINE.finditer(text):
        name = fold(m.group(1))
        if _ORGAN_END.search(name) and not _NOT_ORGAN.search(name):
            spans.append((m.start(1), m.end(1), "maker"))
    # An organ's name alone on one of the first lines, straight above the certificate's title, as its header
    # (农业农村部 / 新型职业农民资格证书). A notice signed by the organ has no certificate title under its name.
    head = list(_LINE.finditer(text))[: _HEAD_LINES + 1]
    for m, below in pairwise(head):
        name = fold(m.group(1))
        if (_HEAD_ORGAN.fullmatch(name) and not _NOT_ORGAN.search(name)
                and _TITLE_BELOW.search(below.group(1)) and not _NOTICE_BELOW.search(below.group(1))):
            spans.append((m.start(1), m.end(1), "header"))
    for m in _SEAL_TEXT.finditer(text):  # a seal described in words: （圆形红章，印文：某市人民政府职业培训管理办公室）
        value = m.group(1)
        name = fold(value)
        if _SEAL_ORGAN.match(name) and not _NOT_ORGAN.search(name):
            spans.append((m.start(1), m.end(1), "seal"))
    for m in _SEAL_LINE.finditer(text):
        value = m.group(1)
        name = fold(value)
        for reading in (name, name[::-1]):  # a round seal's ring is sometimes read backwards
            if _SEAL_ORGAN.match(reading) and not _NOT_ORGAN.search(reading):
                spans.append((m.start(1), m.end(1), "seal" if reading is name else "seal read backwards"))
                break
    seen: set[tuple[int, int]] = set()
    for start, end, kind in spans:
        if (start, end) in seen or covered(found, Category.IMPERSONATE_AUTHORITY, start, end):
            continue
        seen.add((start, end))
        out.append(line_finding(
            text, start, end, rule_id=RULE_ID, category=Category.IMPERSONATE_AUTHORITY, severity=Severity.HIGH,
            status=Status.VIOLATION, confidence=_CONFIDENCE, term=text[start:end],
            message="证书的颁发、主管、监制或印章栏写明行政机关（或仿冒的机关名称）",
            note=f"an administrative organ's name in the certificate's {kind} line", ruleset=ruleset, page=page,
            origin=origin))
    return out

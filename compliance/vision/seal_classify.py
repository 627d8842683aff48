"""Classifying a seal's text: an administrative organ's, a school's, a company's (or other issuer's).

A name that says company/school/association (有限公司, 学校, 培训中心, 协会 ...) is an issuer. Otherwise a name
of an administrative organ (…局, …厅, …部, …委员会, 人民政府, 人力资源和社会保障, 市场监督管理 ...) is an organ's.
"""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff]")
# An issuer that is a business, school or association. Checked first: "某某有限公司工会委员会" is a company's.
COMPANY = re.compile(
    r"有限|公司|责任|股份|集团|企业|学校|学院|大学|中学|小学|幼儿园|培训|中心|协会|学会|研究院|研究所|"
    r"事务所|工作室|商会|联合会|基金会|俱乐部|医院|门诊|服务|经营部|门市部|营业部|科技|咨询|商行|店|书局"
)
# Administrative organs: names, and pieces of the long ones (OCR drops and garbles characters on curved
# text: 人力资源和社会保障 comes back as 人为海源和社会保). 人力资源 alone is also a company's word, so it is
# not evidence; neither is a bare 府 (天府 is a place name in many company names).
ORGAN_NAMES = re.compile(
    r"人民.?府|人民政|政府|委员会|委员|人力资源和?社会保障|资源和|和社会|社会保|保障[局厅部]|人社[局厅部]|"
    r"市场监督管理|市场监管|监督管理|管理[局厅]|公安|法院|检察院|办公厅|办公室|教育[厅局部]|财政[局厅部]|税务|海关|"
    r"民政|司法[局厅部]|卫生健康|应急管理|生态环境|国务院|人民共和国"
)
# Organ names end so; only trusted on a reading of three characters or more (a fragment like 章局 is not one).
ORGAN_SUFFIX = re.compile(r"[\u4e00-\u9fff]{2,}(局|厅|部|委|署)$")
SCHOOL = re.compile(r"学校|学院|大学|中学|小学|幼儿园")


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def classify(text: str) -> str:
    """"organ" (administrative organ), "school", "company" (business, association, other issuer) or
    "unknown" (nothing recognisable was read)."""
    name = _cjk(text)
    if not name:
        return "unknown"
    if SCHOOL.search(name):
        return "school"
    if COMPANY.search(name):
        return "company"
    if ORGAN_NAMES.search(name) or ORGAN_SUFFIX.search(name):
        return "organ"
    return "unknown"

"""Seal text classification against OCR damage: organ names read with slips stay organs; company, school and
association names, however cut short or garbled, never become organs (a company page must never carry a
violation)."""

from __future__ import annotations

import random

import pytest

from compliance.vision.seal_classify import FUZZY_NAMES, ORGAN_NAMES, classify, classify_read

# Issuers of the kinds that stamp training certificates, beyond the ones the generated pages use.
ISSUERS = [
    "北京华图宏阳教育文化发展股份有限公司",
    "上海市静安区某某职业技能培训学校",
    "广州某某人力资源服务有限公司",
    "深圳市某某管理咨询有限公司",
    "杭州某某企业管理有限公司",
    "某某市人才交流服务中心",
    "某某市职业技能鉴定指导中心",
    "中国职业技术教育学会",
    "某某市家庭服务业协会",
    "某某市第一中学",
    "某某县人民医院",
    "某某律师事务所",
    "某某农贸市场管理服务部",
    "成都天府新区某某教育科技有限公司",
    "某某市民办教育协会",
    "某某社会工作服务中心",
    "某某劳务派遣有限公司",
    "某某职业技能培训学校有限公司",
    "某某市育婴师培训中心",
    "某某健康管理有限公司",
    "某某文化传媒工作室",
    "某某大学继续教育学院",
]
# Characters no organ name in the vocabulary uses: what a misread turns a character into, at worst.
_ORGAN_CHARS = set("".join(o.name for o in FUZZY_NAMES) + ORGAN_NAMES.pattern + "局厅部委署")
_FILLER = [c for c in "某甲乙丙丁山水木金土日月云天光明华新东西南北江河湖海林森晨星" if c not in _ORGAN_CHARS]


def _damaged(name: str, rng: random.Random) -> set[str]:
    """What OCR makes of a ring: every stretch of 3 or more characters, each with one character dropped,
    and each with one character misread as a character of no organ name."""
    out: set[str] = set()
    for i in range(len(name)):
        for j in range(i + 3, len(name) + 1):
            piece = name[i:j]
            out.add(piece)
            for k in range(len(piece)):
                out.add(piece[:k] + piece[k + 1:])
                out.add(piece[:k] + rng.choice(_FILLER) + piece[k + 1:])
    return out


@pytest.mark.parametrize("name", ISSUERS)
def test_issuer_names_never_read_as_organs(name):
    rng = random.Random(name)
    organ = sorted(t for t in _damaged(name, rng) if classify(t) == "organ")
    assert not organ, organ[:20]


@pytest.mark.parametrize(("text", "kind"), [
    ("北京人资源会保章", "organ"),  # 北京市人力资源和社会保障局: 力, 和社, 局 dropped, 障 misread
    ("广东省市场监蓄管理", "organ"),  # 督 misread
    ("中学人民共和国人力资源和社会保障部", "organ"),  # 中华 misread as 中学: inside the organ's name, no school
    ("某县人民政", "organ"),
    ("某某市财政", "organ"),
    ("某某人力资源", "unknown"),  # a company's word as much as an organ's
    ("某某人力资源服务有限公司", "company"),
    ("某某市场管理", "unknown"),  # markets are managed by companies too
    ("某某市人力资源和社会保障局职业技能鉴定中心", "company"),  # a unit under the organ is not the organ
    # Rings that fade out after a place and the start of an organ's name.
    ("北京市人力资", "organ"),
    ("重市人力资源", "organ"),  # 庆 lost
    ("某某市财出", "organ"),
    ("广东省市场", "organ"),
    ("江苏省教育", "unknown"),  # a place and 教育 may begin an education company's name
    ("北京市人", "unknown"),  # 市人才交流服务中心 too
    # Misread or cut short where what is left is still no company's.
    ("某某县人论践府", "organ"), ("某某区人民做诚公室", "organ"), ("上海市教商委人", "organ"), ("苏省教育度", "organ"),
    ("北京市力资源", "organ"), ("民共和国", "organ"), ("某某市公", "organ"), ("某某县府", "organ"), ("中障部", "organ"),
    ("回庆市人源会局出", "organ"), ("四人社障", "organ"),
    ("成都市天府", "unknown"), ("某某市公交集团有限公司", "company"), ("中华人民", "unknown"),
])
def test_slips_and_spans(text, kind):
    assert classify(text) == kind


def test_misread_usage_phrase_is_no_issuer_evidence():
    # 培训专用章 read as 培训专思帝实 under a ring read as 江苏省教育庆 (厅 misread): the centre's 培训 is the
    # usage phrase, not a training company's name.
    # (The ring itself now reads as an organ's: 省教育 with one character after it is 教育厅 misread.)
    assert classify_read("江苏省教育庆", "培训专思帝实") == "organ"
    assert classify_read("苏省教育", "培训专思帝实") == "unknown"
    assert classify_read("苏省教育", "培训专思帝实", {"教育厅": -0.1}) == "organ"

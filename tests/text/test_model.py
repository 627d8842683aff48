"""The sentence model's second opinion: shipped, review-only, evidence-bearing, switchable."""

from __future__ import annotations

import pytest

from compliance import Checker
from compliance.contract import Status, Verdict
from compliance.settings import Settings
from compliance.text.model import load_model, sentences

PARAPHRASE = "考试包你顺顺利利的，学费我们兜着，不行就重新来，直到你满意为止"


def _model_findings(report):
    return [f for f in report.findings if f.rule_id.startswith("model.")]


def test_the_model_ships_with_the_package():
    model = load_model()
    assert model is not None
    assert set(model.thresholds) == {"guarantee_pass", "impersonate_authority", "misleading_claim"}


def test_a_paraphrased_guarantee_is_raised_for_review_with_its_evidence(checker):
    report = checker.check_text(PARAPHRASE)
    raised = _model_findings(report)
    assert [f.category.value for f in raised] == ["guarantee_pass"]
    f = raised[0]
    assert f.status is Status.REVIEW and report.verdict is Verdict.REVIEW
    assert PARAPHRASE[f.location.start : f.location.end] == f.evidence
    assert any(n.startswith("cues: ") and n != "cues: -" for n in f.notes)


def test_the_model_adds_nothing_where_a_rule_already_found_the_category(checker):
    report = checker.check_text("叉车证包过，考不过全额退款。")
    assert report.verdict is Verdict.VIOLATION
    assert not [f for f in _model_findings(report) if f.category.value == "guarantee_pass"]


@pytest.mark.parametrize("text", [
    "严禁培训机构以“包过”“不过退费”等承诺招揽学员。",
    "警方提醒：凡是承诺考试包过、不过退钱的机构，均涉嫌虚假宣传。",
    "本课程每周二晚上课，地点在市文化宫，学费按课时收取。",
    # A notice's addressees are the organs it is sent to; claims listed as examples of what is forbidden.
    "关于开展职业技能培训广告专项检查的通知\n各城区人力资源和社会保障局、市场监督管理局，各开发区有关部门：\n为规范市场秩序，决定开展检查。",
    "《广告法》第二十四条规定，教育、培训广告不得作出保证性承诺。实践中常见的“包过”“不过退费”“××天拿证”等表述均属此类。",
])
def test_no_model_finding_on_prohibitions_reports_or_plain_ads(checker, text):
    assert not _model_findings(checker.check_text(text))


def test_the_model_can_be_switched_off():
    report = Checker(Settings(text_model=False)).check_text(PARAPHRASE)
    assert not _model_findings(report)


def test_long_pages_get_the_rules_only():
    checker = Checker(Settings(text_model_max_chars=10))
    assert not _model_findings(checker.check_text(PARAPHRASE))


def test_sentence_spans_cover_the_text_without_blanks():
    text = "第一句。第二句！\n\n  第三句"
    assert [text[a:b] for a, b in sentences(text)] == ["第一句", "第二句", "第三句"]

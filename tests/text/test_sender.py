"""A message signed in an organ's name is raised for review with the signature as evidence."""

from __future__ import annotations

import pytest

from compliance import Checker
from compliance.contract import Status
from compliance.text.sender import RULE_ID


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.mark.parametrize("text", [
    "【人社服务中心】尊敬的用户，您的职业技能补贴资格已审核通过，请于48小时内登录 rsbt-gov.cc 完善信息",
    "您的技能补贴待领取，点击链接完善信息。【市人力社保局】",
])
def test_organ_signature_is_raised_for_review(checker: Checker, text: str) -> None:
    report = checker.check_text(text)
    (finding,) = [f for f in report.findings if f.rule_id == RULE_ID]
    assert finding.status is Status.REVIEW and finding.category.value == "impersonate_authority"
    assert text[finding.location.start:finding.location.end] == finding.evidence
    assert finding.evidence.startswith("【") and finding.evidence.endswith("】")


@pytest.mark.parametrize("text", [
    "【华夏职培】本周六茶艺课照常上课",  # a school's own signature
    "课程表见附件【周六班】",  # not an organ
    "关于举办培训班的通知：详见【人社局】官网通知全文的第三段内容，请各单位按要求报送材料",  # mid-line brackets
])
def test_other_brackets_are_not_signatures(checker: Checker, text: str) -> None:
    assert RULE_ID not in {f.rule_id for f in checker.check_text(text).findings}


def test_a_rule_finding_on_the_signature_is_not_doubled(checker: Checker) -> None:
    report = checker.check_text("【人社部颁发】电工证报名")
    assert RULE_ID not in {f.rule_id for f in report.findings}
    assert "impersonate_authority" in {f.category.value for f in report.findings}

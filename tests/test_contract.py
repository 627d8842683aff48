"""The finding contract: the JSON every consumer reads. Contract fields are never renamed or dropped."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

import compliance
from compliance.contract import Category, ErrorInfo, Finding, Location, Report, Result, Severity, Verdict


@pytest.fixture(scope="module")
def result(checker, tmp_path_factory) -> Result:
    missing = tmp_path_factory.mktemp("contract") / "missing.txt"
    return checker.result([
        checker.check_text("學員包過，證書國家認可。本校是国家级重点技工学校。", source="ad"),
        checker.check_text("本课程循序渐进，注重实操。", source="lawful"),
        checker.check_file(missing),
    ])


def test_report_json_has_the_contract_keys(result, assert_contract):
    document = json.loads(result.model_dump_json())
    assert_contract(document)
    verdicts = [r["verdict"] for r in document["reports"]]
    assert verdicts == ["violation", "clean", "error"]
    assert document["reports"][0]["findings"], "the contract test must see real findings"
    assert {f["status"] for f in document["reports"][0]["findings"]} == {"violation", "review"}


def test_engine_identity(checker, result):
    assert result.engine.name == "compliance"
    assert result.engine.version == compliance.__version__
    assert result.engine.lexicon_version == checker.ruleset.version


def test_evidence_is_the_source_text_at_the_offsets(result):
    text = "學員包過，證書國家認可。本校是国家级重点技工学校。"
    for f in result.reports[0].findings:
        assert text[f.location.start:f.location.end] == f.evidence


def test_json_round_trip(result):
    again = Result.model_validate_json(result.model_dump_json())
    assert again == result
    assert json.loads(again.model_dump_json()) == json.loads(result.model_dump_json())


def test_categories_are_the_domain_ids():
    # DOMAIN.md, "Categories": the ids used in every finding.
    assert {c.value for c in Category} == {
        "state_name", "qualification_term", "guarantee_pass", "impersonate_authority", "absolute_claim",
        "misleading_claim", "national_emblem", "national_flag", "organ_mark", "certificate_registry",
    }


def test_severity_rank():
    assert Severity.HIGH.rank > Severity.MEDIUM.rank > Severity.LOW.rank


def _finding(**changes) -> dict:
    data = {"rule_id": "guarantee_pass.bao_guo", "category": "guarantee_pass", "severity": "high", "confidence": 0.9,
            "term": "包过", "evidence": "包 过", "location": {"start": 3, "end": 6}, "basis": "广告法第二十四条",
            "action": "责令停止发布广告", "authority": "市场监督管理部门"}
    data.update(changes)
    return data


def test_finding_defaults():
    f = Finding.model_validate(_finding())
    assert f.status.value == "violation"
    assert f.location == Location(start=3, end=6)
    assert f.location.origin.value == "text"
    assert f.location.page is None and f.location.bbox is None


@pytest.mark.parametrize(
    "changes",
    [{"confidence": 1.5}, {"confidence": -0.1}, {"category": "unknown"}, {"severity": "critical"},
     {"surprise": 1}, {"location": {"start": 0, "end": 2, "column": 4}}],
)
def test_finding_is_validated(changes):
    with pytest.raises(ValidationError):
        Finding.model_validate(_finding(**changes))


def test_report_categories_and_error():
    report = Report(source="x", verdict=Verdict.VIOLATION, findings=[
        Finding.model_validate(_finding()),
        Finding.model_validate(_finding(category="state_name", rule_id="state_name.china")),
        Finding.model_validate(_finding()),
    ])
    assert report.categories == ["guarantee_pass", "state_name"]
    err = Report(source="y", verdict=Verdict.ERROR, error=ErrorInfo(code="not_found", message="no such file"))
    assert json.loads(err.model_dump_json())["error"] == {"code": "not_found", "message": "no such file"}

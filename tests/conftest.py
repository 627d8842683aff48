"""Shared fixtures: one Checker per test session (building the fold table and automaton takes a moment)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance.checker import Checker
from compliance.rules.loader import RuleSet
from compliance.settings import Settings

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
LEXICONS = REPO / "lexicons"
DATA = TESTS / "data"

# The finding contract (README.md, "Output"): keys every consumer may rely on. Extra keys are allowed.
ENGINE_KEYS = {"name", "version", "lexicon_version"}
REPORT_KEYS = {"source", "sha256", "media_type", "verdict", "error", "findings"}
FINDING_KEYS = {"rule_id", "category", "severity", "confidence", "term", "evidence", "location", "basis", "action",
                "authority"}
LOCATION_KEYS = {"page", "start", "end", "bbox", "origin"}

# DOMAIN.md, "Categories": the ids used in every finding.
DOMAIN_CATEGORIES = {"state_name", "qualification_term", "guarantee_pass", "impersonate_authority", "absolute_claim",
                     "misleading_claim", "national_emblem", "national_flag", "organ_mark", "certificate_registry"}


def _assert_contract(document: dict) -> None:
    """Every contract key is present with the right kind of value; extra keys are allowed."""
    assert {"engine", "reports"} <= document.keys()
    assert ENGINE_KEYS <= document["engine"].keys()
    assert all(isinstance(document["engine"][k], str) and document["engine"][k] for k in ENGINE_KEYS)
    for report in document["reports"]:
        assert REPORT_KEYS <= report.keys()
        assert isinstance(report["source"], str)
        assert report["verdict"] in {"violation", "review", "clean", "error"}
        if report["verdict"] == "error":
            assert {"code", "message"} <= report["error"].keys()
            assert report["findings"] == []
        else:
            assert report["error"] is None
            assert len(report["sha256"]) == 64
        for finding in report["findings"]:
            assert FINDING_KEYS <= finding.keys()
            assert LOCATION_KEYS <= finding["location"].keys()
            assert finding["category"] in DOMAIN_CATEGORIES
            assert finding["severity"] in {"high", "medium", "low"}
            assert 0.0 <= finding["confidence"] <= 1.0
            assert finding["rule_id"].startswith(finding["category"] + ".")
            for key in ("term", "evidence", "basis", "action", "authority"):
                assert isinstance(finding[key], str) and finding[key], key
            loc = finding["location"]
            assert isinstance(loc["start"], int) and isinstance(loc["end"], int) and loc["start"] < loc["end"]
            assert loc["bbox"] is None or len(loc["bbox"]) == 4
            assert loc["origin"] in {"text", "html", "pdf", "ocr", "docx", "vision"}


@pytest.fixture(scope="session")
def assert_contract():
    """Checks a parsed ``{"engine": …, "reports": […]}`` document against the finding contract."""
    return _assert_contract


@pytest.fixture(scope="session", autouse=True)
def _hermetic_env():
    """COMPLIANCE_* variables of the machine running the tests must not change what the tests see."""
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("COMPLIANCE_"):
                mp.delenv(key)
        yield


@pytest.fixture(scope="session")
def checker(_hermetic_env) -> Checker:
    return Checker(Settings())


@pytest.fixture(scope="session")
def ruleset(checker: Checker) -> RuleSet:
    return checker.ruleset

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

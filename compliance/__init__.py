"""Compliance engine for vocational-training advertising and skill certificates."""

from __future__ import annotations

__version__ = "0.1.0"

from compliance.checker import Checker
from compliance.contract import Category, Finding, Location, Report, Result, Severity, Verdict

__all__ = ["Category", "Checker", "Finding", "Location", "Report", "Result", "Severity", "Verdict", "__version__"]

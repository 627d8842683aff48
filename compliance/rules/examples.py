"""Run every rule's annotated examples against that rule alone (semgrep-style rule tests)."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.rules.loader import RuleSet
from compliance.rules.schema import Rule


@dataclass(frozen=True)
class ExampleFailure:
    rule_id: str
    kind: str  # "flag" (should have matched, did not) or "ok" (matched, should not)
    text: str
    found: tuple[str, ...]  # evidence found by the rule


def _alone(ruleset: RuleSet, rule: Rule) -> RuleSet:
    return RuleSet((rule,), ruleset.categories, ruleset.context, ruleset.version, {})


def run_examples(ruleset: RuleSet) -> tuple[int, list[ExampleFailure]]:
    """(number of examples run, failures)."""
    from compliance.text.analyzer import TextAnalyzer

    failures: list[ExampleFailure] = []
    count = 0
    for rule in ruleset.rules:
        analyzer = TextAnalyzer(_alone(ruleset, rule))
        for text in rule.examples.flag:
            count += 1
            found = analyzer.analyze(text)
            if not found:
                failures.append(ExampleFailure(rule.id, "flag", text, ()))
        for text in rule.examples.ok:
            count += 1
            found = analyzer.analyze(text)
            if found:
                failures.append(ExampleFailure(rule.id, "ok", text, tuple(f.evidence for f in found)))
    return count, failures

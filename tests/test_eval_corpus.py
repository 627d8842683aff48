"""Scores the engine on the dev set (exact) and on the independent evaluation set (thresholds).

Dev set: ../shared/corpus/dev/texts.jsonl (every item exact). Evaluation set: fixtures/eval/texts.jsonl
(see fixtures/eval/README.md for the labelling conventions). A category counts as found at any status
(violation or review); `expect` pairs measure recall, `forbid` pairs measure false positives.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from compliance import Checker
from compliance.contract import Verdict

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COMPLIANCE_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "corpus" / "dev" / "texts.jsonl"
EVAL = ROOT / "fixtures" / "eval" / "texts.jsonl"
REFERENCE = SHARED / "reference" / "000_1d0b67be0a6037f7.txt"

MIN_RECALL = 0.97
MAX_FP_RATE = 0.02
NEVER_VIOLATION = ("gov_notice", "regulatory", "news")
LAWFUL = ("ad_lawful", "certificate_genuine", "trap")
KINDS = {"ad_violation", "ad_lawful", "certificate_fake", "certificate_genuine", "regulatory", "news",
         "gov_notice", "trap"}


def _load(path: Path) -> list[dict]:
    if not path.exists():
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Outcome:
    item: dict
    verdict: Verdict
    found: dict[str, list[str]]  # category -> evidence (with status)

    @property
    def missed(self) -> list[str]:
        return [c for c in self.item["expect"] if c not in self.found]

    @property
    def false(self) -> list[str]:
        return [c for c in self.item["forbid"] if c in self.found]

    def describe(self) -> str:
        found = "; ".join(f"{c}: {', '.join(ev)}" for c, ev in sorted(self.found.items())) or "-"
        text = self.item["text"].replace("\n", "\\n")
        if len(text) > 60:
            text = text[:60] + "…"
        return (f"{self.item['id']} [{self.item.get('kind', '')}] verdict={self.verdict} missed={self.missed} "
                f"false={self.false} found=({found}) text={text}")


@dataclass(repr=False)
class Score:
    outcomes: list[Outcome]
    expected: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    forbidden: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    false: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __repr__(self) -> str:
        return f"Score({len(self.outcomes)} items, recall={self.recall:.3f}, fp_rate={self.fp_rate:.3f})"

    def __post_init__(self) -> None:
        for o in self.outcomes:
            for c in o.item["expect"]:
                self.expected[c] += 1
                self.hits[c] += c in o.found
            for c in o.item["forbid"]:
                self.forbidden[c] += 1
                self.false[c] += c in o.found

    @property
    def recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.hits.values()) / total if total else 1.0

    @property
    def fp_rate(self) -> float:
        total = sum(self.forbidden.values())
        return sum(self.false.values()) / total if total else 0.0

    def table(self) -> str:
        rows = [f"{'category':24} {'recall':>16} {'false positives':>18}"]
        for c in sorted(set(self.expected) | set(self.forbidden)):
            e, h, f, x = self.expected[c], self.hits[c], self.forbidden[c], self.false[c]
            rec = f"{h}/{e} {h / e:.3f}" if e else "-"
            fpr = f"{x}/{f} {x / f:.3f}" if f else "-"
            rows.append(f"{c:24} {rec:>16} {fpr:>18}")
        rows.append(f"{'all':24} {self.recall:>16.3f} {self.fp_rate:>18.3f}")
        return "\n".join(rows)

    def failures(self, limit: int = 60) -> str:
        bad = [o.describe() for o in self.outcomes if o.missed or o.false]
        more = f"\n… and {len(bad) - limit} more" if len(bad) > limit else ""
        return "\n".join(bad[:limit]) + more


def _run(checker: Checker, items: list[dict]) -> Score:
    outcomes = []
    for item in items:
        report = checker.check_text(item["text"], source=item["id"])
        found: dict[str, list[str]] = defaultdict(list)
        for f in report.findings:
            found[str(f.category)].append(f"{f.evidence!r}/{f.status}")
        outcomes.append(Outcome(item, report.verdict, dict(found)))
    return Score(outcomes)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def dev_score(checker: Checker) -> Score:
    return _run(checker, _load(DEV))


@pytest.fixture(scope="module")
def eval_score(checker: Checker) -> Score:
    return _run(checker, _load(EVAL))


def test_eval_set_is_well_formed() -> None:
    items = _load(EVAL)
    dev_texts = {i["text"] for i in _load(DEV)} if DEV.exists() else set()
    assert len(items) >= 300
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["kind"] in KINDS, item["id"]
        assert not set(item["expect"]) & set(item["forbid"]), item["id"]
        assert item["text"] not in dev_texts, f"{item['id']} copies a dev item"


def test_dev_set_exact(dev_score: Score) -> None:
    exact = not any(o.missed or o.false for o in dev_score.outcomes)
    assert exact, f"dev items not exact:\n{dev_score.failures()}\n\n{dev_score.table()}"


def test_eval_recall(eval_score: Score) -> None:
    recall = eval_score.recall
    ok = recall >= MIN_RECALL
    assert ok, f"recall {recall:.3f} < {MIN_RECALL}\n{eval_score.table()}\n\n{eval_score.failures()}"


def test_eval_false_positive_rate(eval_score: Score) -> None:
    rate = eval_score.fp_rate
    ok = rate <= MAX_FP_RATE
    assert ok, f"false-positive rate {rate:.3f} > {MAX_FP_RATE}\n{eval_score.table()}\n\n{eval_score.failures()}"


@pytest.mark.parametrize("kinds", [NEVER_VIOLATION, LAWFUL], ids=["official_regulatory_news", "lawful"])
def test_no_violation_verdict_on_lawful_text(eval_score: Score, kinds: tuple[str, ...]) -> None:
    bad = "\n".join(o.describe() for o in eval_score.outcomes
                    if o.item["kind"] in kinds and o.verdict == Verdict.VIOLATION)
    assert not bad, f"verdict violation on lawful text:\n{bad}"


def test_reference_notice_is_not_a_violation(checker: Checker) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not available")
    report = checker.check_text(REFERENCE.read_text(encoding="utf-8"), source=REFERENCE.name)
    assert report.verdict != Verdict.VIOLATION, [(f.rule_id, f.evidence) for f in report.findings]

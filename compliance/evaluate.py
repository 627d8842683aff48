"""Scoring the engine on a labelled set of texts: category recall, false-positive rate, verdicts on lawful text.

A labelled set is JSON Lines, one item per line: ``id``, ``text``, ``expect`` (categories that must be found, at
any status), ``forbid`` (categories that must not be found), optional ``kind``, ``note`` and ``mode``
(``"complaint"``: the text is a complaint, read as ``POST /api/v1/complaints`` reads it,
``Checker.check_complaint``, where the claims it reports are findings for review; otherwise ``check_text``).
The project's own sets (``fixtures/eval/texts.jsonl``, ``../shared/corpus/dev/texts.jsonl``) use it, and so can
a regulator's: a campaign's checked ads, labelled by the inspectors, measure the engine on the material that
matters to them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from compliance.checker import Checker
from compliance.contract import Verdict

# Kinds whose items are lawful: a `violation` verdict on one of them is a false accusation.
NEVER_VIOLATION = ("gov_notice", "regulatory", "news")
LAWFUL = ("ad_lawful", "certificate_genuine", "trap")


class LabelError(ValueError):
    """A labelled set that cannot be scored (bad JSON, a missing field); the message names the line."""


def load_labelled(path: Path) -> list[dict]:
    items: list[dict] = []
    with path.open(encoding="utf-8-sig") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise LabelError(f"{path}:{number}: an item needs a string 'text'")
            item.setdefault("id", f"{path.name}:{number}")
            for key in ("expect", "forbid"):
                value = item.setdefault(key, [])
                if not isinstance(value, list):
                    raise LabelError(f"{path}:{number}: '{key}' must be a list of categories")
            items.append(item)
    return items


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

    @property
    def false_accusation(self) -> bool:
        return self.item.get("kind") in NEVER_VIOLATION + LAWFUL and self.verdict is Verdict.VIOLATION

    def describe(self, width: int = 60) -> str:
        found = "; ".join(f"{c}: {', '.join(ev)}" for c, ev in sorted(self.found.items())) or "-"
        text = self.item["text"].replace("\n", "\\n")
        if len(text) > width:
            text = text[:width] + "…"
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

    def accusations(self, kinds: Iterable[str] = NEVER_VIOLATION + LAWFUL) -> list[Outcome]:
        wanted = set(kinds)
        return [o for o in self.outcomes if o.item.get("kind") in wanted and o.verdict is Verdict.VIOLATION]

    def table(self) -> str:
        rows = [f"{'category':24} {'recall':>16} {'false positives':>18}"]
        for c in sorted(set(self.expected) | set(self.forbidden)):
            e, h, f, x = self.expected[c], self.hits[c], self.forbidden[c], self.false[c]
            rec = f"{h}/{e} {h / e:.3f}" if e else "-"
            fpr = f"{x}/{f} {x / f:.3f}" if f else "-"
            rows.append(f"{c:24} {rec:>16} {fpr:>18}")
        rows.append(f"{'all':24} {self.recall:>16.3f} {self.fp_rate:>18.3f}")
        return "\n".join(rows)

    def failures(self, limit: int | None = 60) -> str:
        bad = [o.describe() for o in self.outcomes if o.missed or o.false or o.false_accusation]
        if limit is None or len(bad) <= limit:
            return "\n".join(bad)
        return "\n".join(bad[:limit]) + f"\n… and {len(bad) - limit} more"


def score(checker: Checker, items: list[dict]) -> Score:
    outcomes = []
    for item in items:
        if item.get("mode") == "complaint":
            report = checker.check_complaint(item["text"], source=str(item["id"]))
        else:
            report = checker.check_text(item["text"], source=str(item["id"]))
        found: dict[str, list[str]] = defaultdict(list)
        for f in report.findings:
            found[str(f.category)].append(f"{f.evidence!r}/{f.status}")
        outcomes.append(Outcome(item, report.verdict, dict(found)))
    return Score(outcomes)

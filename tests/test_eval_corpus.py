"""Scores the engine on the dev set (exact) and on the independent evaluation set (thresholds).

Dev set: ../shared/corpus/dev/texts.jsonl (every item exact). Evaluation set: fixtures/eval/texts.jsonl
(see fixtures/eval/README.md for the labelling conventions). A category counts as found at any status
(violation or review); `expect` pairs measure recall, `forbid` pairs measure false positives.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance import Checker
from compliance.contract import Verdict
from compliance.evaluate import LAWFUL, NEVER_VIOLATION, Score, load_labelled, score

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("COMPLIANCE_SHARED", ROOT.parent / "shared"))
DEV = SHARED / "corpus" / "dev" / "texts.jsonl"
EVAL = ROOT / "fixtures" / "eval" / "texts.jsonl"
REFERENCE = SHARED / "reference" / "000_1d0b67be0a6037f7.txt"

MIN_RECALL = 0.97
MAX_FP_RATE = 0.02
KINDS = {"ad_violation", "ad_lawful", "certificate_fake", "certificate_genuine", "regulatory", "news",
         "gov_notice", "trap"}


def _load(path: Path) -> list[dict]:
    if not path.exists():
        pytest.skip(f"{path} not available")
    return load_labelled(path)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.fixture(scope="module")
def dev_score(checker: Checker) -> Score:
    return score(checker, _load(DEV))


@pytest.fixture(scope="module")
def eval_score(checker: Checker) -> Score:
    return score(checker, _load(EVAL))


def test_eval_set_is_well_formed() -> None:
    items = _load(EVAL)
    dev_texts = {i["text"] for i in _load(DEV)} if DEV.exists() else set()
    assert len(items) >= 300
    assert len({i["id"] for i in items}) == len(items)
    for item in items:
        assert item["kind"] in KINDS, item["id"]
        assert not set(item["expect"]) & set(item["forbid"]), item["id"]
        assert item["text"] not in dev_texts, f"{item['id']} copies a dev item"
        assert item.get("mode", "text") in ("text", "complaint"), item["id"]


def test_complaint_items_are_read_as_complaints(checker: Checker) -> None:
    # A complaint quoting an ad: check_text reads the quotes as reported (no claim of the complainant's own),
    # the complaint reading raises them for review; `mode: complaint` items are scored the second way.
    item = {"id": "c1", "kind": "ad_violation", "mode": "complaint", "expect": ["guarantee_pass"], "forbid": [],
            "text": "投诉对象：58同城上发布“高级育婴师 包过 三天出证”信息的商家，我付款后对方把我拉黑了，请求查处。"}
    as_text = dict(item, mode="text")
    assert score(checker, [item]).outcomes[0].missed == []
    assert score(checker, [as_text]).outcomes[0].missed == ["guarantee_pass"]


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
    bad = "\n".join(o.describe() for o in eval_score.accusations(kinds))
    assert not bad, f"verdict violation on lawful text:\n{bad}"


def test_reference_notice_is_not_a_violation(checker: Checker) -> None:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} not available")
    report = checker.check_text(REFERENCE.read_text(encoding="utf-8"), source=REFERENCE.name)
    assert report.verdict != Verdict.VIOLATION, [(f.rule_id, f.evidence) for f in report.findings]


@pytest.mark.parametrize("text", [
    "《中华人民共和国广告法》第九条 广告不得有下列情形：（一）使用或者变相使用中华人民共和国的国旗、国歌、国徽；",
    "湖南省人力资源和社会保障厅提醒：职业资格证书可通过省人社厅网站查询，职业技能等级证书可登录全国联网查询系统查询。",
])
def test_a_statute_quoted_or_the_organ_speaking_is_not_a_violation(checker: Checker, text: str) -> None:
    assert checker.check_text(text).verdict is not Verdict.VIOLATION


def test_the_organ_s_name_over_a_sales_pitch_is_no_exemption(checker: Checker) -> None:
    assert checker.check_text("人社局提醒：您的职业资格证书已过期，包过班报名加微信123").verdict is Verdict.VIOLATION

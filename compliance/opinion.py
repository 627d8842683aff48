"""The sentence model's second opinion as findings: review only, where the rules found nothing of that category.

A model finding names the sentence as its evidence and says why it was raised (the probability and the character
sequences that weighed most); it is never a `violation`, so a verdict of violation always rests on a rule.
"""

from __future__ import annotations

import hashlib
import re

from compliance.contract import Category, Finding, Location, Origin, Severity, Status
from compliance.rules.loader import RuleSet
from compliance.text.context import ContextRules
from compliance.text.model import SentenceModel
from compliance.text.normalize import fold

RULE_PREFIX = "model."
_CONTEXT_CHARS = 24
MIN_SENTENCE_CHARS = 10
_LATIN = re.compile(r"[a-z]+")
# A chat turn or FAQ question by the other party: 学员：…, 问：….
_OTHER_PARTY = re.compile(r"\s*(?:学员|学生|客户|顾客|家长|网友|用户|买家)?问?\s*[：:]")
# A notice's addressees (各城区人力资源和社会保障局、市场监督管理局：): the organs it is sent to, not claimed.
_ADDRESSEES = re.compile(r"\s*各[^。！？!?\n]{2,80}[：:]\s*$")
# Claims listed as examples of what is forbidden: 实践中常见的“包过”“不过退费”等表述均属此类.
_LISTED = re.compile(r"等(?:表述|字样|用语|字眼|词语|说法|话术|宣传语|承诺)|均属此类|属于此类")


def model_findings(text: str, found: list[Finding], model: SentenceModel, ruleset: RuleSet, context: ContextRules,
                   *, page: int | None, origin: Origin, official: bool,
                   skip: frozenset[str] = frozenset()) -> list[Finding]:
    """Review findings for the sentences of ``text`` that the model scores high in a category the rules did not
    find there. Nothing in a government notice, nor in a sentence that states a prohibition or reports a case.
    ``skip``: categories not to raise at all (the rules' findings were truncated, so overlap cannot be told)."""
    if official:
        return []
    out: list[Finding] = []
    for sent in model.score(text):
        raised = [c for c, th in model.thresholds.items() if sent.scores[c] >= th]
        if not raised:
            continue
        folded = fold(text[sent.start : sent.end])
        if len(folded) < MIN_SENTENCE_CHARS:
            continue  # a title line (心理咨询师证书) or a slogan fragment: too little to judge a paraphrase by
        if context.prohibition.search(folded) or (context.disown_marks is not None
                                                  and context.disown_marks.search(folded)):
            continue  # 严禁…, 警方提醒…, 市民反映…, …算不算违法: the claim is quoted to be condemned or reported
        if _ADDRESSEES.match(text[sent.start : sent.end]) or _LISTED.search(folded):
            continue
        commenter = sent.start > 0 and text[sent.start - 1] == "@"  # @佛山阿伟：这证国家认不认？
        if (_OTHER_PARTY.match(text, sent.start) or commenter) and "\n" not in text[sent.start : sent.end]:
            continue  # 学员：证书是人社部发的吗？ — the customer's turn in a chat, not the advertiser's claim
        if _LATIN.search(folded):
            # Latin letters are read as pinyin by the pinyin reader, not here: 在Taobao上买的书 is no 包过. A sentence
            # raised only because of its Latin letters is left alone.
            bare = _LATIN.sub("", folded)
            kept = model._score_one(sent.start, sent.end, bare).scores if bare else {}
            raised = [c for c in raised if kept.get(c, 0.0) >= model.thresholds[c]]
        for cat in raised:
            if cat in skip:
                continue
            if any(f.category.value == cat and f.location.start is not None and f.location.end is not None
                   and f.location.start < sent.end and f.location.end > sent.start for f in found):
                continue
            out.append(_finding(text, sent.start, sent.end, cat, sent.scores[cat], sent.cues.get(cat, []),
                                model, ruleset, page, origin))
    return out


def _finding(text: str, start: int, end: int, cat: str, p: float, cues: list[str], model: SentenceModel,
             ruleset: RuleSet, page: int | None, origin: Origin) -> Finding:
    category = Category(cat)
    info = ruleset.categories[category]
    rule_id = RULE_PREFIX + cat
    fingerprint = hashlib.sha1(f"{rule_id}|{page}|{start}|{end}".encode()).hexdigest()[:16]
    lo, hi = max(0, start - _CONTEXT_CHARS), min(len(text), end + _CONTEXT_CHARS)
    return Finding.model_construct(
        rule_id=rule_id,
        category=category,
        severity=Severity.MEDIUM,
        confidence=round(min(1.0, 0.8 * p), 3),
        term=fold(text[start:end]),  # the phrase matched is the whole sentence; the cues are in the notes
        evidence=text[start:end],
        location=Location.model_construct(page=page, start=start, end=end, bbox=None, origin=origin),
        basis=info.basis,
        action=info.action,
        authority=info.authority,
        status=Status.REVIEW,
        message=f"{info.title}：与已标注的违法表述相似（统计模型提示，需人工核对）",
        context=text[lo:hi],
        notes=[f"statistical model ({model.version}): p={p:.2f}, no rule of this category matched the sentence",
               "cues: " + ", ".join(cues) if cues else "cues: -"],
        fingerprint=fingerprint,
    )

"""Reading a complaint: the claims it reports are what the triage is about.

In an ad or a notice, 对方承诺“包过”, 某机构宣称“国家认可” and 以…为名 mark a claim being *reported* or
condemned, and the engine does not count it. A complaint is made of exactly such reports: the complainant
quotes what the training body promised. So a complaint's text is read a second time with the reporting and
complaint vocabulary (宣称, 承诺, 投诉, 虚假宣传 …) taken out of the context lists; what that reading adds is
reported as `review` — an allegation attributed to the body complained about, for the authority that handles
it to verify — never as a `violation` of the complainant's own text. True rule statements (严禁, 不得, 等字样)
keep their effect.
"""

from __future__ import annotations

from dataclasses import replace

from compliance.contract import Finding, Severity, Status
from compliance.rules.loader import RuleSet
from compliance.text.analyzer import TextAnalyzer

# Words a complainant uses to report or denounce what a body claimed; in an ad they would mean the opposite.
REPORTING = frozenset({
    "所谓", "宣称", "声称", "号称", "打着", "对方承诺", "对方称", "对方表示", "工作人员称", "客服称", "称", "打出",
    "承诺的", "等承诺", "虚假宣传", "违法宣传", "违规宣传", "等虚假", "等违法", "等违规", "违法广告", "违规广告",
    "噱头", "旗号", "名义", "为名", "话术", "误导", "违法", "违规", "不实", "夸大", "涉嫌", "投诉", "举报", "当事人",
    "曝光", "不要相信", "不要轻信", "请勿轻信", "切勿轻信", "切勿相信", "请勿相信", "勿信", "骗取", "实为", "山寨",
    "冒牌", "假证", "假冒", "出售假", "售卖假", "伪造", "编造", "反映", "消委会", "消费者协会", "调解",
    # What the complainant asks for: 要求查处, 请依法查处 (in a news item, 查处 reports a closed case).
    "查处", "经核查", "核查发现",
    # How a complainant came upon the claim and what they call it: 刷到广告“…”, 说是“住建部统一颁发”, 被坑了, 别上当.
    "刷到", "说是", "坑了", "被坑", "坑人", "踩雷", "当心", "要当心", "别上当", "小心", "别信", "都别信", "不要信",
    "骗局", "防骗", "维权", "吐槽", "网友吐槽", "差点被骗", "谨防上当", "警示一下", "别相信",
})
NOTE = "reported in a complaint: a claim attributed to the body complained about, to be verified"


def complaint_rules(ruleset: RuleSet) -> RuleSet:
    ctx = ruleset.context
    context = ctx.model_copy(update={
        "prohibition_markers": [w for w in ctx.prohibition_markers if w not in REPORTING],
        "mention_markers": [w for w in ctx.mention_markers if w not in REPORTING],
        "case_markers": [w for w in ctx.case_markers if w not in REPORTING],
        "complaint": True,
    })
    return replace(ruleset, context=context)


def reported_claims(analyzer: TextAnalyzer, text: str, found: list[Finding]) -> list[Finding]:
    """Findings of the complaint reading that the ordinary reading did not make, as review."""
    have = {(f.rule_id, f.location.start, f.location.end) for f in found}
    out = []
    for f in analyzer.analyze(text, official=False):
        if (f.rule_id, f.location.start, f.location.end) in have:
            continue
        if f.status is Status.VIOLATION:
            f.status = Status.REVIEW
            f.severity = Severity.MEDIUM if f.severity is Severity.HIGH else Severity.LOW
        f.confidence = round(f.confidence * 0.8, 3)
        f.notes.append(NOTE)
        out.append(f)
    return out

"""Complaint triage: which authority handles what was found.

Advertising categories go to 市场监督管理部门 (广告法 9, 24); certificate and qualification categories to
人力资源和社会保障部门 (人社部发〔2017〕68号, the notice); both when a complaint has both kinds.
"""

from __future__ import annotations

from compliance.contract import Category, Report, Severity, Verdict

MARKET = "市场监督管理部门"
HR = "人力资源和社会保障部门"

AUTHORITY: dict[Category, str] = {
    Category.GUARANTEE_PASS: MARKET,
    Category.IMPERSONATE_AUTHORITY: MARKET,
    Category.ABSOLUTE_CLAIM: MARKET,
    Category.MISLEADING_CLAIM: MARKET,
    Category.NATIONAL_EMBLEM: MARKET,
    Category.NATIONAL_FLAG: MARKET,
    Category.STATE_NAME: HR,
    Category.QUALIFICATION_TERM: HR,
    Category.ORGAN_MARK: HR,
    Category.CERTIFICATE_REGISTRY: HR,
}
ROUTES = {(MARKET,): "market_regulation", (HR,): "human_resources", (MARKET, HR): "both"}
_VERDICT_ORDER = (Verdict.VIOLATION, Verdict.REVIEW, Verdict.CLEAN, Verdict.ERROR)


def triage(reports: list[Report]) -> dict[str, object]:
    findings = [f for r in reports for f in r.findings]
    categories = sorted({f.category.value for f in findings})
    authorities = [a for a in (MARKET, HR) if any(AUTHORITY[f.category] == a for f in findings)]
    highest = max((f.severity for f in findings), key=lambda s: s.rank, default=None)
    verdicts = {r.verdict for r in reports}
    if Verdict.VIOLATION in verdicts:
        verdict = Verdict.VIOLATION
    elif Verdict.REVIEW in verdicts:
        verdict = Verdict.REVIEW
    elif Verdict.CLEAN in verdicts:
        verdict = Verdict.CLEAN  # an unreadable attachment does not make a checked text "error"
    else:
        verdict = Verdict.ERROR
    return {
        "verdict": verdict.value,
        "categories": categories,
        "highest_severity": highest.value if isinstance(highest, Severity) else None,
        "authority": "、".join(authorities) or None,
        "authorities": authorities,
        "route": ROUTES.get(tuple(authorities)),
    }

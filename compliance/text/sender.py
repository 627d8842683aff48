"""A message signed in an organ's name: 【人社服务中心】您的职业技能补贴待领取….

Text messages carry their sender as a bracketed signature at the start (or the end) of a line. Scams about
subsidies and certificates sign as the human-resources authorities; genuine bureaus sign their own messages the
same way (【重庆人社】), so the text cannot tell one from the other: the signature is raised for review, with the
signature as evidence, where no rule already raised impersonation there. The fold drops the brackets, which is
why this reads the original text rather than being a rule.
"""

from __future__ import annotations

import re

from compliance.contract import Category, Finding, Origin, Severity, Status
from compliance.rules.loader import RuleSet
from compliance.text.line_finding import covered, line_finding
from compliance.text.normalize import fold

RULE_ID = "impersonate_authority.sender_signature"
# A signature: at a line's start or end, short, in the brackets SMS gateways use.
_SIGNATURE = re.compile(r"(?m)^[ \t\u3000]*【([^】\n]{2,16})】|【([^】\n]{2,16})】[ \t\u3000]*$")
# Organ words a signature may carry (folded).
_ORGAN = re.compile(
    r"人社|人力资源|人力社保|社保|劳动保障|政务|政府|人民政府|市场监管|市场监督|教育局|教育厅|教育部|应急管理|住建|"
    r"税务|公安|民政|卫健|财政|就业服务|职业技能鉴定|技能鉴定|12333"
)
_CONFIDENCE = 0.6


def sender_findings(text: str, found: list[Finding], ruleset: RuleSet, *, page: int | None, origin: Origin,
                    official: bool) -> list[Finding]:
    if official or "【" not in text:
        return []
    out: list[Finding] = []
    for m in _SIGNATURE.finditer(text):
        group = 1 if m.group(1) is not None else 2
        name = m.group(group)
        if not _ORGAN.search(fold(name)):
            continue
        start, end = m.start(group) - 1, m.end(group) + 1  # with its brackets
        if covered(found, Category.IMPERSONATE_AUTHORITY, start, end):
            continue
        out.append(line_finding(
            text, start, end, rule_id=RULE_ID, category=Category.IMPERSONATE_AUTHORITY, severity=Severity.MEDIUM,
            status=Status.REVIEW, confidence=_CONFIDENCE, term=name,
            message="以行政机关名义署名的短信或消息（需核实发送方是否为该机关）",
            note="a message signed with an organ's name; genuine bureaus sign the same way, so a person checks the "
                 "sender (number, link domain)", ruleset=ruleset, page=page, origin=origin))
    return out

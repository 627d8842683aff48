"""Strict models for the YAML lexicons: one rule = one object, with its own examples.

Terms, anchors and regexes are written in *normalised* space (simplified characters, lower case,
no spaces or punctuation): the loader checks that, so an author learns at load time, not in production.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from compliance.contract import Category, Severity

RULE_ID = r"^[a-z][a-z0-9_]*(\.[a-z0-9_-]+)+$"


class Boundary(StrEnum):
    """How a literal hit must sit among the words around it (checked with jieba on a small window)."""

    STRICT = "strict"  # both edges on word boundaries: 确保过程 is not 保过
    PREFIX = "prefix"  # start on a boundary, the term may begin a longer word: 国家级, 中国人
    NONE = "none"  # long, unambiguous terms: no check


class Exemption(StrEnum):
    """Contexts in which a hit is the rule being *stated* or an official reference, not a claim."""

    PROHIBITION = "prohibition"  # 严禁使用"包过"等字样
    TITLE = "title"  # 《中华人民共和国广告法》, 《国家职业资格目录》
    DOC_NUMBER = "doc_number"  # 人社部发〔2024〕29号
    OFFICIAL_DOCUMENT = "official_document"  # the whole text is a government notice
    NEGATION = "negation"  # 未经人社部门备案, 不承诺包过: the claim is denied, not made


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pattern(_Strict):
    """A placeholder pattern: cheap literal anchors find candidates, the regex decides."""

    regex: str
    anchors: Annotated[list[str], Field(min_length=1)]
    window: int = Field(24, ge=4, le=200, description="characters around the anchor the regex may see")

    @field_validator("regex")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from exc
        return v


class TokenPattern(_Strict):
    """A spaCy Matcher pattern over jieba words, tried on the clause around any of its anchors."""

    anchors: Annotated[list[str], Field(min_length=1)]
    pattern: Annotated[list[dict[str, Any]], Field(min_length=1)]

    @field_validator("pattern")
    @classmethod
    def _token_specs(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        allowed = {"TEXT", "LOWER", "ORTH", "LENGTH", "IS_PUNCT", "IS_DIGIT", "LIKE_NUM", "OP", "REGEX"}
        for spec in v:
            unknown = set(spec) - allowed
            if unknown:
                raise ValueError(f"token spec keys {sorted(unknown)} are not supported (use {sorted(allowed)})")
        return v


class Examples(_Strict):
    flag: Annotated[list[str], Field(min_length=1)]
    ok: list[str] = Field(default_factory=list)


class Rule(_Strict):
    id: Annotated[str, Field(pattern=RULE_ID)]
    category: Category
    severity: Severity
    message: str
    confidence: float = Field(0.9, gt=0.0, le=1.0)
    terms: list[str] = Field(default_factory=list)
    patterns: list[Pattern] = Field(default_factory=list)
    tokens: list[TokenPattern] = Field(default_factory=list)
    boundary: Boundary = Boundary.STRICT
    breaks: bool = Field(True, description="may a hit span clause punctuation (，。；)? Phrases say no")
    pinyin: bool = Field(True, description="also match pinyin standing in for characters (bao过)")
    not_inside: list[str] = Field(default_factory=list, description="longer phrases that cancel the hit")
    review_inside: list[str] = Field(
        default_factory=list, description="phrases that make the hit a matter for review (official titles)"
    )
    exempt: list[Exemption] = Field(default_factory=lambda: list(Exemption))
    enterprise_name_review: bool = Field(
        False,
        description="a hit that begins a registered enterprise name (中国一拖集团有限公司) is for review: such names "
        "need approval, so the registry, not the text, decides",
    )
    enterprise_name_ignore: bool = Field(
        False,
        description="a hit that begins a registered enterprise name (郑州市第一建筑工程有限责任公司) is part of the "
        "name, not a claim",
    )
    status: str = Field("violation", pattern="^(violation|review)$")
    # "observation": what the rule finds is lawful for some issuers and not for others (职业技能等级证书: filed
    # evaluation bodies only), so text alone cannot make it a finding. It is reported under the report's
    # observations, for the filing registry checks, and never counts in the verdict.
    report: str = Field("finding", pattern="^(finding|observation)$")
    basis: str | None = None
    action: str | None = None
    authority: str | None = None
    examples: Examples

    @model_validator(mode="after")
    def _has_matcher(self) -> Rule:
        if not self.terms and not self.patterns and not self.tokens:
            raise ValueError("a rule needs `terms`, `patterns` or `tokens`")
        return self


class CategoryInfo(_Strict):
    title: str
    basis: str
    action: str
    authority: str


class CategoryFile(_Strict):
    categories: dict[Category, CategoryInfo]


class ContextFile(_Strict):
    """Shared context vocabulary (prohibition markers, official-document signals)."""

    prohibition_markers: list[str]
    negation_markers: list[str]
    mention_markers: list[str]
    official_title_suffixes: list[str]
    official_document_markers: list[str]
    commercial_markers: list[str]
    # A sentence that reports a case (警方破获…, 法院审理查明…, 市民反映…): every claim in it is reported.
    case_markers: list[str] = Field(default_factory=list)
    # Set (never in the file) for reading a complaint: the complainant's own verdicts on a claim (都是假的, 骗子,
    # 这种是不是违法的？) report it, they do not disown it (see compliance/complaint.py).
    complaint: bool = False


class RuleFile(_Strict):
    rules: list[Rule]

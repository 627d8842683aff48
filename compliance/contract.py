"""The finding contract: the one JSON shape every part of the product speaks.

Fields named in DEVELOPERS.md are never renamed or dropped; everything added here is optional.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Category(StrEnum):
    STATE_NAME = "state_name"
    QUALIFICATION_TERM = "qualification_term"
    GUARANTEE_PASS = "guarantee_pass"
    IMPERSONATE_AUTHORITY = "impersonate_authority"
    ABSOLUTE_CLAIM = "absolute_claim"
    MISLEADING_CLAIM = "misleading_claim"
    NATIONAL_EMBLEM = "national_emblem"
    NATIONAL_FLAG = "national_flag"
    ORGAN_MARK = "organ_mark"
    CERTIFICATE_REGISTRY = "certificate_registry"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class Verdict(StrEnum):
    VIOLATION = "violation"
    REVIEW = "review"
    CLEAN = "clean"
    ERROR = "error"


class Status(StrEnum):
    """Whether a finding is a clear breach or needs a person's judgement."""

    VIOLATION = "violation"
    REVIEW = "review"


class Origin(StrEnum):
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    OCR = "ocr"
    DOCX = "docx"
    VISION = "vision"


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int | None = Field(None, description="1-based page number; None for single-page text")
    start: int | None = Field(None, description="start offset (characters) in the page's extracted text")
    end: int | None = Field(None, description="end offset (exclusive); text[start:end] == evidence")
    bbox: list[float] | None = Field(None, description="[x0, y0, x1, y1] in the page's own pixel/point space")
    origin: Origin = Origin.TEXT
    part: str | None = Field(None, description="the embedded part the page came from (word/media/image1.png)")


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule_id: str
    category: Category
    severity: Severity
    confidence: float = Field(ge=0.0, le=1.0)
    term: str = Field(description="the canonical term or phrase the rule matched")
    evidence: str = Field(description="the original characters, exactly as they appear in the source")
    location: Location
    basis: str
    action: str
    authority: str
    # Extensions (optional, additive).
    status: Status = Status.VIOLATION
    message: str | None = None
    context: str | None = Field(None, description="the surrounding original text, for a reader")
    notes: list[str] = Field(default_factory=list, description="why confidence or status was adjusted")
    fingerprint: str | None = Field(None, description="stable identity: same rule, term and place -> same id")


class Observation(BaseModel):
    """Something seen that is not a breach by itself (a company's or school's seal): information for a person
    and for the certificate checks (the issuer's name), never counted in the verdict."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="company_seal, school_seal, seal ...")
    text: str | None = Field(None, description="what the mark says, when read")
    confidence: float = Field(ge=0.0, le=1.0)
    location: Location


class ErrorInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str
    message: str


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    sha256: str | None = None
    media_type: str | None = None
    verdict: Verdict
    error: ErrorInfo | None = None
    findings: list[Finding] = Field(default_factory=list)
    # Extensions.
    encoding: str | None = Field(None, description="detected text encoding, for text inputs")
    pages: int | None = None
    characters: int | None = Field(None, description="characters of text analysed")
    counts: dict[str, int] = Field(default_factory=dict, description="findings per category")
    findings_truncated: bool = Field(False, description="True when more findings existed than were kept")
    warnings: list[str] = Field(default_factory=list, description="what could not be read, short of an error")
    annotations: list[str] = Field(default_factory=list, description="evidence pictures written for this input")
    observations: list[Observation] = Field(default_factory=list, description="marks seen that are not breaches")

    @property
    def categories(self) -> list[str]:
        return sorted({f.category.value for f in self.findings})


class EngineInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    lexicon_version: str


class Result(BaseModel):
    """The top-level document: engine identity and one report per input."""

    model_config = ConfigDict(extra="forbid")

    engine: EngineInfo
    reports: list[Report]

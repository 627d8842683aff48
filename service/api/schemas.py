"""Request and response models of API v1 (the finding contract itself is ``compliance.contract``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.contract import EngineInfo, Finding, Report


class CheckTextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="the text to check (an ad, a transcript, a certificate's text)")
    source: str | None = Field(None, max_length=500, description="a name for the input, kept in the report")


class JobCreated(BaseModel):
    id: str
    status: str
    total: int
    links: dict[str, str]


class Progress(BaseModel):
    done: int
    total: int


class JobFileOut(BaseModel):
    id: int
    seq: int
    source: str
    sha256: str | None
    status: Literal["queued", "running", "done", "error"]
    report: Report | None = Field(None, description="the file's report once checked")
    images: list[str] = Field(default_factory=list, description="evidence pictures (page images with boxes)")


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    progress: Progress
    owner: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    callback_url: str | None
    error: str | None
    engine: EngineInfo | None = Field(None, description="the engine of the first report (each report keeps its own)")
    files: list[JobFileOut]
    links: dict[str, str]


class JobSummary(BaseModel):
    id: str
    status: str
    progress: Progress
    owner: str
    created_at: datetime
    finished_at: datetime | None


class JobList(BaseModel):
    jobs: list[JobSummary]


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(max_length=500)
    content_base64: str


class ComplaintIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    complaint_id: str = Field(min_length=1, max_length=200)
    channel: str = Field(min_length=1, max_length=100, description="hotline, web, 12345, …")
    text: str = ""
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)


class TriageFinding(Finding):
    source: str = Field(description="the complaint text or the attachment the finding is in")


class Triage(BaseModel):
    complaint_id: str
    channel: str
    verdict: Literal["violation", "review", "clean", "error"]
    categories: list[str]
    highest_severity: Literal["high", "medium", "low"] | None
    authority: str | None = Field(description="市场监督管理部门, 人力资源和社会保障部门, or both joined by 、")
    authorities: list[str]
    route: Literal["market_regulation", "human_resources", "both"] | None
    findings: list[TriageFinding]
    engine: EngineInfo
    reports: list[Report]
    received_at: datetime


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["admin", "inspector"]
    name: str = Field("", max_length=200)


class KeyOut(BaseModel):
    id: int
    prefix: str
    role: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    key: str = Field(description="the key itself: shown this once, only its hash is kept")


class AuditOut(BaseModel):
    id: int
    at: datetime
    key_prefix: str | None
    action: str
    target: str | None
    detail: dict | None

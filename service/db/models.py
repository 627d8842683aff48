"""Tables: API keys, content-addressed files, jobs and their files, reports and findings, complaints, audit.

Reports are evidence: a row is written once, with the engine and lexicon versions that produced it, and the
ORM refuses to update or delete it (SQLite triggers in the migration refuse it below the ORM too).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)  # shown in lists and the audit log
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the key; the key is never stored
    role: Mapped[str] = mapped_column(String(16))  # admin | inspector
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Blob(Base):
    """A stored file, once per content: ``files/ab/cdef…`` under the data directory."""

    __tablename__ = "files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(120), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | failed
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    callback_url: Mapped[str | None] = mapped_column(Text, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    # Deleting hides a job from its owner; its files and reports stay, being evidence.
    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    files: Mapped[list[JobFile]] = relationship(back_populates="job", order_by="JobFile.seq")


class JobFile(Base):
    __tablename__ = "job_files"
    __table_args__ = (Index("ix_job_files_status", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)  # the name it was sent under (archive!/entry for archives)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("files.sha256"), default=None)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | running | done | error
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)

    job: Mapped[Job] = relationship(back_populates="files")
    report: Mapped[ReportRow | None] = relationship()


class ReportRow(Base):
    """One input's report: the finding contract as JSON (``Result`` with one report), never changed."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    media_type: Mapped[str | None] = mapped_column(String(120), default=None)
    verdict: Mapped[str] = mapped_column(String(16), index=True)
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    engine_name: Mapped[str] = mapped_column(String(64))
    engine_version: Mapped[str] = mapped_column(String(32))
    lexicon_version: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), default=None)  # who asked
    kind: Mapped[str] = mapped_column(String(16), default="job")  # check | job | complaint
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    contract: Mapped[str] = mapped_column(Text)  # Result JSON, exactly as returned
    images: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{"page": n, "sha256": …}] evidence PNGs

    findings: Mapped[list[FindingRow]] = relationship(order_by="FindingRow.id")


class FindingRow(Base):
    """The findings of a report, flattened for queries (the report's JSON stays the record)."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), index=True)
    severity: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer, default=None)
    start: Mapped[int | None] = mapped_column(Integer, default=None)
    end: Mapped[int | None] = mapped_column(Integer, default=None)
    bbox: Mapped[list[float] | None] = mapped_column(JSON, default=None)
    authority: Mapped[str] = mapped_column(Text)


class Complaint(Base):
    __tablename__ = "complaints"

    complaint_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    channel: Mapped[str] = mapped_column(String(100))
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    request_sha256: Mapped[str] = mapped_column(String(64))  # a replay with other content is a conflict
    triage: Mapped[str] = mapped_column(Text)  # the response JSON, returned again on replay
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """A pending or finished callback; kept in the database so retries survive a restart."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | delivered | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), default=None)
    key_prefix: Mapped[str | None] = mapped_column(String(16), default=None)
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(Text, default=None)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)


IMMUTABLE = (ReportRow, FindingRow, AuditEntry)


class ImmutableRecordError(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _ctx: Any, _instances: Any) -> None:
    # Evidence is append-only: a changed or deleted report, finding or audit entry is a bug, not a feature.
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, IMMUTABLE) and (obj in session.deleted or session.is_modified(obj)):
            raise ImmutableRecordError(f"{type(obj).__name__} rows are never changed or deleted")

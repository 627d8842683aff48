"""Reading jobs back: ownership, the job document (status, progress, per-file reports), the webhook body."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from compliance.contract import Report, Result
from service.api.errors import ApiError
from service.api.schemas import JobFileOut, JobOut, Progress
from service.auth import Principal
from service.db.models import ApiKey, Job, JobFile


def load_job(session: Session, job_id: str, who: Principal) -> Job:
    """The job, if ``who`` may see it; another owner's job is "not found", not "forbidden" (no probing)."""
    job = session.get(Job, job_id, options=[selectinload(Job.files).selectinload(JobFile.report)])
    if job is None or job.deleted_at is not None or (job.owner_id != who.key_id and not who.is_admin):
        raise ApiError(404, "not_found", "no such job")
    return job


def job_file(job: Job, file_id: int) -> JobFile:
    for f in job.files:
        if f.id == file_id:
            return f
    raise ApiError(404, "not_found", "no such file in this job")


@dataclass(frozen=True, slots=True)
class FileView:
    file: JobFile
    result: Result | None

    @property
    def report(self) -> Report | None:
        return self.result.reports[0] if self.result else None


def file_views(job: Job) -> list[FileView]:
    return [FileView(f, Result.model_validate_json(f.report.contract) if f.report else None) for f in job.files]


def image_urls(job: Job, f: JobFile) -> list[str]:
    if f.report is None:
        return []
    pages = sorted({int(img["page"]) for img in f.report.images})
    if not pages and f.report.media_type and f.report.media_type.startswith("image/"):
        pages = [1]  # an image without boxed findings is its own page picture
    return [f"/api/v1/jobs/{job.id}/files/{f.id}/images/{p}" for p in pages]


def owner_prefix(session: Session, job: Job) -> str:
    return session.scalar(select(ApiKey.prefix).where(ApiKey.id == job.owner_id)) or ""


def job_out(session: Session, job: Job, *, offset: int = 0, limit: int | None = None) -> JobOut:
    # Only the requested slice of files is parsed: a campaign job can hold thousands.
    files = job.files[offset:offset + limit if limit is not None else None]
    views = [FileView(f, Result.model_validate_json(f.report.contract) if f.report else None) for f in files]
    engine = next((v.result.engine for v in views if v.result), None)
    base = f"/api/v1/jobs/{job.id}"
    return JobOut(
        id=job.id, status=job.status, progress=Progress(done=job.done, total=job.total),
        owner=owner_prefix(session, job), created_at=job.created_at, started_at=job.started_at,
        finished_at=job.finished_at, callback_url=job.callback_url, error=job.error, engine=engine,
        files=[JobFileOut(id=v.file.id, seq=v.file.seq, source=v.file.source, sha256=v.file.sha256,
                          status=v.file.status, report=v.report, images=image_urls(job, v.file)) for v in views],
        links={"self": base, "csv": f"{base}/report.csv", "html": f"{base}/report.html", "page": f"/jobs/{job.id}"},
    )


def webhook_body(session: Session, job: Job) -> bytes:
    """What a callback receives: the job document plus the finding contract of all its files."""
    job = session.get(Job, job.id, options=[selectinload(Job.files).selectinload(JobFile.report)]) or job
    doc = job_out(session, job)
    views = file_views(job)
    engine = doc.engine
    reports = [v.report for v in views if v.report is not None]
    payload = {
        "event": "job.completed",
        "job": json.loads(doc.model_dump_json(exclude={"files"})),
        "result": json.loads(Result(engine=engine, reports=reports).model_dump_json()) if engine else None,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

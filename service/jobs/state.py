"""Job progress and completion, shared by the intake (a job whose every file was refused at once) and the
runner: ``done`` counts files with a report; a finished job is ``done``, or ``failed`` when not one of its
files could be checked; a callback is queued when it finishes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db.models import Job, JobFile, WebhookDelivery, utcnow

TERMINAL = ("done", "error")


def settle(session: Session, job: Job) -> bool:
    """Recount ``job``; True when this call finished it."""
    counts = dict(session.execute(
        select(JobFile.status, func.count()).where(JobFile.job_id == job.id).group_by(JobFile.status)).all())
    job.done = sum(counts.get(s, 0) for s in TERMINAL)
    if job.status in ("done", "failed") or job.done < job.total:
        return False
    job.status = "done" if counts.get("done", 0) or job.total == 0 else "failed"
    if job.status == "failed" and not job.error:
        job.error = "no file could be checked" if job.total else "no files"
    job.finished_at = utcnow()
    if job.callback_url and job.deleted_at is None:
        session.add(WebhookDelivery(job_id=job.id, url=job.callback_url))
    return True

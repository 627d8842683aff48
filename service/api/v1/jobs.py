"""Jobs: many files or one archive checked in the background; status, per-file reports, CSV and HTML
reports, evidence pictures; deleted (hidden, the evidence kept) by the owner or an admin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.deps import PrincipalDep, ServicesDep, SessionDep
from service.api.errors import ApiError
from service.api.schemas import JobCreated, JobList, JobOut, JobSummary, Progress
from service.auth import Principal
from service.db.models import ApiKey, Job, utcnow
from service.jobs.export import csv_report, html_report
from service.jobs.intake import TooManyFiles, Upload, create_job
from service.jobs.views import file_views, job_file, job_out, load_job
from service.records import audit
from service.services import Services
from service.webhooks import CallbackRefused, validate_callback

router = APIRouter(prefix="/jobs", tags=["jobs"])

_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "properties": {
                "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                          "description": "the files (repeat the field), or one ZIP archive"},
                "callback_url": {"type": "string", "description": "POSTed the result when the job finishes"},
            },
            "required": ["files"],
        }}},
    },
}


async def read_uploads(request: Request, services: Services) -> tuple[list[Upload], str | None]:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "send multipart/form-data with one or more 'files' fields")
    form = await request.form(max_files=services.settings.max_job_files, max_fields=100)
    uploads = []
    for item in [*form.getlist("files"), *form.getlist("file"), *form.getlist("archive")]:
        if isinstance(item, UploadFile):
            uploads.append(Upload(item.filename or "file", await item.read()))
    if not uploads:
        raise ApiError(422, "validation_error", "send at least one file in the multipart field 'files'")
    callback = form.get("callback_url")
    callback_url = callback.strip() if isinstance(callback, str) and callback.strip() else None
    if callback_url:
        try:
            validate_callback(callback_url, services.settings.webhook_allowed_hosts)
        except CallbackRefused as exc:
            raise ApiError(422, "callback_refused", str(exc)) from None
    return uploads, callback_url


def submit(services: Services, who: Principal, uploads: list[Upload], callback_url: str | None) -> Job:
    with services.sessions() as s, s.begin():
        try:
            job = create_job(s, services.store, services.checker, owner_id=who.key_id, uploads=uploads,
                             callback_url=callback_url, max_files=services.settings.max_job_files)
        except TooManyFiles as exc:
            raise ApiError(413, "too_many_files", str(exc)) from None
        audit(s, who, "job.create", target=job.id, detail={"files": job.total, "callback_url": callback_url})
    services.runner.submit(job.id)
    if job.status in ("done", "failed"):
        services.webhooks.notify(job.id)
    return job


@router.post("", status_code=202, response_model=JobCreated, openapi_extra=_UPLOAD_DOC,
             summary="Submit files or one archive as a job")
async def create(request: Request, services: ServicesDep, who: PrincipalDep) -> JobCreated:
    uploads, callback_url = await read_uploads(request, services)
    job = await run_in_threadpool(submit, services, who, uploads, callback_url)
    base = f"/api/v1/jobs/{job.id}"
    return JobCreated(id=job.id, status=job.status, total=job.total,
                      links={"self": base, "csv": f"{base}/report.csv", "html": f"{base}/report.html"})


@router.get("", response_model=JobList, summary="Your jobs (an admin sees all), newest first")
def list_jobs(session: SessionDep, who: PrincipalDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
              offset: Annotated[int, Query(ge=0)] = 0) -> JobList:
    stmt = select(Job, ApiKey.prefix).join(ApiKey, ApiKey.id == Job.owner_id).where(Job.deleted_at.is_(None))
    if not who.is_admin:
        stmt = stmt.where(Job.owner_id == who.key_id)
    rows = session.execute(stmt.order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)).all()
    return JobList(jobs=[JobSummary(id=j.id, status=j.status, progress=Progress(done=j.done, total=j.total),
                                    owner=prefix, created_at=j.created_at, finished_at=j.finished_at)
                         for j, prefix in rows])


@router.get("/{job_id}", response_model=JobOut, summary="Status, progress and the reports finished so far")
def get_job(job_id: str, session: SessionDep, who: PrincipalDep,
            files_offset: Annotated[int, Query(ge=0, description="first file (by submission order)")] = 0,
            files_limit: Annotated[int, Query(ge=0, le=10_000, description="files per page")] = 1000) -> JobOut:
    return job_out(session, load_job(session, job_id, who), offset=files_offset, limit=files_limit)


@router.get("/{job_id}/report.csv", summary="One row per finding (UTF-8 with BOM, for Excel)",
            response_class=Response, responses={200: {"content": {"text/csv": {}}}})
def report_csv(job_id: str, session: SessionDep, who: PrincipalDep) -> Response:
    job = load_job(session, job_id, who)
    return Response(csv_report(file_views(job)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="job-{job.id}.csv"'})


@router.get("/{job_id}/report.html", summary="A printable report with evidence pictures",
            response_class=Response, responses={200: {"content": {"text/html": {}}}})
def report_html(job_id: str, session: SessionDep, who: PrincipalDep, services: ServicesDep,
                download: bool = False) -> Response:
    job = load_job(session, job_id, who)
    html = html_report(services.templates, job, file_views(job), services.store)
    headers = {"Content-Disposition": f'attachment; filename="job-{job.id}.html"'} if download else {}
    return Response(html, media_type="text/html; charset=utf-8", headers=headers)


@router.get("/{job_id}/files/{file_id}/images/{page}", summary="A page picture with the finding boxes drawn",
            response_class=Response, responses={200: {"content": {"image/png": {}}}})
def page_image(job_id: str, file_id: int, page: int, session: SessionDep, who: PrincipalDep,
               services: ServicesDep) -> Response:
    job = load_job(session, job_id, who)
    f = job_file(job, file_id)
    report = f.report
    if report is None:
        raise ApiError(404, "not_found", "this file has no report yet")
    for img in report.images:
        if int(img["page"]) == page:
            return Response(services.store.get(img["sha256"]), media_type="image/png",
                            headers={"Cache-Control": "private, max-age=86400"})
    if page == 1 and f.sha256 and report.media_type and report.media_type.startswith("image/"):
        return Response(services.store.get(f.sha256), media_type=report.media_type,
                        headers={"Cache-Control": "private, max-age=86400"})
    raise ApiError(404, "not_found", "no picture for this page")


@router.delete("/{job_id}", status_code=204, response_class=Response,
               summary="Delete a job (owner or admin): hidden from lists, its evidence kept")
def delete_job(job_id: str, session: SessionDep, who: PrincipalDep) -> Response:
    job = load_job(session, job_id, who)
    job.deleted_at = utcnow()
    audit(session, who, "job.delete", target=job.id)
    session.commit()
    return Response(status_code=204)

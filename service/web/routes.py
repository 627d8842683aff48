"""The web page for regulators: key login, drag-and-drop upload, job list, results with boxed page pictures
and the findings table, report downloads. Server-rendered (Jinja2); a little JS for drop and polling."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from service.api.deps import COOKIE, ServicesDep
from service.api.errors import ApiError
from service.api.v1.jobs import read_uploads, submit
from service.auth import Principal
from service.db.models import ApiKey, Job
from service.jobs.export import TITLES, summary
from service.jobs.views import file_views, image_urls, load_job
from service.records import audit
from service.services import Services

router = APIRouter(include_in_schema=False)

VERDICTS = {"violation": "违规", "review": "待复核", "clean": "未发现问题", "error": "无法检查"}
STATUSES = {"queued": "排队中", "running": "检查中", "done": "已完成", "failed": "失败", "error": "无法检查"}
SEVERITIES = {"high": "高", "medium": "中", "low": "低"}
LABELS = {"verdicts": VERDICTS, "statuses": STATUSES, "severities": SEVERITIES, "titles": TITLES}


def _who(request: Request, services: Services) -> Principal | None:
    key = request.cookies.get(COOKIE)
    return services.verifier.verify(key) if key else None


def _page(services: Services, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return services.templates.TemplateResponse(request, name, {**LABELS, **context}, status_code=status)


def _jobs(services: Services, who: Principal) -> list[tuple[Job, str]]:
    with services.sessions() as s:
        stmt = select(Job, ApiKey.prefix).join(ApiKey, ApiKey.id == Job.owner_id).where(Job.deleted_at.is_(None))
        if not who.is_admin:
            stmt = stmt.where(Job.owner_id == who.key_id)
        return [(j, p) for j, p in s.execute(stmt.order_by(Job.created_at.desc()).limit(100)).all()]


@router.get("/", response_class=HTMLResponse)
def index(request: Request, services: ServicesDep) -> HTMLResponse:
    who = _who(request, services)
    if who is None:
        return _page(services, request, "login.html")
    return _page(services, request, "index.html", who=who, jobs=_jobs(services, who))


@router.post("/login")
async def login(request: Request, services: ServicesDep) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    key = str(form.get("key") or "").strip()
    who = await run_in_threadpool(services.verifier.verify, key) if key else None
    if who is None:
        return _page(services, request, "login.html", status=401, error="密钥无效或已停用")

    def record() -> None:
        with services.sessions() as s, s.begin():
            audit(s, who, "web.login")

    await run_in_threadpool(record)
    resp = RedirectResponse("/", status_code=303)
    # HttpOnly: scripts never see the key; SameSite=Strict: other sites cannot make the browser use it.
    resp.set_cookie(COOKIE, key, httponly=True, samesite="strict", secure=services.settings.secure_cookies,
                    max_age=12 * 3600, path="/")
    return resp


@router.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/", status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


@router.post("/upload")
async def upload(request: Request, services: ServicesDep) -> Response:
    who = _who(request, services)
    if who is None:
        return RedirectResponse("/", status_code=303)
    try:
        uploads, callback_url = await read_uploads(request, services)
    except ApiError as exc:
        jobs = await run_in_threadpool(_jobs, services, who)
        return _page(services, request, "index.html", status=exc.status, who=who, jobs=jobs, error=exc.message)
    job = await run_in_threadpool(submit, services, who, uploads, callback_url)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(job_id: str, request: Request, services: ServicesDep) -> Response:
    who = _who(request, services)
    if who is None:
        return RedirectResponse("/", status_code=303)
    with services.sessions() as s:
        try:
            job = load_job(s, job_id, who)
        except ApiError:
            return _page(services, request, "missing.html", status=404, who=who)
        views = file_views(job)
        images = {v.file.id: image_urls(job, v.file) for v in views}
        return _page(services, request, "job.html", who=who, job=job, views=views, images=images,
                     summary=summary(views))

"""The FastAPI app: ``create_app(settings)``. Its lifespan migrates the database to head, then starts the
recorder, the job runner (requeueing what a crash left) and the webhook sender, and stops them in reverse."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from compliance import __version__
from compliance.checker import Checker
from compliance.settings import Settings
from service.api import errors
from service.api.limits import BodyLimit
from service.api.v1 import check, complaints, health, jobs, keys, rules
from service.auth import KeyVerifier
from service.db.session import make_engine, make_sessionmaker, migrate
from service.jobs.local import LocalRunner
from service.jobs.views import webhook_body
from service.leader import Leadership, file_lock
from service.pool import CheckerPool
from service.ratelimit import RateLimiter
from service.records import Recorder
from service.services import Services, warm
from service.settings import ServiceSettings
from service.store import Store
from service.web import routes as web
from service.webhooks import WebhookSender, load_secret

log = logging.getLogger(__name__)
WEB = Path(__file__).resolve().parent / "web"


def build_services(settings: ServiceSettings, engine_settings: Settings) -> Services:
    settings.prepare()
    db = make_engine(settings.sqlalchemy_url)
    with file_lock(settings.data_dir / "migrate.lock"):  # several web processes start at once
        migrate(db)
    sessions = make_sessionmaker(db)
    store = Store(settings.data_dir)
    checker = warm(Checker(engine_settings))
    pool = CheckerPool(settings.workers, engine_settings)
    secret = load_secret(settings.webhook_secret, settings.data_dir)
    webhooks = WebhookSender(sessions, secret=secret, allowed_hosts=settings.webhook_allowed_hosts,
                             body_for=webhook_body, max_attempts=settings.webhook_max_attempts,
                             backoff=settings.webhook_backoff_seconds, timeout=settings.webhook_timeout_seconds)
    runner = LocalRunner(sessions, store, pool, engine_info=lambda: services.checker.engine,
                         max_attempts=settings.max_attempts, on_finished=webhooks.notify)
    services = Services(
        settings=settings, engine_settings=engine_settings, db=db, sessions=sessions, store=store,
        verifier=KeyVerifier(sessions, settings.auth_cache_seconds),
        limiter=RateLimiter(settings.rate_limit_per_minute), pool=pool, recorder=Recorder(sessions, store),
        checker=checker, runner=runner, webhooks=webhooks, webhook_secret=secret,
        templates=Jinja2Templates(directory=str(WEB / "templates")),
    )
    return services


def create_app(settings: ServiceSettings | None = None, engine_settings: Settings | None = None) -> FastAPI:
    settings = settings or ServiceSettings()
    engine_settings = engine_settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await run_in_threadpool(build_services, settings, engine_settings)
        app.state.services = services
        services.recorder.start()
        # Only the process holding the leader lock runs jobs and sends webhooks (see service/leader.py).
        services.leadership = Leadership(settings.data_dir / "leader.lock",
                                         on_acquired=lambda: start_background(services))
        await run_in_threadpool(services.leadership.start)
        stop_following = threading.Event()
        follower = threading.Thread(target=follow_reloads, args=(services, stop_following), daemon=True)
        follower.start()
        try:
            yield
        finally:
            stop_following.set()
            await run_in_threadpool(shutdown, services)

    app = FastAPI(
        title="compliance",
        version=__version__,
        summary="Unlawful wording and marks in vocational-training ads and skill certificates",
        lifespan=lifespan,
        docs_url=None,  # served below from a bundled copy: the machines this runs on have no CDN
        redoc_url=None,
    )
    _offline_docs(app)
    errors.install(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.include_router(health.router)
    for router in (check.router, jobs.router, complaints.router, rules.router, keys.router):
        app.include_router(router, prefix="/api/v1")
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=str(WEB / "static")), name="static")
    return app


def _offline_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the swagger-ui-bundle package instead of a CDN."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=str(swagger_ui_path)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="compliance API",
                                   swagger_js_url="/docs-static/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-static/swagger-ui.css",
                                   swagger_favicon_url="/docs-static/favicon-32x32.png")


def follow_reloads(services: Services, stop: threading.Event) -> None:
    # Rules reloaded through one web process are reloaded by the others within a couple of seconds.
    while not stop.wait(2.0):
        try:
            services.follow_reloads()
        except Exception:
            log.exception("could not reload the rules")


def start_background(services: Services) -> None:
    services.runner.start()
    services.webhooks.start()


def shutdown(services: Services) -> None:
    leader = services.leadership is not None and services.leadership.leader
    if services.leadership is not None:
        services.leadership.stop()  # stop trying for the lock
    if leader:
        services.webhooks.stop()
        services.runner.stop()
    services.recorder.stop()
    services.pool.close()
    services.db.dispose()
    if services.leadership is not None:
        # Released last: a process that takes over must not find files this one is still finishing.
        services.leadership.release()

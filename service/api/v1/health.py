"""Liveness (the process answers) and readiness (database at the schema head, store writable, runner up)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from service.api.deps import ServicesDep
from service.db.session import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Ready to take work: database, migrations, store, job runner")
def readyz(services: ServicesDep) -> JSONResponse:
    checks: dict[str, Any] = {}
    try:
        with services.db.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
        rev, head = current_revision(services.db), head_revision()
        checks["migrations"] = "ok" if rev == head else f"at {rev}, head is {head}"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    checks["store"] = "ok" if services.store.writable() else "not writable"
    lead = services.leadership
    if services.runner.alive() or (lead is not None and lead.held_elsewhere()):
        checks["runner"] = "ok"  # in this process, or in the web process that holds the leader lock
    else:
        checks["runner"] = "stopped"
    checks["lexicon_version"] = services.checker.ruleset.version
    ready = all(v == "ok" for k, v in checks.items() if k != "lexicon_version")
    return JSONResponse({"status": "ready" if ready else "not_ready", "checks": checks},
                        status_code=200 if ready else 503)

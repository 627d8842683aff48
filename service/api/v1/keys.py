"""API keys and the audit log (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from service.api.deps import AdminDep, ServicesDep, SessionDep
from service.api.errors import ApiError
from service.api.schemas import AuditOut, KeyCreated, KeyIn, KeyOut
from service.auth import Role, create_key, revoke_key
from service.db.models import ApiKey, AuditEntry
from service.records import audit

router = APIRouter(tags=["admin"])


def key_out(row: ApiKey) -> KeyOut:
    return KeyOut(id=row.id, prefix=row.prefix, role=row.role, name=row.name, created_at=row.created_at,
                  revoked_at=row.revoked_at)


@router.get("/keys", response_model=list[KeyOut], summary="All keys (prefixes only)")
def list_keys(session: SessionDep, who: AdminDep) -> list[KeyOut]:
    return [key_out(k) for k in session.scalars(select(ApiKey).order_by(ApiKey.id))]


@router.post("/keys", response_model=KeyCreated, status_code=201, summary="A new key, shown once")
def new_key(body: KeyIn, session: SessionDep, who: AdminDep) -> KeyCreated:
    row, key = create_key(session, Role(body.role), body.name)
    audit(session, who, "key.create", target=row.prefix, detail={"role": row.role, "id": row.id})
    session.commit()
    return KeyCreated(**key_out(row).model_dump(), key=key)


@router.delete("/keys/{key_id}", status_code=204, response_class=Response, summary="Revoke a key")
def delete_key(key_id: int, session: SessionDep, services: ServicesDep, who: AdminDep) -> Response:
    if not revoke_key(session, key_id):
        raise ApiError(404, "not_found", "no such active key")
    audit(session, who, "key.revoke", target=str(key_id))
    session.commit()
    services.verifier.forget(key_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut], summary="The audit log, newest first")
def audit_log(session: SessionDep, who: AdminDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
              action: str | None = None) -> list[AuditOut]:
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    return [AuditOut(id=a.id, at=a.at, key_prefix=a.key_prefix, action=a.action, target=a.target, detail=a.detail)
            for a in session.scalars(stmt)]

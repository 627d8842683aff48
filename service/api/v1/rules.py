"""The loaded rules, and (admin) loading them again after the lexicon files changed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from compliance.rules.loader import LexiconError
from service.api.deps import AdminDep, PrincipalDep, ServicesDep
from service.api.errors import ApiError
from service.records import audit

router = APIRouter(prefix="/rules", tags=["rules"])


@router.get("", summary="The rules in force and the lexicon version every report records")
def list_rules(services: ServicesDep, who: PrincipalDep) -> dict[str, Any]:
    checker = services.checker
    rs = checker.ruleset
    return {
        "engine": checker.engine.model_dump(),
        "lexicon_version": rs.version,
        "rules": [r.model_dump(mode="json", exclude={"examples"}) | {"file": rs.sources.get(r.id)} for r in rs.rules],
    }


@router.post("/reload", summary="Load the lexicons again (admin)")
async def reload_rules(services: ServicesDep, who: AdminDep) -> dict[str, Any]:
    old = services.checker.ruleset.version
    try:
        checker = await run_in_threadpool(services.reload_rules)
    except LexiconError as exc:
        raise ApiError(422, "lexicon_error", str(exc)) from None

    def record() -> None:
        with services.sessions() as s, s.begin():
            audit(s, who, "rules.reload", detail={"from": old, "to": checker.ruleset.version})

    await run_in_threadpool(record)
    return {"lexicon_version": checker.ruleset.version, "previous": old, "rules": len(checker.ruleset.rules)}

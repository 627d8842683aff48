"""Dependencies: the app's services, the caller's key (Bearer header, or the web page's login cookie), the
per-key rate limit, admin-only routes, a database session."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.api.errors import ApiError
from service.auth import Principal
from service.services import Services

COOKIE = "compliance_key"


# The dependencies below are ``async def`` on purpose: FastAPI runs plain ``def`` dependencies on its thread
# pool, and two thread hops per request cost more than the rest of a short check.
async def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def key_from(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" else None
    # The web page logs in once and keeps the key in an HttpOnly, SameSite=Strict cookie.
    return request.cookies.get(COOKIE)


def principal_of(request: Request, services: Services) -> Principal:
    # A key not in the verifier's cache costs one indexed SQLite read, done inline (once per key per
    # auth_cache_seconds).
    key = key_from(request)
    who = services.verifier.verify(key) if key else None
    if who is None:
        raise ApiError(401, "unauthorized", "a valid API key is required (Authorization: Bearer <key>)",
                       headers={"WWW-Authenticate": "Bearer"})
    wait = services.limiter.take(who.key_id)
    if wait > 0:
        raise ApiError(429, "rate_limited", "too many requests for this key",
                       headers={"Retry-After": str(max(1, round(wait)))})
    return who


async def get_principal(request: Request, services: ServicesDep) -> Principal:
    return principal_of(request, services)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_admin(who: PrincipalDep) -> Principal:
    if not who.is_admin:
        raise ApiError(403, "forbidden", "this needs an admin key")
    return who


AdminDep = Annotated[Principal, Depends(get_admin)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

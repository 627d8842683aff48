"""``POST /api/v1/complaints``: complaint text plus attachments → a triage a complaint system can route.

Idempotent on ``complaint_id``: the same request again returns the stored triage unchanged (header
``Idempotent-Replayed: true``); the same id with different content is a 409.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from compliance.checker import error_report
from compliance.contract import Result
from service.api.deps import PrincipalDep, ServicesDep
from service.api.errors import ApiError
from service.api.schemas import ComplaintIn, Triage, TriageFinding
from service.api.v1.check import SUPPORTED, invalid_json, media_of
from service.auth import Principal
from service.db.models import Complaint, utcnow
from service.pool import Checked
from service.records import audit, ensure_blob, save_report
from service.services import Services
from service.triage import triage

router = APIRouter(tags=["complaints"])


def _decode(b64: str, index: int) -> bytes:
    try:
        return base64.b64decode("".join(b64.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(422, "invalid_base64", f"attachments[{index}].content_base64 is not valid base64",
                       details=[{"loc": ["body", "attachments", str(index), "content_base64"],
                                 "msg": "invalid base64", "type": "invalid_base64"}]) from None


def _stored(services: Services, complaint_id: str, request_hash: str) -> Response | None:
    with services.sessions() as s:
        row = s.get(Complaint, complaint_id)
        if row is None:
            return None
        if row.request_sha256 != request_hash:
            raise ApiError(409, "conflict", "this complaint_id was already submitted with other content")
        return Response(row.triage, media_type="application/json", headers={"Idempotent-Replayed": "true"})


def _save(services: Services, who: Principal, payload: ComplaintIn, request_hash: str, body: str,
          results: list[Result], contents: list[bytes]) -> None:
    with services.sessions() as s, s.begin():
        for data in contents:
            ensure_blob(s, services.store.put(data), len(data))
        report_ids = [save_report(s, r, kind="complaint", key_id=who.key_id).id for r in results]
        s.add(Complaint(complaint_id=payload.complaint_id, channel=payload.channel, key_id=who.key_id,
                        request_sha256=request_hash, triage=body))
        audit(s, who, "complaint.triage", target=payload.complaint_id,
              detail={"channel": payload.channel, "reports": report_ids})


@router.post("/complaints", response_model=Triage, summary="Triage a complaint (idempotent on complaint_id)")
async def complaint(request: Request, services: ServicesDep, who: PrincipalDep) -> Response:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send application/json")
    raw = await request.body()
    try:
        payload = ComplaintIn.model_validate_json(raw)
    except ValidationError as exc:
        raise invalid_json(exc) from None
    request_hash = hashlib.sha256(payload.model_dump_json().encode()).hexdigest()
    replay = await run_in_threadpool(_stored, services, payload.complaint_id, request_hash)
    if replay is not None:
        return replay
    attachments = [(a.filename, _decode(a.content_base64, i)) for i, a in enumerate(payload.attachments)]

    checker = services.checker
    results: list[Result] = []
    contents: list[bytes] = []
    if payload.text.strip() or not attachments:
        source = f"complaint:{payload.complaint_id}"
        report = await run_in_threadpool(checker.check_complaint, payload.text, source=source)
        results.append(checker.result([report]))
        contents.append(payload.text.encode("utf-8", "surrogatepass"))
    slots: list[Result | asyncio.Future[Checked]] = []
    for name, data in attachments:
        contents.append(data)
        media = media_of(data)
        if media in SUPPORTED:
            slots.append(asyncio.wrap_future(services.pool.submit(data=data, source=name)))
        else:
            # One unreadable attachment gets an error report; the rest of the complaint is still triaged.
            slots.append(checker.result([error_report(name, "unsupported_media", f"{media} content is not supported",
                                                      sha256=hashlib.sha256(data).hexdigest(), media_type=media)]))
    for slot in slots:
        results.append(slot if isinstance(slot, Result) else Result.model_validate_json((await slot).result_json))

    reports = [r.reports[0] for r in results]
    verdict = Triage(
        complaint_id=payload.complaint_id, channel=payload.channel, **triage(reports),
        findings=[TriageFinding(source=r.source, **f.model_dump()) for r in reports for f in r.findings],
        engine=checker.engine, reports=reports, received_at=utcnow(),
    )
    body = verdict.model_dump_json()
    try:
        await run_in_threadpool(_save, services, who, payload, request_hash, body, results, contents)
    except IntegrityError:
        # The same complaint arrived twice at once: the first one stored wins, this one returns it.
        replay = await run_in_threadpool(_stored, services, payload.complaint_id, request_hash)
        if replay is not None:
            return replay
        raise
    return Response(body, media_type="application/json")



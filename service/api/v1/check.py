"""``POST /api/v1/check``: one text (JSON) or one file (multipart ``file``), answered at once.

Text is checked in this process (the engine takes about a millisecond for a short ad; a round trip to a
worker process would cost more than the check). Files go to the worker pool: OCR and PDF extraction are
CPU-bound. The report is recorded (write-behind) as evidence with the caller's key.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from compliance.checker import DOCX, IMAGE_TYPES
from compliance.contract import Report, Result
from compliance.extract.sniff import sniff
from service.api.deps import PrincipalDep, ServicesDep
from service.api.errors import ApiError
from service.api.schemas import CheckTextIn
from service.records import CheckRecord

router = APIRouter(tags=["check"])

SUPPORTED = frozenset({"text/plain", "text/html", "application/pdf", DOCX, *IMAGE_TYPES})
INLINE_CHARS = 20_000  # longer texts are checked on a thread so the event loop keeps serving

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": CheckTextIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {"type": "object", "required": ["file"],
                           "properties": {"file": {"type": "string", "format": "binary"}}},
            },
        },
    },
}


def invalid_json(exc: ValidationError) -> ApiError:
    details = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
    if any(d["type"] == "json_invalid" for d in details):
        return ApiError(422, "malformed_json", "the body is not valid JSON", details=details)
    return ApiError(422, "validation_error", "the request does not match the schema", details=details)


def media_of(data: bytes) -> str:
    return sniff(data[:65536], complete=len(data) <= 65536, whole=data)


async def check_upload(services: Any, data: bytes, source: str) -> Result:
    """A file checked on the worker pool; refused with 415 when its content is not something we read."""
    media = media_of(data)
    if media == "application/zip":
        raise ApiError(415, "unsupported_media_type", "a ZIP archive: submit archives as a job (/api/v1/jobs)")
    if media not in SUPPORTED:
        raise ApiError(415, "unsupported_media_type", f"{media} content is not supported")
    checked = await asyncio.wrap_future(services.pool.submit(data=data, source=source))
    return Result.model_validate_json(checked.result_json)


@router.post("/check", response_model=Result, openapi_extra=_BODY_DOC,
             summary="Check one text (JSON) or one file (multipart)")
async def check(request: Request, services: ServicesDep, who: PrincipalDep) -> Response:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype == "application/json":
        try:
            payload = CheckTextIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise invalid_json(exc) from None
        checker = services.checker
        source = payload.source or "text"
        if len(payload.text) <= INLINE_CHARS:
            report: Report = checker.check_text(payload.text, source=source)
        else:
            report = await run_in_threadpool(checker.check_text, payload.text, source=source)
        result = checker.result([report])
        content = payload.text.encode("utf-8", "surrogatepass")
    elif ctype == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "validation_error", "send one file in the multipart field 'file'")
        content = await upload.read()
        result = await check_upload(services, content, upload.filename or "file")
        report = result.reports[0]
    else:
        raise ApiError(415, "unsupported_media_type",
                       "send application/json {\"text\": …} or multipart/form-data with a 'file' field")
    body = result.model_dump_json()
    services.recorder.record(CheckRecord(who, result, body, content))
    return Response(body, media_type="application/json")

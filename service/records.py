"""Writing evidence: reports with their findings, the audit log, and a write-behind recorder for the
synchronous checks (so ``/api/v1/check`` answers without waiting for the database)."""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from compliance.contract import Result
from service.auth import Principal
from service.db.models import AuditEntry, Blob, FindingRow, ReportRow, utcnow
from service.store import Store

log = logging.getLogger(__name__)


def save_report(session: Session, result: Result, *, kind: str, key_id: int | None,
                images: list[dict[str, Any]] | None = None, contract_json: str | None = None) -> ReportRow:
    """One report (``result`` holds exactly one) with its findings; engine and lexicon versions kept."""
    report = result.reports[0]
    row = ReportRow(
        source=report.source,
        sha256=report.sha256,
        media_type=report.media_type,
        verdict=report.verdict.value,
        error_code=report.error.code if report.error else None,
        engine_name=result.engine.name,
        engine_version=result.engine.version,
        lexicon_version=result.engine.lexicon_version,
        key_id=key_id,
        kind=kind,
        contract=contract_json or result.model_dump_json(),
        images=images or [],
    )
    session.add(row)
    session.flush()
    session.add_all(
        FindingRow(report_id=row.id, rule_id=f.rule_id, category=f.category.value, severity=f.severity.value,
                   status=f.status.value, evidence=f.evidence, page=f.location.page, start=f.location.start,
                   end=f.location.end, bbox=f.location.bbox, authority=f.authority)
        for f in report.findings
    )
    return row


def ensure_blob(session: Session, sha256: str, size: int, media_type: str | None = None) -> None:
    if session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=size, media_type=media_type))
        session.flush()


def audit(session: Session, who: Principal | None, action: str, target: str | None = None,
          detail: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(key_id=who.key_id if who else None, key_prefix=who.prefix if who else None,
                           action=action, target=target, detail=detail))


@dataclass(slots=True)
class CheckRecord:
    who: Principal
    result: Result
    result_json: str
    content: bytes | None  # the text or file checked, kept in the store as evidence


class Recorder:
    """A thread that writes synchronous checks in batches: one transaction per batch, not per request."""

    def __init__(self, sessions: sessionmaker[Session], store: Store) -> None:
        self._sessions = sessions
        self._store = store
        self._queue: queue.Queue[CheckRecord | None] = queue.Queue(maxsize=10_000)
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def record(self, item: CheckRecord) -> None:
        # A full queue blocks the caller: back-pressure rather than dropping evidence.
        self._queue.put(item)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def flush(self) -> None:
        """Wait until everything recorded so far is written (tests, shutdown)."""
        self._queue.join()

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                self._queue.task_done()
                break
            batch = [first]
            while len(batch) < 500:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._queue.task_done()
                    stop = True
                    break
                batch.append(item)
            try:
                self._write(batch)
            except Exception:  # the next batch must still be written; this one is logged whole
                log.exception("could not record %d checks", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()

    def _write(self, batch: list[CheckRecord]) -> None:
        # Core bulk inserts, not ORM objects: at a few hundred checks a second the unit of work would cost
        # as much CPU (in the web process) as the checks themselves.
        now = utcnow()
        blobs: dict[str, dict[str, Any]] = {}
        reports: list[dict[str, Any]] = []
        for rec in batch:
            report = rec.result.reports[0]
            if rec.content is not None and report.sha256:
                digest = self._store.put(rec.content, durable=False)
                blobs[digest] = {"sha256": digest, "size": len(rec.content), "media_type": report.media_type,
                                 "created_at": now}
            engine = rec.result.engine
            reports.append({
                "source": report.source, "sha256": report.sha256, "media_type": report.media_type,
                "verdict": report.verdict.value, "error_code": report.error.code if report.error else None,
                "engine_name": engine.name, "engine_version": engine.version,
                "lexicon_version": engine.lexicon_version, "key_id": rec.who.key_id, "kind": "check",
                "created_at": now, "contract": rec.result_json, "images": [],
            })
        with self._sessions() as session, session.begin():
            if blobs:
                known = set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(list(blobs)))))
                new = [b for d, b in blobs.items() if d not in known]
                if new:
                    session.execute(insert(Blob), new)
            ids = session.scalars(insert(ReportRow).returning(ReportRow.id, sort_by_parameter_order=True),
                                  reports).all()
            findings: list[dict[str, Any]] = []
            entries: list[dict[str, Any]] = []
            for rec, report_id in zip(batch, ids, strict=True):
                report = rec.result.reports[0]
                for f in report.findings:
                    loc = f.location
                    findings.append({"report_id": report_id, "rule_id": f.rule_id, "category": f.category.value,
                                     "severity": f.severity.value, "status": f.status.value, "evidence": f.evidence,
                                     "page": loc.page, "start": loc.start, "end": loc.end, "bbox": loc.bbox,
                                     "authority": f.authority})
                entries.append({"at": now, "key_id": rec.who.key_id, "key_prefix": rec.who.prefix,
                                "action": "check", "target": report.sha256,
                                "detail": {"report_id": report_id, "verdict": report.verdict.value,
                                           "source": report.source}})
            if findings:
                session.execute(insert(FindingRow), findings)
            session.execute(insert(AuditEntry), entries)

"""A new job: every uploaded file stored (content-addressed) before the job's rows are committed, ZIP
archives expanded safely into their entries, unsafe entries given an error report at once."""

from __future__ import annotations

import secrets
import zipfile
from dataclasses import dataclass
from io import BytesIO

from sqlalchemy.orm import Session

from compliance.checker import Checker, error_report
from compliance.extract.archive import Entry, Limits, iter_archive
from compliance.settings import Settings
from service.db.models import Job, JobFile
from service.jobs.state import settle
from service.records import ensure_blob, save_report
from service.store import Store


class TooManyFiles(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Upload:
    name: str
    data: bytes


def is_archive(data: bytes) -> bool:
    """A ZIP that is not a DOCX (DOCX files are ZIPs too, and are checked as documents)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            return "word/document.xml" not in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False  # a broken container is reported by the checker for what it is


def _limits(settings: Settings) -> Limits:
    return Limits(settings.max_archive_entries, settings.max_archive_bytes, settings.max_archive_ratio,
                  settings.max_archive_depth)


def create_job(session: Session, store: Store, checker: Checker, *, owner_id: int, uploads: list[Upload],
               callback_url: str | None, max_files: int) -> Job:
    job = Job(id=secrets.token_hex(12), owner_id=owner_id, callback_url=callback_url)
    session.add(job)
    session.flush()
    seq = 0

    def add(name: str, data: bytes | None, error: tuple[str, str] | None = None) -> None:
        nonlocal seq
        if seq >= max_files:
            raise TooManyFiles(f"more than {max_files} files in one job")
        digest = None
        if data is not None:
            # On disk (fsynced) before the row that points at it is committed: a submitted file is never lost.
            digest = store.put(data)
            ensure_blob(session, digest, len(data))
        f = JobFile(job_id=job.id, seq=seq, source=name, sha256=digest)
        seq += 1
        if error is not None:
            report = error_report(name, error[0], error[1], sha256=digest)
            row = save_report(session, checker.result([report]), kind="job", key_id=owner_id)
            f.status, f.report_id = "error", row.id
        session.add(f)

    for up in uploads:
        if not is_archive(up.data):
            add(up.name, up.data)
            continue
        for item in iter_archive(up.data, up.name, _limits(checker.settings)):
            if isinstance(item, Entry):
                add(item.name, item.data)
            else:
                add(item.name, None, (item.code, item.message))
    job.total = seq
    session.flush()
    settle(session, job)
    return job

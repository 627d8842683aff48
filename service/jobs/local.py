"""The in-process runner: a dispatcher thread claims queued files from the database, checks them on the
worker pool, and writes each file's report the moment it finishes.

Nothing lives only in memory: a file is ``queued`` → ``running`` (claimed) → ``done``/``error`` (report
written) in the database. After a crash, files left ``running`` are requeued at start; a file that has
already been tried ``max_attempts`` times (it keeps killing its worker) gets an ``error`` report instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from compliance.checker import error_report
from compliance.contract import EngineInfo, Result
from service.db.models import Job, JobFile, utcnow
from service.jobs.state import settle
from service.pool import Checked, CheckerPool
from service.records import ensure_blob, save_report
from service.store import Store

log = logging.getLogger(__name__)


class LocalRunner:
    def __init__(self, sessions: sessionmaker[Session], store: Store, pool: CheckerPool, *,
                 engine_info: Callable[[], EngineInfo], max_attempts: int = 3,
                 on_finished: Callable[[str], None] | None = None, poll_seconds: float = 1.0) -> None:
        self._sessions = sessions
        self._store = store
        self._pool = pool
        self._engine_info = engine_info
        self._max_attempts = max_attempts
        self._on_finished = on_finished or (lambda _job_id: None)
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._inflight: dict[Future[Checked], tuple[int, str]] = {}
        self._finished: list[str] = []  # jobs finished in the transaction just committed

    # -- Runner -----------------------------------------------------------------------------------

    def submit(self, job_id: str) -> None:
        self._wake.set()

    def start(self) -> None:
        self._recover()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="job-runner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._pool.close()
        # Whatever was still being checked goes back to the queue, as if it had not been claimed.
        ids = [file_id for file_id, _ in self._inflight.values()]
        self._inflight.clear()
        if ids:
            with self._sessions() as s, s.begin():
                s.execute(update(JobFile).where(JobFile.id.in_(ids), JobFile.status == "running")
                          .values(status="queued", attempts=JobFile.attempts - 1, started_at=None))

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- work -------------------------------------------------------------------------------------

    def _recover(self) -> None:
        with self._sessions() as s, s.begin():
            for f in s.scalars(select(JobFile).where(JobFile.status == "running")):
                if f.attempts >= self._max_attempts:
                    self._write(s, f, None, error=("internal_error",
                                                   f"checking this file stopped the worker {f.attempts} times"))
                else:
                    f.status, f.started_at = "queued", None
            # Jobs that were finished by the last line of a crashed run but not marked so.
            for job in s.scalars(select(Job).where(Job.status.in_(("queued", "running")))):
                if settle(s, job):
                    self._finished.append(job.id)
        self._notify()

    def _claim(self) -> tuple[int, str, str | None] | None:
        """The next queued file (oldest job first), marked ``running``; None when there is none."""
        with self._sessions() as s, s.begin():
            row = s.execute(
                select(JobFile.id, JobFile.source, JobFile.sha256, JobFile.job_id)
                .join(Job, Job.id == JobFile.job_id)
                .where(JobFile.status == "queued", Job.deleted_at.is_(None))
                .order_by(JobFile.id).limit(1)).first()
            if row is None:
                return None
            # Conditional update: another runner process (or a second app) may have claimed it first.
            claimed = s.execute(update(JobFile).where(JobFile.id == row.id, JobFile.status == "queued")
                                .values(status="running", attempts=JobFile.attempts + 1, started_at=utcnow()))
            if claimed.rowcount != 1:
                return None
            s.execute(update(Job).where(Job.id == row.job_id, Job.status == "queued")
                      .values(status="running", started_at=utcnow()))
            return row.id, row.source, row.sha256

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._fill()
                if self._inflight:
                    done, _ = wait(list(self._inflight), timeout=self._poll, return_when=FIRST_COMPLETED)
                    for fut in done:
                        self._finish(fut)
                else:
                    self._wake.wait(self._poll)
                    self._wake.clear()
            except Exception:  # the loop must outlive a database hiccup; the files stay queued or running
                log.exception("job runner iteration failed")
                self._finished.clear()
                self._stopping.wait(self._poll)
            self._notify()

    def _fill(self) -> None:
        # Two files per worker in flight (one running, one waiting, so a worker never idles while the report
        # of its last file is written); the rest of the queue stays in the database, not in memory.
        while len(self._inflight) < 2 * self._pool.workers and not self._stopping.is_set():
            claimed = self._claim()
            if claimed is None:
                return
            file_id, source, sha256 = claimed
            if sha256 is None or not self._store.exists(sha256):
                with self._sessions() as s, s.begin():
                    f = s.get(JobFile, file_id)
                    if f is not None:
                        self._write(s, f, None, error=("file_missing", "the stored file is missing"))
                continue
            try:
                fut = self._pool.submit(path=str(self._store.path(sha256)), source=source, annotate=True)
            except Exception:
                # The pool could not take it (shutting down, cannot start a process): back to the queue.
                log.exception("could not submit %s", source)
                self._requeue_or_fail(file_id, attempt_used=False)
                self._stopping.wait(self._poll)  # do not spin on a pool that cannot start
                return
            self._inflight[fut] = (file_id, source)

    def _finish(self, fut: Future[Checked]) -> None:
        file_id, _ = self._inflight.pop(fut)
        try:
            checked: Checked | None = fut.result()
            error = None
        except CancelledError:
            # The pool was replaced (rules reloaded) before this file started: not an attempt.
            self._requeue_or_fail(file_id, attempt_used=False)
            return
        except BrokenProcessPool:
            # A worker died (killed, out of memory): every file in flight is retried, up to max_attempts.
            self._pool.reset()
            self._requeue_or_fail(file_id)
            return
        except Exception as exc:
            checked, error = None, ("internal_error", f"{type(exc).__name__}: {exc}")
        with self._sessions() as s, s.begin():
            f = s.get(JobFile, file_id)
            if f is None or f.status != "running":
                return
            self._write(s, f, checked, error=error)

    def _requeue_or_fail(self, file_id: int, *, attempt_used: bool = True) -> None:
        with self._sessions() as s, s.begin():
            f = s.get(JobFile, file_id)
            if f is None or f.status != "running":
                return
            if not attempt_used:
                f.attempts -= 1
            if f.attempts >= self._max_attempts:
                self._write(s, f, None, error=("internal_error", "the checker process died on this file"))
            else:
                f.status, f.started_at = "queued", None
        self._wake.set()

    def _write(self, s: Session, f: JobFile, checked: Checked | None, *, error: tuple[str, str] | None) -> None:
        if checked is not None:
            result = Result.model_validate_json(checked.result_json)
            contract = checked.result_json
            images = []
            for page, png in checked.images:
                digest = self._store.put(png)
                ensure_blob(s, digest, len(png), "image/png")
                images.append({"page": page, "sha256": digest})
        else:
            code, message = error or ("internal_error", "unknown failure")
            result = Result(engine=self._engine_info(),
                            reports=[error_report(f.source, code, message, sha256=f.sha256)])
            contract, images = None, []
        job = s.get(Job, f.job_id)
        row = save_report(s, result, kind="job", key_id=job.owner_id if job else None, images=images,
                          contract_json=contract)
        f.report_id = row.id
        f.status = "error" if result.reports[0].verdict.value == "error" else "done"
        f.finished_at = utcnow()
        if job is not None and settle(s, job):
            self._finished.append(job.id)

    def _notify(self) -> None:
        # Called after the commit, so whoever is told (the webhook sender) can read the finished job.
        finished, self._finished = self._finished, []
        for job_id in finished:
            try:
                self._on_finished(job_id)
            except Exception:
                log.exception("on_finished(%s) failed", job_id)

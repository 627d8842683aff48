"""Checker worker processes: OCR and PDF extraction are CPU-bound and must not hold the web process's GIL.

Each worker builds one ``Checker`` at start (rules loaded once per process). Workers are started with the
``forkserver`` method: the web process runs threads, and forking a threaded process can deadlock.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.settings import Settings

_CHECKER: Any = None


def _init_worker(settings_json: str) -> None:
    global _CHECKER
    from compliance.checker import Checker

    _CHECKER = Checker(Settings.model_validate_json(settings_json))


@dataclass(frozen=True, slots=True)
class Checked:
    """What a worker sends back: the contract JSON (engine + one report) and evidence pictures by page."""

    result_json: str
    images: list[tuple[int, bytes]]


def check_in_worker(data: bytes | None, path: str | None, source: str, annotate: bool) -> Checked:
    from compliance.checker import error_report

    checker = _CHECKER
    tmp = Path(tempfile.mkdtemp(prefix="compliance-evidence-")) if annotate else None
    try:
        try:
            blob = data if data is not None else Path(path or "").read_bytes()
            report = checker.check_bytes(blob, source=source, annotate_dir=tmp)
        except Exception as exc:  # one file's failure is that file's error report, never the job's
            report = error_report(source, "internal_error", f"{type(exc).__name__}: {exc}")
        images: list[tuple[int, bytes]] = []
        for name in report.annotations:
            p = Path(name)
            page = int(p.stem.rsplit("-p", 1)[-1]) if "-p" in p.stem else 1
            images.append((page, p.read_bytes()))
        # Temporary paths mean nothing once the directory is gone; the service stores the pictures itself.
        report.annotations = []
        return Checked(checker.result([report]).model_dump_json(), images)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


class CheckerPool:
    def __init__(self, workers: int, settings: Settings | None = None) -> None:
        self.workers = workers
        self._settings_json = (settings or Settings()).model_dump_json()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["compliance.checker"])
                self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                                 initargs=(self._settings_json,))
            return self._pool

    def submit(self, *, data: bytes | None = None, path: str | None = None, source: str,
               annotate: bool = False) -> Future[Checked]:
        try:
            return self._executor().submit(check_in_worker, data, path, source, annotate)
        except BrokenProcessPool:
            self.reset()
            return self._executor().submit(check_in_worker, data, path, source, annotate)

    def reset(self) -> None:
        """Drop the pool (after a worker died, or to load new rules); the next submit starts a new one."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def reload(self, settings: Settings | None = None) -> None:
        if settings is not None:
            self._settings_json = settings.model_dump_json()
        self.reset()

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is None:
            return
        # Python 3.11 has no public way to stop busy workers; on shutdown their results are not wanted
        # (unfinished files are requeued), so end them rather than wait for a long OCR.
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=5)

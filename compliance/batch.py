"""Batches: folders (recursive) and ZIP archives, one report per file, optionally on worker processes.

A bad file yields an ``error`` report and the batch goes on; an unexpected failure inside a worker is
caught there and reported for that file alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compliance.contract import Report
from compliance.extract.archive import Entry, Limits, iter_archive
from compliance.settings import Settings

DOCX_MARK = "word/document.xml"


@dataclass(frozen=True)
class Job:
    """One input: a path on disk, or bytes (stdin, an archive entry)."""

    source: str
    path: str | None = None
    data: bytes | None = None


def _limits(settings: Settings) -> Limits:
    return Limits(settings.max_archive_entries, settings.max_archive_bytes, settings.max_archive_ratio,
                  settings.max_archive_depth)


def _is_archive(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return False
    except OSError:
        return False
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            return DOCX_MARK not in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False  # the checker reports a broken container for what it is


def expand(paths: Iterable[str], settings: Settings, stdin: Callable[[], bytes] | None = None,
           ) -> Iterator[Job | Report]:
    """Jobs for the given paths: folders walked in name order, archives opened; unsafe entries become
    ``error`` reports at once."""
    from compliance.checker import error_report

    for raw in paths:
        if raw == "-":
            yield Job("<stdin>", data=stdin() if stdin else sys.stdin.buffer.read())
            continue
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file())
            if not files:
                yield error_report(raw, "empty_directory", "the folder holds no files")
            for f in files:
                yield from _file_jobs(f, settings)
        else:
            yield from _file_jobs(p, settings)


def _file_jobs(path: Path, settings: Settings) -> Iterator[Job | Report]:
    from compliance.checker import error_report

    if not _is_archive(path):
        yield Job(str(path), path=str(path))
        return
    for item in iter_archive(str(path), str(path), _limits(settings)):
        if isinstance(item, Entry):
            yield Job(item.name, data=item.data)
        else:
            media = None
            yield error_report(item.name, item.code, item.message, media_type=media)


# -- workers ---------------------------------------------------------------------------------------

_CHECKER: Any = None


def _init_worker(settings_json: str) -> None:
    global _CHECKER
    from compliance.checker import Checker

    _CHECKER = Checker(Settings.model_validate_json(settings_json))


def _run(job: Job, annotate_dir: str | None) -> Report:
    from compliance.checker import error_report

    checker = _CHECKER
    out = Path(annotate_dir) if annotate_dir else None
    try:
        if job.path is not None:
            return checker.check_file(job.path, annotate_dir=out)
        return checker.check_bytes(job.data or b"", source=job.source, annotate_dir=out)
    except Exception as exc:  # one file's failure must not take the batch down
        return error_report(job.source, "internal_error", f"{type(exc).__name__}: {exc}")


def run_batch(items: Iterable[Job | Report], settings: Settings, *, jobs: int = 1,
              annotate_dir: Path | None = None, checker: Any = None) -> Iterator[Report]:
    """Reports as they finish (in input order when ``jobs`` is 1)."""
    annotate = str(annotate_dir) if annotate_dir else None
    if jobs <= 1:
        global _CHECKER
        if checker is not None:
            _CHECKER = checker
        elif _CHECKER is None:
            _init_worker(settings.model_dump_json())
        for item in items:
            yield item if isinstance(item, Report) else _run(item, annotate)
        return
    in_flight: dict[Future[Report], Job] = {}
    limit = jobs * 2  # bounded: archive entries carry their bytes, so don't queue the whole archive
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(settings.model_dump_json(),)) as pool:
        for item in items:
            if isinstance(item, Report):
                yield item
                continue
            in_flight[pool.submit(_run, item, annotate)] = item
            while len(in_flight) >= limit:
                yield from _drain(in_flight)
        while in_flight:
            yield from _drain(in_flight)


def _drain(pending: dict[Future[Report], Job]) -> list[Report]:
    from compliance.checker import error_report

    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    out = []
    for fut in done:
        job = pending.pop(fut)
        try:
            out.append(fut.result())
        except Exception as exc:  # a worker died (killed, out of memory): that file gets the error
            out.append(error_report(job.source, "internal_error", f"worker failed: {type(exc).__name__}: {exc}"))
    return out


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))

"""The job runner seam: the API only calls ``submit``; ``start``/``stop`` belong to the app's lifespan.

The local runner (``service.jobs.local``) runs checks in this process's worker pool. Another runner (Celery,
RQ) can replace it: the queue of work is the ``job_files`` table, so it only has to claim rows from it.
"""

from __future__ import annotations

from typing import Protocol


class Runner(Protocol):
    def submit(self, job_id: str) -> None:
        """A job's files are in the database, status ``queued``: start on them soon."""

    def start(self) -> None:
        """Begin work; files left ``running`` by a crash are requeued (or given an error past the retries)."""

    def stop(self) -> None:
        """Stop taking files; unfinished ones go back to ``queued`` for the next start."""

    def alive(self) -> bool:
        """Whether it is taking work (``/readyz``)."""

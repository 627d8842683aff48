"""One process runs the jobs: with several web processes (``compliance serve --workers N``), the one holding
an exclusive lock on ``<data_dir>/leader.lock`` runs the job runner and the webhook sender; the others serve
requests only and keep trying for the lock, so if the leader dies another process takes over.

The lock is ``flock`` on a local file: it coordinates the processes of one machine sharing one data directory.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Blocking exclusive lock (migrations: one process at a time runs them)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


class Leadership:
    def __init__(self, path: Path, on_acquired: Callable[[], None], retry_seconds: float = 2.0) -> None:
        self._path = path
        self._on_acquired = on_acquired
        self._retry = retry_seconds
        self._fd: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def leader(self) -> bool:
        return self._fd is not None

    def _try(self) -> bool:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def start(self) -> None:
        if self._try():
            self._on_acquired()
            return
        self._thread = threading.Thread(target=self._wait, name="leadership", daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        while not self._stop.wait(self._retry):
            if self._try():
                self._on_acquired()
                return

    def held_elsewhere(self) -> bool:
        """True when another process holds the lock (a leader exists)."""
        if self.leader:
            return False
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    def stop(self) -> None:
        """Stop trying for the lock (a held lock stays held until ``release``)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

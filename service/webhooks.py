"""Job-completion callbacks: the job's result POSTed to its ``callback_url``, signed, retried with backoff.

Headers (also in the README):

- ``X-Compliance-Event: job.completed``
- ``X-Compliance-Delivery: <delivery id>`` (the same on every retry of one delivery)
- ``X-Compliance-Timestamp: <unix seconds>``
- ``X-Compliance-Signature: sha256=<hex>``: HMAC-SHA256 with the webhook secret over
  ``<timestamp>.<body bytes>``; a receiver recomputes it, compares in constant time and rejects old timestamps.

Only ``http``/``https`` URLs whose host is in ``webhook_allowed_hosts`` are accepted (checked when the job is
submitted and again before each delivery); redirects are not followed. Deliveries live in the database, so
retries survive a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import Job, WebhookDelivery, utcnow
from service.records import audit

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Compliance-Signature"
TIMESTAMP_HEADER = "X-Compliance-Timestamp"
EVENT_HEADER = "X-Compliance-Event"
DELIVERY_HEADER = "X-Compliance-Delivery"


class CallbackRefused(ValueError):
    pass


def host_allowed(host: str, allowed: list[str]) -> bool:
    host = host.lower().rstrip(".")
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern.startswith("*.") and host.endswith(pattern[1:]) and host != pattern[2:]:
            return True
        if host == pattern:
            return True
    return False


def validate_callback(url: str, allowed: list[str]) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise CallbackRefused("callback_url must be an http or https URL")
    if not parts.hostname:
        raise CallbackRefused("callback_url has no host")
    if parts.username or parts.password:
        raise CallbackRefused("callback_url must not carry credentials")
    if not host_allowed(parts.hostname, allowed):
        raise CallbackRefused(f"callback host {parts.hostname!r} is not allowed (setting webhook_allowed_hosts)")
    return url


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def load_secret(configured: str | None, data_dir: Path) -> str:
    """The configured secret, or one generated once and kept (mode 0600) in the data directory."""
    if configured:
        return configured
    path = data_dir / "webhook_secret"
    if path.is_file():
        return path.read_text().strip()
    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secret + "\n")
    return secret


class WebhookSender:
    def __init__(self, sessions: sessionmaker[Session], *, secret: str, allowed_hosts: list[str],
                 body_for: Any, max_attempts: int, backoff: float, timeout: float) -> None:
        self._sessions = sessions
        self._secret = secret
        self._allowed = allowed_hosts
        self._body_for = body_for  # (session, job) -> bytes: the job's result document
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._timeout = timeout
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stopping.clear()
        self._thread = threading.Thread(target=self._loop, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self._timeout + 5)

    def notify(self, _job_id: str | None = None) -> None:
        self._wake.set()

    def _loop(self) -> None:
        with httpx.Client(timeout=self._timeout, follow_redirects=False, trust_env=False) as client:
            while not self._stopping.is_set():
                try:
                    delay = self._deliver_due(client)
                except Exception:
                    log.exception("webhook loop failed")
                    delay = 5.0
                self._wake.wait(delay)
                self._wake.clear()

    def _deliver_due(self, client: httpx.Client) -> float:
        """Send every due delivery; the seconds until the next one is due (at most 5)."""
        with self._sessions() as s:
            due = s.scalars(select(WebhookDelivery.id).where(WebhookDelivery.status == "pending",
                                                             WebhookDelivery.next_attempt_at <= utcnow())
                            .order_by(WebhookDelivery.next_attempt_at).limit(50)).all()
        for delivery_id in due:
            if self._stopping.is_set():
                break
            self._deliver(client, delivery_id)
        with self._sessions() as s:
            nxt = s.scalar(select(WebhookDelivery.next_attempt_at).where(WebhookDelivery.status == "pending")
                           .order_by(WebhookDelivery.next_attempt_at).limit(1))
        if nxt is None:
            return 5.0
        return max(0.05, min(5.0, (nxt - utcnow()).total_seconds()))

    def _deliver(self, client: httpx.Client, delivery_id: int) -> None:
        with self._sessions() as s:
            d = s.get(WebhookDelivery, delivery_id)
            job = s.get(Job, d.job_id) if d else None
            if d is None or job is None or d.status != "pending":
                return
            url = d.url
            body = self._body_for(s, job)
        error: str | None = None
        refused = False
        try:
            validate_callback(url, self._allowed)  # the setting may have changed since submission
            ts = str(int(time.time()))
            headers = {"Content-Type": "application/json", EVENT_HEADER: "job.completed",
                       DELIVERY_HEADER: str(delivery_id), TIMESTAMP_HEADER: ts,
                       SIGNATURE_HEADER: sign(self._secret, ts, body), "User-Agent": "compliance-webhooks/1"}
            resp = client.post(url, content=body, headers=headers)
            if not 200 <= resp.status_code < 300:
                error = f"HTTP {resp.status_code}"
        except CallbackRefused as exc:
            error, refused = str(exc), True
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"
        with self._sessions() as s, s.begin():
            d = s.get(WebhookDelivery, delivery_id)
            if d is None:
                return
            d.attempts += 1
            d.last_error = error
            if error is None:
                d.status = "delivered"
                audit(s, None, "webhook.delivered", target=d.job_id, detail={"url": url, "attempts": d.attempts})
            elif d.attempts >= self._max_attempts or refused:
                d.status = "failed"
                audit(s, None, "webhook.failed", target=d.job_id, detail={"url": url, "error": error})
            else:
                d.next_attempt_at = utcnow() + timedelta(seconds=self._backoff * 2 ** (d.attempts - 1))

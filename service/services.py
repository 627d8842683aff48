"""Everything the routes need, built once per app and kept on ``app.state.services``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from compliance.checker import Checker
from compliance.settings import Settings
from service.auth import KeyVerifier
from service.jobs.runner import Runner
from service.pool import CheckerPool
from service.ratelimit import RateLimiter
from service.records import Recorder
from service.settings import ServiceSettings
from service.store import Store
from service.webhooks import WebhookSender


@dataclass
class Services:
    settings: ServiceSettings
    engine_settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    store: Store
    verifier: KeyVerifier
    limiter: RateLimiter
    pool: CheckerPool
    recorder: Recorder
    checker: Checker
    runner: Runner
    webhooks: WebhookSender
    webhook_secret: str
    templates: Any = None
    leadership: Any = None  # service.leader.Leadership: whether this process runs the jobs
    _reload_lock: threading.Lock = field(default_factory=threading.Lock)

    def reload_rules(self) -> Checker:
        """Load the rules again (web process and worker processes); running checks finish on the old ones."""
        with self._reload_lock:
            checker = Checker(self.engine_settings)
            self.checker = checker
            self.pool.reload(self.engine_settings)
            return checker

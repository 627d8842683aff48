"""Everything the routes need, built once per app and kept on ``app.state.services``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
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


def warm(checker: Checker) -> Checker:
    """Check every rule's examples once before serving: parts of the engine load lazily (jieba's dictionary
    takes a second or two), and that second must not land on a client's request."""
    for rule in checker.ruleset.rules:
        for text in [*rule.examples.flag, *rule.examples.ok][:4]:
            checker.check_text(text)
    return checker


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

    rules_loaded_at: float = field(default_factory=time.time)

    @property
    def reload_marker(self) -> Path:
        return self.settings.data_dir / "rules.reload"

    def reload_rules(self, *, announce: bool = True) -> Checker:
        """Load the rules again (this web process and its checker processes; running checks finish on the old
        ones). ``announce`` touches a marker file so the other web processes follow (``follow_reloads``)."""
        with self._reload_lock:
            checker = warm(Checker(self.engine_settings))
            self.checker = checker
            self.pool.reload(self.engine_settings)
            if announce:
                self.reload_marker.touch()
            self.rules_loaded_at = time.time()  # after the touch: this process does not follow itself
            return checker

    def follow_reloads(self) -> None:
        """Reload when another web process announced a reload after this one last loaded the rules."""
        try:
            announced = self.reload_marker.stat().st_mtime
        except FileNotFoundError:
            return
        if announced > self.rules_loaded_at:
            self.reload_rules(announce=False)

"""API keys: random 32-byte url-safe tokens, stored only as sha256 hashes with a short prefix for display.

Verified keys are cached for a few seconds so the hot path (``/api/v1/check``) does not hit the database on
every request; revoking a key in this process drops it from the cache at once.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.db.models import ApiKey, utcnow

KEY_PREFIX = "cmp_"


class Role(StrEnum):
    ADMIN = "admin"
    INSPECTOR = "inspector"


@dataclass(frozen=True, slots=True)
class Principal:
    key_id: int
    prefix: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_key(session: Session, role: Role, name: str = "") -> tuple[ApiKey, str]:
    """A new key row and the key itself (shown once; only its hash is kept)."""
    key = new_key()
    row = ApiKey(prefix=key[: len(KEY_PREFIX) + 6], key_hash=hash_key(key), role=role.value, name=name)
    session.add(row)
    session.flush()
    return row, key


def revoke_key(session: Session, key_id: int) -> bool:
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def has_admin(session: Session) -> bool:
    stmt = select(ApiKey.id).where(ApiKey.role == Role.ADMIN.value, ApiKey.revoked_at.is_(None)).limit(1)
    return session.scalar(stmt) is not None


class KeyVerifier:
    def __init__(self, sessions: sessionmaker[Session], ttl: float) -> None:
        self._sessions = sessions
        self._ttl = ttl
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def verify(self, key: str) -> Principal | None:
        if not key or len(key) > 200:
            return None
        digest = hash_key(key)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        with self._sessions() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
            if row is None or row.revoked_at is not None:
                with self._lock:
                    self._cache.pop(digest, None)
                return None
            principal = Principal(row.id, row.prefix, Role(row.role))
        with self._lock:
            if len(self._cache) > 10_000:  # bounded: wrong keys are never cached, right ones are few
                self._cache.clear()
            self._cache[digest] = (now + self._ttl, principal)
        return principal

    def forget(self, key_id: int) -> None:
        with self._lock:
            for digest, (_, p) in list(self._cache.items()):
                if p.key_id == key_id:
                    del self._cache[digest]

"""Service settings: ``COMPLIANCE_*`` environment variables; ``DATABASE_URL`` overrides the SQLite default."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", extra="ignore")

    data_dir: Path = Field(Path("var"), description="SQLite database, stored files and evidence pictures")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "COMPLIANCE_DATABASE_URL"),
        description="SQLAlchemy URL; default sqlite:///<data_dir>/compliance.db",
    )
    max_upload_bytes: int = Field(256 * 1024 * 1024, ge=1024, description="one request body, larger → 413")
    max_job_files: int = Field(20_000, ge=1, description="files in one job (archive entries included)")
    rate_limit_per_minute: int = Field(60_000, ge=1, description="requests per API key per minute (429 past it)")
    workers: int = Field(default_factory=_default_workers, ge=1, le=64, description="checker processes for jobs")
    web_workers: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1), ge=1, le=32,
                             description="web processes (compliance serve); one of them runs the jobs")
    max_attempts: int = Field(3, ge=1, description="a file whose checks kept crashing the worker gets an error")
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="callback hosts allowed (exact, or *.example.org); empty: callbacks refused",
    )
    webhook_secret: str | None = Field(None, description="HMAC key; default: generated once into data_dir")
    webhook_max_attempts: int = Field(6, ge=1, le=20)
    webhook_backoff_seconds: float = Field(2.0, gt=0, description="first retry delay; doubles each attempt")
    webhook_timeout_seconds: float = Field(10.0, gt=0)
    auth_cache_seconds: float = Field(10.0, ge=0, description="how long a verified key is trusted without the DB")
    secure_cookies: bool = Field(False, description="set the login cookie Secure (behind https)")

    @field_validator("webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        # One comma-separated environment variable is easier to write than JSON.
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'compliance.db').resolve()}"

    def prepare(self) -> ServiceSettings:
        """Create the data directory (the SQLite file and the store live there)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self

"""Settings: one object, read from ``COMPLIANCE_*`` environment variables, passed down explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COMPLIANCE_", extra="ignore")

    lexicon_dir: Path | None = Field(None, description="rules directory; default: the bundled lexicons")
    max_file_bytes: int = Field(512 * 1024 * 1024, ge=1, description="larger inputs get an error report")
    max_findings: int = Field(2000, ge=1, description="findings kept per report; counts stay complete")
    chunk_chars: int = Field(1_000_000, ge=10_000, description="text is analysed in windows of this size")
    read_bytes: int = Field(1 << 20, ge=4096, description="block size when streaming files")

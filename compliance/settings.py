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
    ocr_backend: str = Field("rapidocr", pattern="^(rapidocr|tesseract)$", description="OCR engine for images")
    ocr_threads: int = Field(1, ge=1, le=64, description="threads per OCR engine (one engine per worker process)")
    max_image_pixels: int = Field(80_000_000, ge=10_000, description="larger images are refused (bombs)")
    vision: bool = Field(True, description="look for the national emblem, flag, organ marks and seals on pictures")
    vision_emblem: bool = Field(True, description="mark detector: the national emblem")
    vision_flag: bool = Field(True, description="mark detector: the national flag")
    vision_police: bool = Field(True, description="mark detector: the police badge (an organ mark)")
    vision_seals: bool = Field(True, description="mark detector: red seals, their text read and classified")
    text_model: bool = Field(True, description="statistical second opinion on paraphrased claims (review findings)")
    text_model_max_chars: int = Field(20_000, ge=0, description="pages longer than this get the rules only")
    pinyin_reading: bool = Field(True, description="read pinyin runs as characters for the patterns (七天拿zheng)")
    max_pdf_pages: int = Field(500, ge=1, description="PDFs with more pages get an error report")
    max_archive_entries: int = Field(20_000, ge=1, description="files in one archive (nested ones included)")
    max_archive_bytes: int = Field(4 * 1024**3, ge=1, description="total unpacked bytes of one archive")
    max_archive_ratio: float = Field(200.0, gt=1, description="unpacked/packed size of one entry (bombs)")
    max_archive_depth: int = Field(2, ge=1, description="archives inside archives, levels")

"""Media type by content, never by file name (files arrive misnamed)."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

from compliance.extract.decode import UndecodableError, detect_encoding, plausible

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
)
_HTML = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<(?:div|p|span|br|table|img|a)[\s>/]",
                   re.IGNORECASE)

TEXT_TYPES = frozenset({"text/plain", "text/html"})


def sniff(head: bytes, *, complete: bool, whole: bytes | None = None) -> str:
    """The media type of data beginning with ``head`` (``whole`` lets ZIP containers be opened)."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            if media == "image/bmp" and len(head) < 26:
                break
            return media
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        if whole is not None:
            try:
                names = set(zipfile.ZipFile(BytesIO(whole)).namelist())
            except zipfile.BadZipFile:
                return "application/zip"
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "application/zip"
    if not head:
        return "text/plain"
    try:
        encoding, skip = detect_encoding(head, complete=complete)
    except UndecodableError:
        return "application/octet-stream"
    sample = head[skip:].decode(encoding, errors="replace")
    if sample.count("\ufffd") > max(4, len(sample) // 50) or not plausible(sample[:8192]):
        return "application/octet-stream"
    if _HTML.search(sample[:4096]):
        return "text/html"
    return "text/plain"

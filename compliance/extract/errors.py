"""The one exception extractors raise; the checker turns it into a report with verdict ``error``."""

from __future__ import annotations


class ExtractError(Exception):
    """A problem with one input. ``code`` is stable (clients route on it); ``message`` is for people.

    Codes: not_found, unreadable, is_directory, file_too_large, undecodable, unsupported_media,
    pdf_unreadable, pdf_too_many_pages, image_unreadable, image_too_large, docx_unreadable,
    archive_unsafe, ocr_unavailable.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

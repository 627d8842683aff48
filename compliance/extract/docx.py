"""Word (.docx): paragraphs, tables, text boxes, headers and footers; embedded pictures are OCR'd.

Page numbering (a .docx has no fixed pages): page 1 is the document's text; each embedded picture that
yields text becomes a further page, with ``part`` naming it (word/media/image1.png).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

from compliance.contract import Origin
from compliance.extract.document import Document, Page, Segment
from compliance.extract.errors import ExtractError

ImagePages = Callable[[bytes], list[Page]]  # picture bytes -> OCR'd pages

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_OCR_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/webp")


def _paragraphs(root: Any) -> Iterator[str]:
    """Text of every paragraph under ``root`` in document order, tables and text boxes included.

    Word stores a text box twice (DrawingML and a VML fallback): the fallback copy is skipped.
    """
    for p in root.iter(f"{_W}p"):
        if any(anc.tag == _MC_FALLBACK for anc in p.iterancestors()):
            continue
        parts: list[str] = []
        for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
            if node.tag == f"{_W}t":
                parts.append(node.text or "")
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            else:
                parts.append("\n")
        text = "".join(parts)
        if text.strip():
            yield text


def docx_document(data: bytes, *, max_unpacked_bytes: int, images: ImagePages | None) -> Document:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except zipfile.BadZipFile as exc:
        raise ExtractError("docx_unreadable", f"not a valid .docx container: {exc}") from exc
    if unpacked > max_unpacked_bytes:
        raise ExtractError("archive_unsafe",
                           f".docx unpacks to {unpacked} bytes, over the limit of {max_unpacked_bytes}")
    import docx

    try:
        doc = docx.Document(BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors... for broken files
        raise ExtractError("docx_unreadable", f"cannot read the .docx ({type(exc).__name__}: {exc})") from exc

    texts = list(_paragraphs(doc.element.body))
    seen_parts: set[int] = set()
    for section in doc.sections:
        for hf in (section.header, section.first_page_header, section.even_page_header,
                   section.footer, section.first_page_footer, section.even_page_footer):
            try:
                if hf.is_linked_to_previous:
                    continue
                part = hf.part
            except (AttributeError, KeyError, ValueError):
                continue
            if id(part) in seen_parts:
                continue
            seen_parts.add(id(part))
            texts.extend(_paragraphs(hf._element))
    pages = [Page(1, [Segment(t) for t in texts], Origin.DOCX)]
    warnings: list[str] = []

    if images is not None:
        number = 2
        for part in doc.part.package.iter_parts():
            ctype = getattr(part, "content_type", "")
            if not ctype.startswith("image/"):
                continue
            name = str(part.partname).lstrip("/")
            if ctype not in _OCR_TYPES:
                warnings.append(f"{name}: {ctype} pictures are not read")
                continue
            try:
                found = images(part.blob)
            except ExtractError as exc:
                warnings.append(f"{name}: {exc.code}: {exc.message}")
                continue
            for page in found:
                if not page.segments:
                    continue
                page.number, page.part = number, name
                pages.append(page)
                number += 1
    return Document("application/vnd.openxmlformats-officedocument.wordprocessingml.document", pages,
                    warnings=warnings)

"""Builds PDF, DOCX and ZIP fixtures in memory (text-layer PDFs with a CJK font, scanned PDFs, encrypted ones)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PAGE = (595.0, 842.0)  # A4 in points


def text_pdf(pages: list[list[tuple[float, float, str]]], *, size: float = 18, encrypt: str | None = None) -> bytes:
    """A PDF with a real text layer: each page a list of (x, y_from_top, text) lines."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "wqy" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("wqy", str(CJK_FONT), subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE, encrypt=encrypt)
    for lines in pages:
        c.setFont("wqy", size)
        for x, y_top, text in lines:
            c.drawString(x, PAGE[1] - y_top - size, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def image_pdf(images: list[object]) -> bytes:
    """A scanned PDF: pages are pictures, no text layer."""
    buf = io.BytesIO()
    first, *rest = images
    first.save(buf, format="PDF", save_all=True, append_images=rest, resolution=150)  # type: ignore[attr-defined]
    return buf.getvalue()


def make_docx(paragraphs: list[str], *, table: list[list[str]] | None = None, header: str | None = None,
              footer: str | None = None, picture: bytes | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if footer:
        d.sections[0].footer.paragraphs[0].text = footer
    if picture:
        d.add_picture(io.BytesIO(picture))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()

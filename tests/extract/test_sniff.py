"""Media type by content, never by name."""

from __future__ import annotations

import io
import zipfile

import pytest

from compliance.extract.sniff import sniff

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_docx(text: str = "本班包过") -> bytes:
    """The smallest package Word's reader needs: content types, the package relation and the main part."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>'
                   '</w:document>')
    return buf.getvalue()


def make_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "本班包过")
    return buf.getvalue()


def _sniff(data: bytes) -> str:
    return sniff(data[: 1 << 16], complete=len(data) <= 1 << 16, whole=data)


@pytest.mark.parametrize(
    ("data", "media"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32, "image/jpeg"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
        (b"GIF89a" + b"\x00" * 16, "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32, "application/x-ole-storage"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 16, "application/gzip"),
    ],
)
def test_magic_numbers(data, media):
    assert _sniff(data) == media


def test_docx_is_told_apart_from_zip():
    assert _sniff(make_docx()) == DOCX
    assert _sniff(make_zip()) == "application/zip"
    # Without the whole container the parts cannot be listed: a ZIP, no more.
    assert sniff(make_docx()[:64], complete=False) == "application/zip"


def test_broken_zip_is_a_zip():
    assert _sniff(b"PK\x03\x04" + b"\x00" * 40) == "application/zip"


@pytest.mark.parametrize(
    "markup",
    [
        "<!DOCTYPE html><html><head><title>叉车培训</title></head><body><p>零基础包过</p></body></html>",
        "<!doctype html>\n<html lang=zh><body>报名</body></html>",
        "<html><body><p>hello</p></body></html>",  # even byte count, ASCII only
        "<html><body><p>hello!</p></body></html>",  # odd byte count
        "<div class='ad'>七天拿证</div>",
        "  \n<p>快速取证</p>\n",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_html_is_html_in_any_encoding(markup, encoding):
    assert _sniff(markup.encode(encoding)) == "text/html"


@pytest.mark.parametrize(
    "text",
    [
        "报名学员包过，欢迎咨询。",
        "价格 < 100 元，满 3 人 > 开班",  # angle brackets are not markup
        "# 课程介绍\n\n- 每周二、四晚上课\n- **实操**为主\n",  # Markdown is plain text
        "Python training course, sign up now!",
        "",
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_plain_text(text, encoding):
    assert _sniff(text.encode(encoding)) == "text/plain"


def test_random_binary_is_octet_stream():
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(3000))
    assert _sniff(data) == "application/octet-stream"


def test_name_does_not_matter(tmp_path):
    """A PNG named .txt and text named .png: sniffing reads bytes only, so the name cannot mislead it."""
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    (tmp_path / "poster.txt").write_bytes(png)
    (tmp_path / "notice.png").write_bytes("报名学员包过".encode())
    assert _sniff((tmp_path / "poster.txt").read_bytes()) == "image/png"
    assert _sniff((tmp_path / "notice.png").read_bytes()) == "text/plain"

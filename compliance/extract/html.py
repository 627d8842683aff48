"""Visible text of an HTML page, plus the alt and title texts a reader sees on hover or for images."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_BLOCK_SEPARATOR = "\n"


def html_text(markup: str) -> str:
    tree = HTMLParser(markup)
    for selector in ("script", "style", "noscript", "template", "svg"):
        for node in tree.css(selector):
            node.decompose()
    parts: list[str] = []
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        parts.append(title.text(strip=True))
    for meta in tree.css('meta[name="description"], meta[name="keywords"], meta[property="og:title"], '
                         'meta[property="og:description"]'):
        content = meta.attributes.get("content")
        if content:
            parts.append(content.strip())
    body = tree.body or tree.root
    if body is not None:
        parts.append(body.text(separator=_BLOCK_SEPARATOR, strip=True))
        for node in body.css("[alt], [title]"):
            for attr in ("alt", "title"):
                value = node.attributes.get(attr)
                if value and value.strip():
                    parts.append(value.strip())
    return _BLOCK_SEPARATOR.join(p for p in parts if p)

"""Reading the title and visible text of a (possibly truncated) HTML body."""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from lxml.etree import ParserError
from w3lib.encoding import html_to_unicode

_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageText:
    """`html` is the decoded markup; `text` the words a reader sees (no script, no style)."""

    html: str
    title: str
    text: str


def is_html(content_type: str, body_prefix: bytes) -> bool:
    if "html" in content_type.lower():
        return True
    head = body_prefix[:512].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script"))


def decode_page(content_type: str, body_prefix: bytes) -> str:
    """Decode with the declared charset (header, then <meta>), as a browser would; the
    prefix may end inside a character, which decodes to a replacement mark."""
    return html_to_unicode(content_type or None, body_prefix)[1]


def read_page(content_type: str, body_prefix: bytes) -> PageText:
    html = decode_page(content_type, body_prefix)
    title_match = _TITLE.search(html)
    title = _SPACES.sub(" ", title_match.group(1)).strip() if title_match else ""
    return PageText(html=html, title=title, text=visible_text(html))


def visible_text(html: str) -> str:
    if not html.strip():
        return ""
    try:
        document = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return ""
    for hidden in document.xpath("//script|//style|//noscript|//template|//head"):
        hidden.drop_tree()
    return _SPACES.sub(" ", document.text_content()).strip()

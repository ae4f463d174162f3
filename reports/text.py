"""Cleaning of crawled text before any writer puts it into a file.

Titles and URLs come from the crawl and may carry control characters that XML (DOCX,
XLSX) cannot hold at all; they are dropped rather than failing the whole report.
"""

from __future__ import annotations

import re

# XML 1.0 allows tab, newline and carriage return among the C0 controls, nothing else.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    """Collapses line breaks: a table cell or list item is one line in every format."""
    return " ".join(xml_safe(text).split())

"""Cleaning of crawled text before any writer puts it into a file.

Titles and URLs come from the crawl and may carry control characters that XML (DOCX,
XLSX) cannot hold at all, or bidi overrides that make them read backwards; both are
dropped (`monitor.safetext`) rather than failing the whole report or misleading it.
"""

from __future__ import annotations

from monitor import safetext


def xml_safe(text: str) -> str:
    return safetext.clean(text)


def one_line(text: str) -> str:
    """Collapses line breaks: a table cell or list item is one line in every format."""
    return safetext.one_line(text)

"""Cleaning of crawled text before any writer puts it into a file.

Titles and URLs come from the crawl and may carry control characters that XML (DOCX,
XLSX) cannot hold at all, or bidi overrides that make them read backwards; both are
dropped (`monitor.safetext`) rather than failing the whole report or misleading it.
"""

from __future__ import annotations

import re

from monitor import safetext


def xml_safe(text: str) -> str:
    return safetext.clean(text)


def one_line(text: str) -> str:
    """Collapses line breaks: a table cell or list item is one line in every format."""
    return safetext.one_line(text)


# A Chinese list mark or comma directly before Latin text or digits ("0.00%、10.00%").
_BEFORE_LATIN = re.compile(r"([、，；：。])(?=[0-9A-Za-z])")


def line_break_hints(text: str) -> str:
    """Adds a zero-width space after Chinese punctuation that runs into Latin text.

    LibreOffice treats "0.00%、10.00%、12.81%" as one unbreakable word; in a justified line
    it is pushed whole to the next line and the line before is stretched until its
    characters stand apart. The invisible space gives it a place to break.
    """
    return _BEFORE_LATIN.sub("\\1\u200b", text)

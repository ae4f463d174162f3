"""Crawled text made safe for the spreadsheets, files and terminals it is written to.

Titles, unit names and URLs come from pages that anyone with the portal's CMS can edit, so
every writer passes them through here (one rule, one place):

- control characters (C0 but tab and line feed, DEL, C1) are dropped: XML — and so XLSX
  and DOCX — cannot hold them at all, and on a terminal ESC and BEL drive the terminal;
- bidirectional embedding, override and isolate marks (U+202A–U+202E, U+2066–U+2069) are
  dropped: they make a title display in another order than it is stored, so an officer
  would read something other than what the page says;
- in a spreadsheet, a text starting with = + - or @ (also after spaces or tabs) is a
  formula to Excel and WPS (`=HYPERLINK(…)`, DDE): it is marked as text — a leading
  apostrophe in CSV, a quote-prefixed string cell in XLSX.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_FORMULA_START = re.compile(r"\s*[=+\-@]")


def clean(text: str) -> str:
    """Control and bidi characters dropped; a carriage return becomes a line feed."""
    return _UNSAFE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """`clean`, with every run of white space (line breaks included) one space."""
    return " ".join(clean(text).split())


def looks_like_formula(text: str) -> bool:
    return _FORMULA_START.match(text) is not None


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet opens as the text it is, never as a formula."""
    cleaned = clean(text)
    return "'" + cleaned if looks_like_formula(cleaned) else cleaned

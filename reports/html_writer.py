"""HTML for reading: one self-contained file (inline CSS, no scripts, fonts or images).

The template is rendered with autoescape on, so crawled titles and URLs are text, never
markup; only http(s) URLs become links, so a `javascript:` target stays inert text.
A Content-Security-Policy meta tag forbids loading anything from elsewhere.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from monitor.resources import package_dir
from reports import wording
from reports.model import MonthlyReport, QuarterlyReport, WeekMark
from reports.outline import (
    MARK_FILLS,
    AnnexList,
    Block,
    Heading,
    ItemList,
    Masthead,
    Note,
    Paragraph,
    Table,
    Title,
    cell_text,
    outline,
)
from reports.text import xml_safe

_KINDS: dict[type, str] = {
    Title: "title",
    Masthead: "masthead",
    AnnexList: "annexes",
    Heading: "heading",
    Paragraph: "paragraph",
    Note: "note",
    ItemList: "items",
    Table: "table",
}


def is_web_url(value: object) -> bool:
    text = str(value).strip().lower()
    return text.startswith(("http://", "https://")) and xml_safe(text) == text


def cell_class(value: object) -> str:
    if isinstance(value, WeekMark):
        return f"mark {value.value}"
    if value is None or isinstance(value, int | Decimal):
        return "num"
    return "text"


@cache
def _environment() -> Environment:
    """Built on first use, not at import (the template is package data)."""
    environment = Environment(
        loader=FileSystemLoader(package_dir("reports", "templates")),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        # Every text printed passes the shared cleaning: no control or bidi character
        # from a crawled title reaches the page.
        finalize=lambda value: xml_safe(value) if isinstance(value, str) else value,
    )
    environment.tests["web_url"] = is_web_url
    environment.filters["cell_text"] = cell_text
    environment.filters["cell_class"] = cell_class
    return environment


def render_html(blocks: list[Block], title: str) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        blocks=[(_KINDS[type(block)], block) for block in blocks],
        fills=[(mark.value, fill) for mark, fill in MARK_FILLS.items()],
        lang=wording.document_language(),
        annex_lead=wording.annex_lead(),
        label_gap=wording.label_gap(),
    )


def write_html(report: MonthlyReport | QuarterlyReport, path: Path) -> Path:
    path.write_text(render_html(outline(report), report.title), encoding="utf-8")
    return path

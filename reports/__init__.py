"""Reports (SPEC §6): the monthly 月报 and the quarterly table in DOCX, XLSX, Markdown, HTML.

`build_monthly_report` / `build_quarterly_report` make a typed model from per-unit figures
and problems; `write_report` (or one of the `write_*` functions) renders it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reports.docx_writer import write_docx
    from reports.html_writer import write_html
    from reports.markdown_writer import write_markdown
    from reports.model import MonthlyReport, QuarterlyReport, ReportProblem
    from reports.monthly import MonthlySettings, build_monthly_report
    from reports.output import ALL_FORMATS, parse_formats, write_report
    from reports.quarterly import QuarterlySettings, build_quarterly_report
    from reports.texts import OfficeTexts, TextContext, render_monthly_texts
    from reports.xlsx_writer import write_xlsx

# Each name's module, imported on first use: the writers pull in python-docx, openpyxl and
# Jinja2, which the crawl and the rules (that only need `reports.model`) can do without.
_MODULES = {
    "write_docx": "reports.docx_writer",
    "write_html": "reports.html_writer",
    "write_markdown": "reports.markdown_writer",
    "MonthlyReport": "reports.model",
    "QuarterlyReport": "reports.model",
    "ReportProblem": "reports.model",
    "MonthlySettings": "reports.monthly",
    "build_monthly_report": "reports.monthly",
    "ALL_FORMATS": "reports.output",
    "parse_formats": "reports.output",
    "write_report": "reports.output",
    "QuarterlySettings": "reports.quarterly",
    "build_quarterly_report": "reports.quarterly",
    "OfficeTexts": "reports.texts",
    "TextContext": "reports.texts",
    "render_monthly_texts": "reports.texts",
    "write_xlsx": "reports.xlsx_writer",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'reports' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

__all__ = [
    "ALL_FORMATS",
    "MonthlyReport",
    "MonthlySettings",
    "OfficeTexts",
    "QuarterlyReport",
    "QuarterlySettings",
    "ReportProblem",
    "TextContext",
    "build_monthly_report",
    "build_quarterly_report",
    "parse_formats",
    "render_monthly_texts",
    "write_docx",
    "write_html",
    "write_markdown",
    "write_report",
    "write_xlsx",
]

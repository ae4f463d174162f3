"""Reports (SPEC §6): the monthly 月报 and the quarterly table in DOCX, XLSX, Markdown, HTML.

`build_monthly_report` / `build_quarterly_report` make a typed model from per-unit figures
and problems; `write_report` (or one of the `write_*` functions) renders it.
"""

from reports.docx_writer import write_docx
from reports.html_writer import write_html
from reports.markdown_writer import write_markdown
from reports.model import MonthlyReport, QuarterlyReport, ReportProblem
from reports.monthly import MonthlySettings, build_monthly_report
from reports.output import ALL_FORMATS, parse_formats, write_report
from reports.quarterly import QuarterlySettings, build_quarterly_report
from reports.texts import OfficeTexts, TextContext, render_monthly_texts
from reports.xlsx_writer import write_xlsx

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

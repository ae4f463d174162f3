"""Writes a report in the requested formats into a directory (`monitor report … --out DIR`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from monitor.errors import ReportError
from monitor.i18n import _
from reports.docx_writer import write_docx
from reports.html_writer import write_html
from reports.markdown_writer import write_markdown
from reports.model import MonthlyReport, QuarterlyReport
from reports.xlsx_writer import write_xlsx

Report = MonthlyReport | QuarterlyReport
Writer = Callable[[Report, Path], Path]

WRITERS: dict[str, Writer] = {
    "docx": write_docx,
    "xlsx": write_xlsx,
    "md": write_markdown,
    "html": write_html,
}
ALL_FORMATS = tuple(WRITERS)


def report_stem(report: Report) -> str:
    if isinstance(report, MonthlyReport):
        return f"monthly-{report.year}-{report.month:02d}"
    return f"quarterly-{report.year}Q{report.quarter}"


def parse_formats(text: str) -> tuple[str, ...]:
    """"docx,md" -> ("docx", "md"); an unknown name is a user error naming the known ones."""
    names = tuple(dict.fromkeys(name.strip().lower() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in WRITERS]
    if unknown or not names:
        raise ReportError(_("unknown report format {names}; choose from {known}").format(
            names=", ".join(unknown) or _("(none)"), known=", ".join(ALL_FORMATS)))
    return names


def write_report(report: Report, out_dir: Path, formats: Sequence[str] = ALL_FORMATS
                 ) -> list[Path]:
    """One file per format, named after the period (monthly-2024-04.docx …)."""
    chosen = parse_formats(",".join(formats))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = report_stem(report)
        return [WRITERS[name](report, out_dir / f"{stem}.{name}") for name in chosen]
    except OSError as error:
        raise ReportError(_("cannot write the report into {path}: {reason}").format(
            path=out_dir, reason=error.strerror)) from error

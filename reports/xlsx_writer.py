"""XLSX: one sheet per table, laid out for print (`monitor.spreadsheet`): a title row, the
header, the data from row 3; numbers stored as numbers.

Completion is a number with the format 0.00 so the office can sort and sum it. Crawled
text that starts with "=" would become a formula if openpyxl guessed the type, so every
text cell is stored explicitly as a string, quote-prefixed when it looks like a formula
so that it stays text when an officer edits it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from monitor import spreadsheet
from monitor.safetext import looks_like_formula
from reports.issued import written_at
from reports.model import MonthlyReport, QuarterlyReport, WeekMark
from reports.outline import MARK_FILLS, Cell, Table, cell_text, tables_of
from reports.text import one_line

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _put(cell: SheetCell, value: Cell) -> None:
    if value is None:
        return
    if isinstance(value, WeekMark):
        cell.value = cell_text(value)
        cell.fill = PatternFill("solid", fgColor=MARK_FILLS[value])
        cell.alignment = Alignment(horizontal="center")
    elif isinstance(value, Decimal):
        cell.value = float(value)
        cell.number_format = "0.00"
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = one_line(value)
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(cell.value)


def sheet_title(name: str) -> str:
    return name.translate(_INVALID_SHEET_CHARS)[:31]


def _text_columns(table: Table) -> list[int]:
    """The columns of long text that wrap (all of a wide text table's, 1-based)."""
    return list(range(1, len(table.header) + 1)) if table.wide_text else []


def fill_sheet(sheet: Worksheet, table: Table) -> None:
    spreadsheet.start_sheet(sheet, table.sheet_title or table.caption, table.header,
                            table.widths)
    for cell in sheet[spreadsheet.HEADER_ROW]:
        cell.fill = _HEADER_FILL
    for row_number, values in enumerate(table.rows, start=spreadsheet.FIRST_DATA_ROW):
        for column_number, value in enumerate(values, start=1):
            _put(sheet.cell(row=row_number, column=column_number), value)
    last_row = spreadsheet.FIRST_DATA_ROW + len(table.rows) - 1
    spreadsheet.finish_table(sheet, len(table.header), last_row, _text_columns(table))
    for offset, note in enumerate(table.notes, start=last_row + 2):
        cell = sheet.cell(row=offset, column=1, value=one_line(note))
        cell.data_type, cell.font = "s", spreadsheet.BODY_FONT


def write_xlsx(report: MonthlyReport | QuarterlyReport, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables_of(report):
        fill_sheet(workbook.create_sheet(sheet_title(table.sheet_name)), table)
    spreadsheet.set_properties(workbook, report.issuer, report.title, written_at(report))
    workbook.save(str(path))
    return path

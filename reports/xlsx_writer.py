"""XLSX: one sheet per table, header frozen, numbers stored as numbers.

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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitor.safetext import looks_like_formula
from reports.model import MonthlyReport, QuarterlyReport, WeekMark
from reports.outline import MARK_FILLS, Cell, Table, cell_text, tables_of
from reports.text import one_line

_HEADER_FONT = Font(bold=True)
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


def fill_sheet(sheet: Worksheet, table: Table) -> None:
    sheet.append(list(table.header))
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row_number, values in enumerate(table.rows, start=2):
        for column_number, value in enumerate(values, start=1):
            _put(sheet.cell(row=row_number, column=column_number), value)
    for column_number, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(column_number)].width = width
    sheet.freeze_panes = "A2"
    for offset, note in enumerate(table.notes, start=len(table.rows) + 3):
        sheet.cell(row=offset, column=1, value=one_line(note)).data_type = "s"


def write_xlsx(report: MonthlyReport | QuarterlyReport, path: Path) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables_of(report):
        fill_sheet(workbook.create_sheet(sheet_title(table.sheet_name)), table)
    workbook.save(str(path))
    return path

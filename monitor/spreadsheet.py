"""The print-ready layout every XLSX the office receives shares (reports and exports).

A sheet is laid out as a Chinese office table: a merged title row in bold 宋体, the header
in 黑体 on row 2, the data from row 3 in 宋体, thin borders round every table cell. It
prints on A4 landscape, one page wide (as many pages long as it takes) with the header
repeated on each page and the page number in the footer, so the office can print it as
received; the header row stays in view while scrolling.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROW = 1
HEADER_ROW = 2
FIRST_DATA_ROW = 3

TITLE_FONT = Font(name="宋体", size=16, bold=True)
HEADER_FONT = Font(name="黑体", size=11)
BODY_FONT = Font(name="宋体", size=11)
_THIN = Side(style="thin", color="000000")
CELL_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
TITLE_ROW_HEIGHT = 32

# Widths are in Excel's character units: a Chinese character takes about two.
MIN_WIDTH, MAX_WIDTH = 8, 60


def display_width(text: str) -> int:
    """Columns `text` takes in a fixed-width view: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def column_widths(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[int]:
    """A width per column that fits its header and its longest value, within bounds, so
    a long URL wraps in a wide column instead of making the page unreadably small."""
    widest = [display_width(name) for name in header]
    for row in rows:
        for index, value in enumerate(row):
            if value is not None:
                longest = max(display_width(line) for line in str(value).splitlines() or [""])
                widest[index] = max(widest[index], longest)
    return [min(MAX_WIDTH, max(MIN_WIDTH, width + 2)) for width in widest]


def start_sheet(sheet: Worksheet, title: str, header: Sequence[str],
                widths: Sequence[float]) -> None:
    """Title row, header row, column widths, frozen header and print setup."""
    columns = len(header)
    sheet.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW,
                      end_column=columns)
    title_cell = sheet.cell(row=TITLE_ROW, column=1, value=title)
    title_cell.data_type = "s"
    title_cell.font = TITLE_FONT
    title_cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[TITLE_ROW].height = TITLE_ROW_HEIGHT
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=1).coordinate
    _print_setup(sheet)


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    # One page wide, as many long as the rows need (0 = no limit on the height).
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = "宋体"


def finish_table(sheet: Worksheet, columns: int, last_row: int,
                 wrap_columns: Sequence[int] = ()) -> None:
    """Borders round every cell from the header to `last_row`, the body font on the data,
    and wrapping in `wrap_columns` (1-based) so long text stays inside its column."""
    wrapping = set(wrap_columns)
    for row in sheet.iter_rows(min_row=HEADER_ROW, max_row=max(last_row, HEADER_ROW),
                               max_col=columns):
        for cell in row:
            cell.border = CELL_BORDER
            if cell.row < FIRST_DATA_ROW:
                continue
            cell.font = BODY_FONT
            if cell.column in wrapping:
                cell.alignment = Alignment(vertical="top", wrap_text=True)


def set_properties(workbook: Workbook, creator: str, title: str,
                   created: datetime | None) -> None:
    """Author, title and creation time of the file, rather than openpyxl's "openpyxl".

    Without `created` the file keeps openpyxl's (the time the workbook was made); openpyxl
    stamps the modification time itself when it saves: that is the real one.
    """
    properties = workbook.properties
    properties.creator = properties.lastModifiedBy = creator
    properties.title = title
    if created is not None:
        properties.created = created.astimezone(UTC).replace(tzinfo=None)

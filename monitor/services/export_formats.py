"""Writing export rows as CSV, JSON or XLSX, with times shown in Asia/Shanghai (SPEC §2).

CSV is UTF-8 with a byte-order mark: without it Excel on a Chinese Windows reads the file
as GBK and the unit names come out garbled. Several source URLs share one cell,
separated by spaces (a URL holds none). Crawled text passes `monitor.safetext` on its
way into CSV and XLSX: never a formula, no control or bidi characters.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import astuple
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from monitor import safetext, spreadsheet
from monitor.calendar import LOCAL_ZONE
from monitor.i18n import N_, _
from monitor.services.export import ExportKind, ExportRow, field_names

CSV_ENCODING = "utf-8-sig"
_CELL_TIME = "%Y-%m-%d %H:%M:%S"

CellValue = str | int | bool | date | datetime | tuple[str, ...] | None


# The title row of an XLSX export, when the caller names none.
EXPORT_TITLES = {
    ExportKind.POSTS: N_("信息导出"),
    ExportKind.LINKS: N_("链接导出"),
    ExportKind.PROBLEMS: N_("问题导出"),
}


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_ZONE)


def _text_cell(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _local(value).strftime(_CELL_TIME)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return " ".join(value)
    return str(value)


def _json_value(value: CellValue) -> object:
    if isinstance(value, datetime):
        return _local(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _xlsx_cell(value: CellValue) -> object:
    if isinstance(value, datetime):
        # Excel has no time zones: the local wall-clock time is what the office reads.
        return _local(value).replace(tzinfo=None)
    if isinstance(value, tuple):
        return safetext.clean("\n".join(value))
    if isinstance(value, str):
        return safetext.clean(value)
    return value


def _csv_cell(value: CellValue) -> str:
    text = _text_cell(value)
    return safetext.csv_cell(text) if isinstance(value, str | tuple) else text


def csv_text(kind: ExportKind, rows: Sequence[ExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(field_names(kind))
    writer.writerows([_csv_cell(value) for value in astuple(row)] for row in rows)
    return buffer.getvalue()


def json_text(kind: ExportKind, rows: Sequence[ExportRow]) -> str:
    names = field_names(kind)
    document = [
        {name: _json_value(value) for name, value in zip(names, astuple(row), strict=True)}
        for row in rows
    ]
    return json.dumps(document, ensure_ascii=False, indent=2)


def _store(cell: Cell) -> None:
    value = cell.value
    if isinstance(value, str):
        # Stored as text, and kept text when an officer edits the cell.
        cell.data_type = "s"
        cell.quotePrefix = safetext.looks_like_formula(value)
    elif isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def write_xlsx(kind: ExportKind, rows: Sequence[ExportRow], path: Path, *,
               title: str | None = None, creator: str = "",
               created: datetime | None = None) -> None:
    """One sheet laid out for print (`monitor.spreadsheet`): title, header, data from row 3.

    `created` is the caller's clock (MONITOR_NOW in replays); without it, the writing time.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kind.value
    header = list(field_names(kind))
    values = [[_xlsx_cell(value) for value in astuple(row)] for row in rows]
    heading = title or _(EXPORT_TITLES[kind])
    widths = spreadsheet.column_widths(header, ([_text_cell(v) for v in astuple(row)]
                                                for row in rows))
    spreadsheet.start_sheet(sheet, heading, header, widths)
    for row_number, row_values in enumerate(values, start=spreadsheet.FIRST_DATA_ROW):
        for column_number, value in enumerate(row_values, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            _store(cell)
    text_columns = [n for n, width in enumerate(widths, start=1) if width >= 20]
    spreadsheet.finish_table(sheet, len(header), spreadsheet.FIRST_DATA_ROW + len(rows) - 1,
                             text_columns)
    spreadsheet.set_properties(workbook, creator, heading, created)
    workbook.save(path)


def write_export(kind: ExportKind, rows: Sequence[ExportRow], fmt: ExportFormat,
                 path: Path, *, title: str | None = None, creator: str = "") -> None:
    if fmt is ExportFormat.XLSX:
        write_xlsx(kind, rows, path, title=title, creator=creator)
    elif fmt is ExportFormat.CSV:
        path.write_text(csv_text(kind, rows), encoding=CSV_ENCODING, newline="")
    else:
        path.write_text(json_text(kind, rows) + "\n", encoding="utf-8")

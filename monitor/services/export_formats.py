"""Writing export rows as CSV, JSON or XLSX, with times shown in Asia/Shanghai (SPEC §2).

CSV and XLSX are the office's own tables: their headers and the values of closed sets
(问题, 状态, 是/否 …) are in the language people read (SPEC §9). JSON is for programs and
keeps the SPEC's field names and values.

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
from monitor.domain import DateSource, LinkKind, LinkStatus, ProblemState
from monitor.i18n import N_, _
from monitor.labels import label, problem_label, yes_no
from monitor.problem_details import reason_words
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

# Each field's header in the CSV and XLSX tables, by export kind.
HEADERS: dict[ExportKind, dict[str, str]] = {
    ExportKind.POSTS: {
        "unit": N_("单位"), "column": N_("栏目"), "url": N_("链接"), "title": N_("标题"),
        "date": N_("发布日期"), "date_source": N_("日期来源"), "first_seen": N_("首次发现"),
    },
    ExportKind.LINKS: {
        "url": N_("链接"), "kind": N_("类型"), "internal": N_("站内链接"), "status": N_("状态"),
        "reason": N_("原因"), "http_status": N_("HTTP状态码"), "hidden": N_("隐藏"),
        "sources": N_("所在页面"),
    },
    ExportKind.PROBLEMS: {
        "id": N_("编号"), "type": N_("问题"), "unit": N_("单位"), "column": N_("栏目"),
        "url": N_("页面"), "target": N_("链接目标"), "detail": N_("详情"), "state": N_("状态"),
        "first_seen": N_("首次发现"), "last_seen": N_("最近发现"), "recurring": N_("反复出现"),
        "evidence": N_("截图取证"),
    },
}

# The XLSX sheet's name, by export kind.
SHEETS = {ExportKind.POSTS: N_("信息"), ExportKind.LINKS: N_("链接"),
          ExportKind.PROBLEMS: N_("问题")}

# The fields whose values are a closed set, shown by their labels in CSV and XLSX.
_VALUE_KINDS = {"date_source": DateSource, "kind": LinkKind, "status": LinkStatus,
                "state": ProblemState}


def headers(kind: ExportKind) -> list[str]:
    """The CSV and XLSX header row of `kind`, in the active language."""
    return [_(HEADERS[kind][name]) for name in field_names(kind)]


def _shown(name: str, value: CellValue) -> CellValue:
    """A field's value as the office's tables show it."""
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or not isinstance(value, str):
        return value
    if name == "type":
        return problem_label(value)
    if name == "reason":
        return reason_words(value)
    kind = _VALUE_KINDS.get(name)
    return value if kind is None else label(value, kind)


def _shown_row(kind: ExportKind, row: ExportRow) -> list[CellValue]:
    return [_shown(name, value)
            for name, value in zip(field_names(kind), astuple(row), strict=True)]


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
    writer.writerow(headers(kind))
    writer.writerows([_csv_cell(value) for value in _shown_row(kind, row)] for row in rows)
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
    sheet.title = _(SHEETS[kind])
    header = headers(kind)
    values = [[_xlsx_cell(value) for value in _shown_row(kind, row)] for row in rows]
    heading = title or _(EXPORT_TITLES[kind])
    widths = spreadsheet.column_widths(header, ([_text_cell(v) for v in _shown_row(kind, row)]
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

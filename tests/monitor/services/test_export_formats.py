"""The export files themselves (monitor/services/export_formats.py), without a database."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook

from monitor.services.export import ExportKind, LinkExport, ProblemExport
from monitor.services.export_formats import csv_text, json_text, write_xlsx

SEEN = datetime(2024, 4, 20, 18, 30, tzinfo=UTC)  # 2024-04-21 02:30 in Shanghai
BROKEN = LinkExport(url="http://127.0.0.1:8000/files/plan.pdf", kind="attachment",
                    internal=True, status="broken", reason="HTTP 404", http_status=404,
                    hidden=False, sources=("http://127.0.0.1:8000/a.html",
                                           "http://127.0.0.1:8000/b.html"))
FORMULA = ProblemExport(id=7, type="wrong_expression", unit="县水利局", column="工作动态",
                        url="http://127.0.0.1:8000/slj/1.html", target=None,
                        detail='=HYPERLINK("http://evil.example/","点此")', state="open",
                        first_seen=SEEN, last_seen=SEEN, recurring=False)


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_headers_and_closed_values_are_the_offices_words() -> None:
    header, row = csv_rows(csv_text(ExportKind.LINKS, [BROKEN]))
    assert header == ["链接", "类型", "站内链接", "状态", "原因", "HTTP状态码", "隐藏", "所在页面"]
    assert row == ["http://127.0.0.1:8000/files/plan.pdf", "附件", "是", "无法访问",
                   "页面不存在（HTTP 404）", "404", "否",
                   "http://127.0.0.1:8000/a.html http://127.0.0.1:8000/b.html"]


def test_csv_in_english_with_monitor_lang_en(english: None) -> None:
    header, row = csv_rows(csv_text(ExportKind.LINKS, [BROKEN]))
    assert header == ["link", "kind", "internal", "status", "reason", "HTTP status", "hidden",
                      "pages"]
    assert row[1:7] == ["attachment", "yes", "unreachable", "Page not found (HTTP 404)", "404",
                        "no"]


def test_json_keeps_the_spec_codes_whatever_the_language(english: None) -> None:
    [document] = json.loads(json_text(ExportKind.LINKS, [BROKEN]))
    assert document["status"] == "broken" and document["reason"] == "HTTP 404"
    assert document["sources"] == list(BROKEN.sources)


def test_a_text_that_starts_like_a_formula_stays_text_in_csv() -> None:
    _, row = csv_rows(csv_text(ExportKind.PROBLEMS, [FORMULA]))
    assert row[6] == "'" + FORMULA.detail
    assert row[8] == "2024-04-21 02:30:00"  # Shanghai's wall clock


def test_a_text_that_starts_like_a_formula_stays_text_in_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "problems.xlsx"
    write_xlsx(ExportKind.PROBLEMS, [FORMULA], path, title="问题导出", creator="政务公开办")
    book = load_workbook(path)
    sheet = book.active
    detail = sheet.cell(row=3, column=7)
    assert (detail.value, detail.data_type, detail.quotePrefix) == (FORMULA.detail, "s", True)
    assert sheet.cell(row=3, column=9).value == datetime(2024, 4, 21, 2, 30)
    assert book.properties.creator == "政务公开办"


def test_xlsx_sources_are_one_a_line(tmp_path: Path) -> None:
    path = tmp_path / "links.xlsx"
    write_xlsx(ExportKind.LINKS, [BROKEN], path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "链接导出"
    assert sheet.cell(row=3, column=8).value == "\n".join(BROKEN.sources)

"""XLSX, Markdown and HTML: structure, numbers, and crawled text kept inert."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from monitor.errors import ReportError
from reports import write_html, write_markdown, write_report, write_xlsx
from reports.markdown_writer import escape
from reports.model import MonthlyReport

HOSTILE_DETAIL = "<script>alert(1)</script> a|b *x* [y](z)"


@pytest.fixture
def hostile_report(april_report: MonthlyReport) -> MonthlyReport:
    links = april_report.sections[1]
    broken = replace(links.problems[0], detail=HOSTILE_DETAIL,
                     target="javascript:alert(1)", url="http://127.0.0.1:8000/p?a=1&b=\"x\"")
    county = (replace(april_report.county_rows[0], unit="=HYPERLINK(\"http://x\")|局"),
              *april_report.county_rows[1:])
    return replace(april_report, county_rows=county,
                   sections=(april_report.sections[0], replace(links, problems=(broken,))))


def test_xlsx_has_one_sheet_per_table_with_frozen_header_and_widths(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx"))
    assert book.sheetnames == ["附件1 县直单位", "附件2 乡镇", "每周更新情况", "附件4 问题清单"]
    sheet = book["附件1 县直单位"]
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["A"].width == 30
    assert [c.value for c in sheet[2]] == ["单位名称", "本年度任务数", "已发布总数", "4月发布条数",
                                           "完成比例(%)"]
    first = sheet[3]
    assert [type(c.value) for c in first[1:4]] == [int, int, int]
    assert first[4].value == 69.14 and first[4].number_format == "0.00"


def test_xlsx_sheets_carry_a_merged_title_row_naming_site_period_and_table(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx"))
    titles = {sheet.title: (sheet["A1"].value, [str(r) for r in sheet.merged_cells.ranges])
              for sheet in book.worksheets}
    assert titles == {
        "附件1 县直单位": ("瑞河县人民政府门户网站2024年4月县直单位信息发布统计表", ["A1:E1"]),
        "附件2 乡镇": ("瑞河县人民政府门户网站2024年4月乡镇信息发布统计表", ["A1:E1"]),
        "每周更新情况": ("瑞河县人民政府门户网站2024年4月工作动态每周更新情况表", ["A1:G1"]),
        "附件4 问题清单": ("瑞河县人民政府门户网站2024年4月常态化监测发现问题清单", ["A1:G1"]),
    }


def test_xlsx_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx"))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9 is A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$2:$2"
        assert sheet.freeze_panes == "A3"


def test_xlsx_table_cells_have_thin_borders_and_office_fonts(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    sheet = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx"))["附件4 问题清单"]
    table = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=7))
    rows_with_text = [row for row in table if any(cell.value is not None for cell in row)]
    bordered = rows_with_text[:-1]  # the evidence note under the table has no border
    assert bordered and all(
        {cell.border.left.style, cell.border.right.style, cell.border.top.style,
         cell.border.bottom.style} == {"thin"}
        for row in bordered for cell in row
    )
    assert (sheet["A1"].font.name, sheet["A1"].font.b) == ("宋体", True)
    assert {cell.font.name for cell in table[0]} == {"黑体"}
    assert {cell.font.name for row in bordered[1:] for cell in row} == {"宋体"}
    assert sheet["F3"].alignment.wrap_text  # a long URL wraps inside its column


def test_xlsx_core_properties_name_the_issuer_and_the_reports_own_day(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    properties = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx")).properties
    assert (properties.creator, properties.lastModifiedBy) == ("瑞河县政务公开办",) * 2
    assert properties.title == "瑞河县政务公开月报"
    # Issued 6 May 2024, Asia/Shanghai midnight, as the DOCX says.
    assert properties.created == datetime(2024, 5, 5, 16, 0)


def test_xlsx_week_grid_is_shaded(april_report: MonthlyReport, tmp_path: Path) -> None:
    sheet = openpyxl.load_workbook(write_xlsx(april_report, tmp_path / "a.xlsx"))["每周更新情况"]
    row = [r for r in sheet.iter_rows(min_row=3) if r[0].value == "县卫健委"][0]
    assert [c.value for c in row[2:]] == ["√", "×", "√", "√", "—"]
    assert row[3].fill.fgColor.rgb.endswith("FFC7CE")


def test_xlsx_text_that_looks_like_a_formula_stays_text(
    hostile_report: MonthlyReport, tmp_path: Path
) -> None:
    sheet = openpyxl.load_workbook(write_xlsx(hostile_report, tmp_path / "h.xlsx"))["附件1 县直单位"]
    cell = sheet["A3"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")|局"


def test_markdown_escapes_table_pipes_and_markup(hostile_report: MonthlyReport,
                                                 tmp_path: Path) -> None:
    text = write_markdown(hostile_report, tmp_path / "h.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "\\<script\\>" in text
    row = [line for line in text.splitlines() if "HYPERLINK" in line][0]
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # five cells: six unescaped pipes
    assert "a\\|b \\*x\\* \\[y\\]\\(z\\)" in text


def test_markdown_escape_covers_every_markdown_sign() -> None:
    assert escape("# _a_ `b` <c> ~d~ !e") == "\\# \\_a\\_ \\`b\\` \\<c\\> \\~d\\~ \\!e"
    assert escape("one\nline\r\n") == "one line"


def test_markdown_has_headings_and_attachment_tables(april_report, tmp_path: Path) -> None:
    text = write_markdown(april_report, tmp_path / "a.md").read_text(encoding="utf-8")
    assert text.startswith("**瑞河县政务公开办**\n\n2024年第4期　　2024年5月6日\n\n---\n\n"
                           "# 瑞河县政务公开月报\n")
    assert "### 二、存在问题" in text
    assert "## 附件1 县直单位信息发布统计表" in text
    assert "| 县民政局 | 350 | 242 | 77 | 69.14 |" in text
    assert "## 附件4 常态化监测发现问题清单" in text
    assert "| 单位 | 栏目 | 标题 | 发布日期 | 问题 | 链接 | 发现日期 |" in text
    assert "\n- " not in text  # the problems are in the table, not in bullet lists


def test_html_is_self_contained_and_escapes_crawled_text(
    hostile_report: MonthlyReport, tmp_path: Path
) -> None:
    html = write_html(hostile_report, tmp_path / "h.html").read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<(link|img|iframe|object)\b|\bsrc=|@import|url\(", html)
    assert "default-src 'none'" in html
    assert 'href="javascript' not in html  # shown as text only
    assert 'href="http://127.0.0.1:8000/p?a=1&amp;b=&#34;x&#34;"' in html


def test_html_week_grid_cells_carry_mark_classes(april_report, tmp_path: Path) -> None:
    html = write_html(april_report, tmp_path / "a.html").read_text(encoding="utf-8")
    assert '<td class="mark missed">×</td>' in html
    assert "td.missed { background: #FFC7CE; }" in html


def test_write_report_writes_each_requested_format(april_report, tmp_path: Path) -> None:
    paths = write_report(april_report, tmp_path / "out", ["md", "docx"])
    assert [p.name for p in paths] == ["monthly-2024-04.md", "monthly-2024-04.docx"]
    assert all(p.stat().st_size > 0 for p in paths)


def test_unknown_format_is_a_user_error(april_report, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="未知的报告格式 pdf；可选：docx"):
        write_report(april_report, tmp_path, ["pdf"])


def test_unwritable_directory_is_a_user_error(april_report, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="无法将报告写入"):
        write_report(april_report, blocker / "sub", ["md"])


def test_control_and_bidi_characters_of_crawled_text_reach_no_report(
    april_report: MonthlyReport, tmp_path: Path
) -> None:
    links = april_report.sections[1]
    broken = replace(links.problems[0], detail="附件\u202etxt.exe\u202c无法下载\x1b[2J\x07")
    report = replace(april_report, sections=(april_report.sections[0],
                                             replace(links, problems=(broken,))))
    html = write_html(report, tmp_path / "h.html").read_text(encoding="utf-8")
    markdown = write_markdown(report, tmp_path / "h.md").read_text(encoding="utf-8")
    for text in (html, markdown):
        assert "附件txt.exe无法下载[2J" in text.replace("\\", "")
        assert not {"\u202e", "\u202c", "\x1b", "\x07"} & set(text)


def test_xlsx_formula_like_text_is_quote_prefixed(
    hostile_report: MonthlyReport, tmp_path: Path
) -> None:
    sheet = openpyxl.load_workbook(write_xlsx(hostile_report, tmp_path / "h.xlsx"))["附件1 县直单位"]
    assert sheet["A3"].quotePrefix and not sheet["A4"].quotePrefix

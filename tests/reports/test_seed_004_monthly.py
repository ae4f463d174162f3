"""Seed 004 (信丰, April 2024) reproduced: 附件1, 附件2, the totals and the lowest five."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS
from reports import build_monthly_report, write_docx, write_xlsx
from reports.model import MonthlyReport
from reports.wording import basic_facts_text


@pytest.fixture
def seed_report(seed_figures, make_settings) -> MonthlyReport:
    """Built from the seed's figures given in reverse order, so the sort is exercised."""
    return build_monthly_report(seed_figures, [], [], {}, make_settings())


def expected(rows, group: str) -> list[tuple[str, int, int, int, Decimal]]:
    return [(r.unit, r.annual_target, r.ytd_total, r.month_total, r.completion)
            for r in rows if r.group == group]


def as_tuples(report_rows: object) -> list[tuple[object, ...]]:
    return [(r.unit, r.annual_target, r.ytd_total, r.period_total, r.completion)
            for r in report_rows]  # type: ignore[attr-defined]


def test_county_table_equals_seed_attachment_1_row_by_row(seed_report, seed_rows) -> None:
    rows = as_tuples(seed_report.county_rows)
    assert len(rows) == 40
    assert rows == expected(seed_rows, GROUP_COUNTY_DEPARTMENTS)
    assert rows[0] == ("县农业农村局", 550, 631, 153, Decimal("114.73"))


def test_township_table_equals_seed_attachment_2_row_by_row(seed_report, seed_rows) -> None:
    rows = as_tuples(seed_report.township_rows)
    assert len(rows) == 16
    assert rows == expected(seed_rows, GROUP_TOWNSHIPS)


def test_lowest_five_are_the_seeds_five_lowest_first(seed_report) -> None:
    lowest = [(r.unit, str(r.completion)) for r in seed_report.basic.lowest_county_units]
    assert lowest == [("高新区管委会", "14.46"), ("县烟草专卖局", "15.43"),
                      ("县水利局", "19.11"), ("县市场监督管理局", "20.29"),
                      ("统调队", "22.89")]


def test_basic_facts_give_the_seeds_monthly_and_year_to_date_totals(seed_report) -> None:
    text = basic_facts_text(seed_report.basic, 2024, 4, "县政府门户网站")
    # Seed 004: 乡(镇)新增公开3652条、县直单位新增公开2162条; 累计 20160 条.
    assert "乡镇新增发布3652条、县直单位新增发布2162条" in text
    assert "累计发布信息20160条" in text
    # Names only, as the seed: each one's completion is in 附件1.
    assert text.endswith("高新区管委会、县烟草专卖局、县水利局、县市场监督管理局、统调队"
                         "居县直单位年度任务完成比例末五位。")


def docx_table_rows(table: object) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]  # type: ignore[attr-defined]


def test_docx_attachments_carry_the_seed_tables_as_printed(
    seed_report, seed_rows, tmp_path: Path
) -> None:
    document = docx.Document(str(write_docx(seed_report, tmp_path / "seed.docx")))
    county, townships = docx_table_rows(document.tables[0]), docx_table_rows(document.tables[1])
    # The narrow header cells wrap between words (reports.title_lines).
    assert county[0] == ["单位名称", "本年度\n任务数", "已发布\n总数", "4月发布\n条数",
                         "完成\n比例(%)"]
    printed = [[r.unit, str(r.annual_target), str(r.ytd_total), str(r.month_total),
                f"{r.completion:.2f}"] for r in seed_rows]
    assert county[1:] + townships[1:] == printed
    assert county[3] == ["县自然资源局", "500", "527", "117", "105.40"]


def test_xlsx_attachments_carry_the_seed_figures_as_numbers(seed_report, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_xlsx(seed_report, tmp_path / "seed.xlsx"))
    sheet = book["附件1 县直单位"]
    values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values[0] == ["县农业农村局", 550, 631, 153, 114.73]
    assert values[-1] == ["高新区管委会", 560, 81, 5, 14.46]
    assert len(list(book["附件2 乡镇"].iter_rows(min_row=3))) == 16

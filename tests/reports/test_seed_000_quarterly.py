"""Seed 000 (莒南, 2019 一季度) reproduced: rows sorted by 信息公开, missed weeks, notes."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS
from monitor.rules.figures import PostCount, UnitFigures
from reports import QuarterlySettings, build_quarterly_report, write_docx, write_xlsx
from reports.model import QuarterlyReport

SEED_000_CSV = Path(__file__).parent / "fixtures" / "seed_000_tables.csv"


def seed_rows() -> list[dict[str, str]]:
    with SEED_000_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def as_figures(row: dict[str, str]) -> UnitFigures:
    return UnitFigures(
        unit=row["unit"], group=row["group"], annual_target=None,
        period=PostCount(int(row["dynamics_period"]), int(row["disclosure_period"])),
        ytd=PostCount(int(row["dynamics_ytd"]), int(row["disclosure_ytd"])),
        weeks=12, missed=int(row["missed"]), completion=None, rank_in_group=None, rank=None,
    )


def numbers(row: dict[str, str]) -> tuple[int, ...]:
    keys = ("disclosure_period", "disclosure_ytd", "dynamics_period", "dynamics_ytd", "missed")
    return tuple(int(row[key]) for key in keys)


@pytest.fixture
def quarterly() -> QuarterlyReport:
    settings = QuarterlySettings(title="关于2019年一季度网站内容保障情况的通报",
                                 issuer="县政府办公室", year=2019, quarter=1,
                                 as_of=date(2019, 4, 10))
    figures = [as_figures(row) for row in reversed(seed_rows())]
    return build_quarterly_report(figures, settings)


def test_tables_are_townships_then_departments(quarterly: QuarterlyReport) -> None:
    assert [t.group for t in quarterly.tables] == [GROUP_TOWNSHIPS, GROUP_COUNTY_DEPARTMENTS]
    assert [len(t.rows) for t in quarterly.tables] == [14, 47]


def test_rows_follow_the_seeds_order_by_disclosure_then_dynamics(quarterly) -> None:
    for table in quarterly.tables:
        expected = [numbers(r) for r in seed_rows() if r["group"] == table.group]
        got = [(r.disclosure_period, r.disclosure_ytd, r.dynamics_period, r.dynamics_ytd,
                r.missed_weeks) for r in table.rows]
        assert got == expected


def test_units_with_distinct_figures_land_on_the_seeds_row(quarterly) -> None:
    departments = [r.unit for r in quarterly.tables[1].rows]
    assert departments[:3] == ["行政审批服务局", "自然资源和规划局", "卫生健康局"]
    # 17 信息公开 each: more 动态信息 first, as the seed lists them.
    assert departments[14:17] == ["综合行政执法局", "文化和旅游局", "交通运输局"]


def test_notes_state_order_holidays_and_collection_range(quarterly) -> None:
    sorting, weekly, collected = quarterly.notes
    assert "按信息公开条数" in sorting
    assert "不含节假日" in weekly
    assert collected == "累计数采集范围为2019年1月1日—2019年3月31日。"


def test_docx_and_xlsx_carry_the_quarterly_tables(quarterly, tmp_path: Path) -> None:
    document = docx.Document(str(write_docx(quarterly, tmp_path / "q.docx")))
    header = [c.text for c in document.tables[1].rows[0].cells]
    # Narrow header cells wrap where the words allow, not where the column ends.
    assert header == ["序号", "单位名称", "信息公开\n（本季）", "信息公开\n（累计）",
                      "动态信息\n（本季）", "动态信息\n（累计）", "每周更新\n未达标\n次数"]
    assert [c.text for c in document.tables[1].rows[1].cells] == [
        "1", "行政审批服务局", "477", "477", "21", "21", "4"]
    book = openpyxl.load_workbook(write_xlsx(quarterly, tmp_path / "q.xlsx"))
    assert book.sheetnames == ["附件1 乡镇", "附件2 县直单位"]
    assert book["附件1 乡镇"][2][6].value == "每周更新未达标次数"  # one line in a cell that wraps
    assert [c.value for c in book["附件1 乡镇"][3]] == [1, "十字路街道", 393, 393, 36, 36, 3]

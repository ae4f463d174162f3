"""Figures, column states and reports after one real crawl of the sample portal, compared
with the portal's truth.

One crawl on 2024-05-10 at 02:00 serves the module: the first crawl reads the whole history.
`monitor stats`, `monitor check --no-crawl` and `monitor report` then run on what it recorded.

"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from typer.testing import CliRunner, Result

from monitor.cli import app
from reports.docx_style import TYPE_AREA_WIDTH_MM
from sampleportal import Truth, serve_portal
from sampleportal.model import Portal

CRAWLED = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
MORNING = datetime.fromisoformat("2024-05-10T09:00:00+08:00")
AS_OF = "2024-05-10"
APRIL = (date(2024, 4, 1), date(2024, 4, 30))
FIRST_QUARTER = (date(2024, 1, 1), date(2024, 3, 31))
FORMATS = ("docx", "xlsx", "md", "html")

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@dataclass(frozen=True)
class Expected:
    unit: str
    group: str
    annual_target: int
    period: tuple[int, int]  # 动态信息, 信息公开
    ytd: tuple[int, int]
    weeks: int
    missed: int
    completion: Decimal | None
    rank_in_group: int | None
    rank: int | None


def expected_figures(truth: Truth, first: date, last: date) -> dict[str, Expected]:
    return {
        row.unit: Expected(
            row.unit, row.group, row.annual_target,
            (row.period_dynamics, row.period_disclosure), (row.ytd_dynamics, row.ytd_disclosure),
            row.weeks, row.missed, row.completion, row.rank_in_group, row.rank)
        for row in truth.figures(first, last, CRAWLED)
    }


def _completion(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def stats_figures(document: list[dict]) -> dict[str, Expected]:
    return {
        row["unit"]: Expected(
            row["unit"], row["group"], row["annual_target"],
            (row["period"]["dynamics"], row["period"]["disclosure"]),
            (row["ytd"]["dynamics"], row["ytd"]["disclosure"]),
            row["weekly"]["weeks"], row["weekly"]["missed"], _completion(row["completion"]),
            row["rank_in_group"], row["rank"])
        for row in document
    }


@dataclass
class Crawled:
    workspace: object
    truth: Truth
    out: Path

    def run(self, *args: str) -> Result:
        result = CliRunner().invoke(app, list(args), env=self.workspace.env(MORNING),
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result


@pytest.fixture(scope="module")
def crawled(sample_portal: Portal, sample_truth: Truth, tmp_path_factory: pytest.TempPathFactory,
            crawl_workspace) -> Iterator[Crawled]:
    with serve_portal(sample_portal, now=CRAWLED) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("reports"))
        summary = workspace.crawl(CRAWLED)
        assert summary["columns_failed"] == 0
    yield Crawled(workspace, sample_truth, tmp_path_factory.mktemp("report-out"))


@pytest.mark.parametrize("period", [APRIL, FIRST_QUARTER], ids=["april", "first-quarter"])
def test_stats_equal_the_truths_figures(crawled: Crawled, period: tuple[date, date]) -> None:
    first, last = period
    result = crawled.run("stats", "--json", "--from", first.isoformat(), "--to",
                         last.isoformat(), "--as-of", AS_OF)
    assert stats_figures(json.loads(result.stdout)) == expected_figures(crawled.truth, first,
                                                                         last)


def test_every_units_columns_equal_the_truths_statuses(crawled: Crawled) -> None:
    truth = crawled.truth
    expected: dict[str, dict[str, tuple]] = {}
    for column in truth.column_statuses(CRAWLED):
        expected.setdefault(column.unit, {})[column.column] = (
            column.status.value,
            column.stale,
            column.last_post.isoformat() if column.last_post else None,
            column.posts,
        )
    for unit, columns in expected.items():
        result = crawled.run("check", "--unit", unit, "--no-crawl", "--json", "--as-of", AS_OF)
        document = json.loads(result.stdout)
        assert document["unit"] == unit
        found = {c["name"]: (c["status"], c["stale"], c["last_post"], c["posts"])
                 for c in document["columns"]}
        assert found == columns, unit


def sheet_rows(path: Path, title_prefix: str) -> list[tuple]:
    """The table rows of the sheet whose title starts with `title_prefix` (notes left out)."""
    workbook = openpyxl.load_workbook(path)
    [sheet] = [s for s in workbook.worksheets if s.title.startswith(title_prefix)]
    rows = []
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if all(value is None for value in row):
            break
        rows.append(row)
    return rows


def _written(result: Result, out: Path, stem: str) -> None:
    assert result.stdout.split() == [str(out / f"{stem}.{name}") for name in FORMATS]
    for name in FORMATS:
        assert (out / f"{stem}.{name}").stat().st_size > 0


def test_monthly_report_annex_tables_equal_the_truths_figures(crawled: Crawled) -> None:
    out = crawled.out / "monthly"
    result = crawled.run("report", "monthly", "--month", "2024-04", "--out", str(out))
    _written(result, out, "monthly-2024-04")
    expected = expected_figures(crawled.truth, *APRIL)
    for sheet, group in (("附件1", "县直单位"), ("附件2", "乡镇")):
        rows = sheet_rows(out / "monthly-2024-04.xlsx", sheet)
        members = {unit for unit, figures in expected.items() if figures.group == group}
        assert {row[0] for row in rows} == members and len(rows) == len(members)
        for unit, target, ytd_total, month_total, percent in rows:
            figures = expected[unit]
            assert (target, ytd_total, month_total) == (
                figures.annual_target, sum(figures.ytd), sum(figures.period))
            assert _completion(percent) == figures.completion
        percents = [row[4] for row in rows]
        assert percents == sorted(percents, reverse=True)
    markdown = (out / "monthly-2024-04.md").read_text(encoding="utf-8")
    assert all(unit in markdown for unit in expected)


def test_quarterly_table_equals_the_truths_figures(crawled: Crawled) -> None:
    out = crawled.out / "quarterly"
    result = crawled.run("report", "quarterly", "--quarter", "2024Q1", "--out", str(out))
    _written(result, out, "quarterly-2024Q1")
    expected = expected_figures(crawled.truth, *FIRST_QUARTER)
    seen = set()
    for sheet in ("附件1", "附件2"):
        rows = sheet_rows(out / "quarterly-2024Q1.xlsx", sheet)
        for _number, unit, disclosure, disclosure_ytd, dynamics, dynamics_ytd, missed in rows:
            figures = expected[unit]
            assert (dynamics, disclosure, dynamics_ytd, disclosure_ytd, missed) == (
                *figures.period, *figures.ytd, figures.missed), unit
            seen.add(unit)
        assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
        assert [row[2] for row in rows] == sorted((row[2] for row in rows), reverse=True)
    assert seen == set(expected)


def test_docx_tables_carry_their_column_widths_in_the_grid(crawled: Crawled) -> None:
    out = crawled.out / "docx"
    crawled.run("report", "monthly", "--month", "2024-04", "--format", "docx",
                "--out", str(out))
    document = docx.Document(str(out / "monthly-2024-04.docx"))
    assert document.tables
    type_area = Mm(TYPE_AREA_WIDTH_MM)
    for table in document.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(sum(grid) - type_area.twips) <= len(grid)
        assert len(set(grid)) > 1  # the name column is wider than the figures
        cells = [cell.width.twips for cell in table.rows[0].cells]
        assert [abs(a - b) <= 1 for a, b in zip(cells, grid, strict=True)] == [True] * len(grid)
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert (width.get(qn("w:type")), int(width.get(qn("w:w")))) == ("dxa",
                                                                        round(type_area.twips))

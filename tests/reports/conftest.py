"""Inputs for the report tests: seed 004's figures and a small month of problems.

The suite imports test modules with importlib, so helpers reach the tests as fixtures:
plain data fixtures, and factory fixtures (`make_problem`, `make_figures`, `make_settings`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS, ProblemState, ProblemType
from monitor.rules.figures import PostCount, UnitFigures, completion_percent
from monitor.rules.weekly import WeeklyResult
from reports import build_monthly_report
from reports.model import MonthlyReport, ReportProblem
from reports.monthly import MonthlySettings
from reports.texts import TextContext, render_monthly_texts

SEED_004_CSV = Path(__file__).parent / "fixtures" / "seed_004_tables.csv"


@dataclass(frozen=True)
class SeedRow:
    group: str
    unit: str
    annual_target: int
    ytd_total: int
    month_total: int
    completion: Decimal


def seed_004_rows() -> list[SeedRow]:
    with SEED_004_CSV.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        SeedRow(r["group"], r["unit"], int(r["annual_target"]), int(r["ytd_total"]),
                int(r["month_total"]), Decimal(r["completion"]))
        for r in csv.DictReader(lines)
    ]


def figures(unit: str, group: str, target: int | None, ytd: int, month: int,
            missed: int = 0) -> UnitFigures:
    """Figures as the rules give them; the 动态/公开 split does not matter to the 月报."""
    return UnitFigures(
        unit=unit,
        group=group,
        annual_target=target,
        period=PostCount(dynamics=month // 3, disclosure=month - month // 3),
        ytd=PostCount(dynamics=ytd // 3, disclosure=ytd - ytd // 3),
        weeks=4,
        missed=missed,
        completion=completion_percent(ytd, target),
        rank_in_group=None,
        rank=None,
    )


def seed_004_figures() -> list[UnitFigures]:
    """Seed 004's units in reverse order, so that sorting is really exercised."""
    rows = reversed(seed_004_rows())
    return [figures(r.unit, r.group, r.annual_target, r.ytd_total, r.month_total) for r in rows]


APRIL_2024_MONDAYS = (date(2024, 4, 1), date(2024, 4, 8), date(2024, 4, 15),
                      date(2024, 4, 22), date(2024, 4, 29))


def weekly(missed: tuple[date, ...] = ()) -> WeeklyResult:
    """April 2024 at as-of 30 April: the week of 29 April has not ended, so is not counted."""
    return WeeklyResult(weeks=APRIL_2024_MONDAYS[:4], missed=missed)


def settings(**changes: object) -> MonthlySettings:
    values: dict[str, object] = dict(
        title="瑞河县政务公开月报",
        issue_no="2024年第4期",
        issuer="瑞河县政务公开办",
        site_name="瑞河县人民政府门户网站",
        year=2024,
        month=4,
        as_of=date(2024, 4, 30),
        editor_note="为做好网站日常监测，按月通报信息发布情况。",
        requirements=("一是抓紧整改问题。", "二是保持栏目常态更新。"),
        issued_on=date(2024, 5, 6),
    )
    values.update(changes)
    return MonthlySettings(**values)  # type: ignore[arg-type]


def problem(kind: ProblemType, unit: str, day: int, **fields: object) -> ReportProblem:
    return ReportProblem(type=kind, unit=unit, seen_on=date(2024, 4, day), **fields)  # type: ignore[arg-type]


def april_problems() -> list[ReportProblem]:
    return [
        problem(ProblemType.OVERDUE_COLUMN, "县卫健委", 29, column="工作动态"),
        problem(ProblemType.DUE_SOON_COLUMN, "小江镇政府", 11, column="工作动态"),
        problem(ProblemType.DUE_SOON_COLUMN, "小江镇政府", 25, column="工作动态"),
        problem(ProblemType.DUE_SOON_COLUMN, "县水利局", 18, column="工作动态"),
        problem(ProblemType.DEAD_IMAGE, "万隆乡政府", 19, column="工作动态",
                url="http://127.0.0.1:8000/wl/gzdt/1.html",
                target="http://127.0.0.1:8000/img/a.jpg", detail="HTTP 404"),
        problem(ProblemType.BROKEN_LINK, "县发改委", 8, column="通知公告",
                url="http://127.0.0.1:8000/fgw/tzgg/2.html",
                target="http://gone.example.invalid/x", detail="DNS failure"),
        problem(ProblemType.BLOCKED, "县发改委", 8, target="https://waf.example/"),
        problem(ProblemType.BROKEN_LINK, "县司法局", 9, column="工作动态",
                state=ProblemState.IGNORED, detail="officer: link is fine"),
        problem(ProblemType.PRIVACY_LEAK, "县民政局", 15, column="通知公告",
                url="http://127.0.0.1:8000/mzj/3.html", detail="身份证号码"),
    ]


def april_county_and_townships() -> list[UnitFigures]:
    return [
        figures("县卫健委", GROUP_COUNTY_DEPARTMENTS, 450, 184, 44, missed=1),
        figures("县水利局", GROUP_COUNTY_DEPARTMENTS, 450, 86, 19),
        figures("县民政局", GROUP_COUNTY_DEPARTMENTS, 350, 242, 77),
        figures("小江镇政府", GROUP_TOWNSHIPS, 560, 908, 270),
        figures("万隆乡政府", GROUP_TOWNSHIPS, 560, 779, 145),
    ]


def previous_problems() -> list[ReportProblem]:
    """March's reported problems with their state at the end of April."""
    return [
        ReportProblem(ProblemType.OVERDUE_COLUMN, "县水利局", date(2024, 3, 18), column="工作动态",
                      state=ProblemState.FIXED),
        ReportProblem(ProblemType.DEAD_IMAGE, "大塘埠镇政府", date(2024, 3, 31),
                      column="工作动态", url="http://127.0.0.1:8000/dtb/9.html",
                      state=ProblemState.OPEN),
        ReportProblem(ProblemType.HIDDEN_LINK, "县商务局", date(2024, 3, 5),
                      state=ProblemState.IGNORED),
    ]


def april_report_model() -> MonthlyReport:
    units = april_county_and_townships()
    grid = {f.unit: weekly((APRIL_2024_MONDAYS[1],) if f.unit == "县卫健委" else ())
            for f in units}
    return build_monthly_report(units, april_problems(), previous_problems(), grid, settings(),
                                ["2024年节假日安排未知，按周末休息计算。"])


@pytest.fixture(scope="session")
def full_size_report() -> MonthlyReport:
    """A 月报 the size of a real one: seed 004's 56 units, April's problems, the shipped
    编者按 and 工作要求, the demo's issuer."""
    issuer = "瑞河县人民政府办公室"
    texts = render_monthly_texts(TextContext(site_name="瑞河县人民政府门户网站", issuer=issuer,
                                             year=2024, month=4))
    units = seed_004_figures()
    grid = {f.unit: weekly((APRIL_2024_MONDAYS[2],) if f.unit == "县水利局" else ())
            for f in units}
    return build_monthly_report(
        units, april_problems(), previous_problems(), grid,
        settings(issuer=issuer, title="政务公开工作月报", editor_note=texts.editor_note,
                 requirements=texts.requirements))


@pytest.fixture
def seed_rows() -> list[SeedRow]:
    return seed_004_rows()


@pytest.fixture
def seed_figures() -> list[UnitFigures]:
    return seed_004_figures()


@pytest.fixture
def april_report() -> MonthlyReport:
    return april_report_model()


@pytest.fixture
def make_problem() -> Callable[..., ReportProblem]:
    return problem


@pytest.fixture
def make_figures() -> Callable[..., UnitFigures]:
    return figures


@pytest.fixture
def make_settings() -> Callable[..., MonthlySettings]:
    return settings

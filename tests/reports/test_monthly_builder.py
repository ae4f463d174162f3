"""build_monthly_report: table order, the lowest five with ties, week grid, carried notes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from monitor.domain import GROUP_COUNTY_DEPARTMENTS as COUNTY
from monitor.domain import GROUP_TOWNSHIPS as TOWNSHIPS
from monitor.rules.weekly import WeeklyResult
from reports import build_monthly_report
from reports.model import UnitRow, WeekMark
from reports.monthly import lowest_units, sorted_table


def row(unit: str, completion: str | None, ytd: int = 10) -> UnitRow:
    return UnitRow(unit, 100, ytd, 1, None if completion is None else Decimal(completion))


def test_table_sorts_by_completion_then_year_to_date_then_given_order() -> None:
    rows = [row("甲", "10.00", 5), row("乙", None), row("丙", "10.00", 9), row("丁", "50.00"),
            row("戊", "10.00", 5)]
    assert [r.unit for r in sorted_table(rows)] == ["丁", "丙", "甲", "戊", "乙"]


def test_unit_without_target_is_last_and_never_among_the_lowest() -> None:
    rows = [row(f"单位{i}", f"{i}0.00") for i in range(1, 7)] + [row("无任务", None)]
    assert sorted_table(rows)[-1].unit == "无任务"
    assert [r.unit for r in lowest_units(rows)] == ["单位1", "单位2", "单位3", "单位4", "单位5"]


def test_units_tied_with_the_fifth_lowest_are_all_named() -> None:
    rows = [row("甲", "1.00"), row("乙", "2.00"), row("丙", "3.00"), row("丁", "4.00"),
            row("戊", "5.00", 7), row("己", "5.00", 7), row("庚", "9.00")]
    assert [r.unit for r in lowest_units(rows)] == ["甲", "乙", "丙", "丁", "己", "戊"]


def test_fewer_than_five_ranked_units_are_all_lowest() -> None:
    assert [r.unit for r in lowest_units([row("甲", "3.00"), row("乙", "1.00")])] == ["乙", "甲"]


def test_only_county_departments_compete_for_the_lowest_five(make_figures, make_settings) -> None:
    figures = [make_figures("低乡镇", TOWNSHIPS, 500, 1, 1),
               make_figures("县甲局", COUNTY, 100, 50, 5),
               make_figures("县乙局", COUNTY, 100, 90, 5)]
    report = build_monthly_report(figures, [], [], {}, make_settings())
    assert [r.unit for r in report.basic.lowest_county_units] == ["县甲局", "县乙局"]
    assert [r.unit for r in report.township_rows] == ["低乡镇"]
    assert [(g.group, g.period_total) for g in report.basic.period_by_group] == [
        (TOWNSHIPS, 1), (COUNTY, 10)]


def test_other_groups_count_in_totals_but_not_in_the_attachments(make_figures,
                                                                 make_settings) -> None:
    figures = [make_figures("县甲局", COUNTY, 100, 50, 5),
               make_figures("开发区", "园区", 100, 20, 3)]
    report = build_monthly_report(figures, [], [], {}, make_settings())
    assert report.basic.ytd_total == 70
    assert [g.group for g in report.basic.period_by_group] == [COUNTY, "园区"]
    assert [r.unit for r in report.county_rows] == ["县甲局"] and report.township_rows == ()


def test_week_grid_marks_met_missed_and_not_counted(make_figures, make_settings) -> None:
    mondays = (date(2024, 4, 1), date(2024, 4, 8), date(2024, 4, 15), date(2024, 4, 22),
               date(2024, 4, 29))
    weekly = {"县甲局": WeeklyResult(weeks=mondays[:4], missed=(mondays[2],))}
    figures = [make_figures("县甲局", COUNTY, 100, 50, 5),
               make_figures("县乙局", COUNTY, 100, 90, 5)]
    grid = build_monthly_report(figures, [], [], weekly, make_settings()).week_grid
    assert grid.mondays == mondays
    assert [r.unit for r in grid.rows] == ["县甲局"]  # no weekly result, no made-up row
    assert grid.rows[0].marks == (WeekMark.MET, WeekMark.MET, WeekMark.MISSED, WeekMark.MET,
                                  WeekMark.NOT_COUNTED)


def test_year_to_date_ends_at_as_of_inside_the_month(make_settings) -> None:
    report = build_monthly_report([], [], [], {}, make_settings(as_of=date(2024, 4, 20)))
    assert report.basic.ytd_last_day == date(2024, 4, 20)


def test_calendar_warnings_and_office_texts_are_carried(april_report) -> None:
    assert april_report.calendar_warnings == ("2024年节假日安排未知，按周末休息计算。",)
    assert april_report.requirements == ("一是抓紧整改问题。", "二是保持栏目常态更新。")
    assert april_report.issue_no == "2024年第4期"

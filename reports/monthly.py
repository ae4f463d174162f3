"""Builds the monthly report model from figures and problems (SPEC §6, seed 004).

Order of the 附件 tables: completion % descending; a unit without an annual target has no
completion and comes last; ties keep the higher year-to-date total first, then the order the
units were given in (the config order), so the result never depends on Unicode name order.

The lowest five (末五位) are the 县直单位 with the lowest completion, lowest first. Units
without a target are left out: they cannot be ranked. When units tie with the fifth, all of
them are named, because naming one and sparing the other with the same figure is unfair;
the list can then be longer than five.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS
from monitor.rules.figures import UnitFigures
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyResult
from reports.model import (
    BasicFacts,
    GroupPosts,
    MonthlyReport,
    ReportProblem,
    UnitRow,
    WeekGrid,
    WeekGridRow,
    WeekMark,
)
from reports.problems import problem_sections, rectification, unverified_count

LOWEST_COUNT = 5


@dataclass(frozen=True)
class MonthlySettings:
    """What the office configures for one issue of the 月报.

    `editor_note` and `requirements` are the rendered office templates
    (`reports.texts.render_monthly_texts`); `as_of` ends the year-to-date figures.
    """

    title: str
    issue_no: str
    issuer: str
    site_name: str
    year: int
    month: int
    as_of: date
    editor_note: str
    requirements: tuple[str, ...]
    issued_on: date | None = None


def unit_row(figures: UnitFigures) -> UnitRow:
    return UnitRow(
        unit=figures.unit,
        annual_target=figures.annual_target,
        ytd_total=figures.ytd.total,
        period_total=figures.period.total,
        completion=figures.completion,
    )


def sorted_table(rows: Sequence[UnitRow]) -> tuple[UnitRow, ...]:
    """Completion descending, no-target last, then higher year-to-date, then given order."""

    def key(indexed: tuple[int, UnitRow]) -> tuple[object, ...]:
        index, row = indexed
        has_completion = row.completion is not None
        completion = -row.completion if row.completion is not None else 0
        return (not has_completion, completion, -row.ytd_total, index)

    return tuple(row for _, row in sorted(enumerate(rows), key=key))


def lowest_units(rows: Sequence[UnitRow], count: int = LOWEST_COUNT) -> tuple[UnitRow, ...]:
    """The `count` lowest by completion, lowest first, plus every unit tied with the last."""
    ranked = [row for row in reversed(sorted_table(rows)) if row.completion is not None]
    if len(ranked) <= count:
        return tuple(ranked)
    threshold = ranked[count - 1].completion
    assert threshold is not None  # `ranked` holds only rows with a completion
    return tuple(row for row in ranked if row.completion is not None
                 and row.completion <= threshold)


def group_table(figures: Sequence[UnitFigures], group: str) -> tuple[UnitRow, ...]:
    return sorted_table([unit_row(f) for f in figures if f.group == group])


def _group_order(groups: Sequence[str]) -> list[str]:
    """乡镇 first and 县直单位 second, as seed 004 words it; other groups after, by name."""
    known = [g for g in (GROUP_TOWNSHIPS, GROUP_COUNTY_DEPARTMENTS) if g in groups]
    return known + sorted(set(groups) - set(known))


def basic_facts(figures: Sequence[UnitFigures], ytd_last_day: date) -> BasicFacts:
    groups = _group_order([f.group for f in figures])
    return BasicFacts(
        period_by_group=tuple(
            GroupPosts(group, sum(f.period.total for f in figures if f.group == group))
            for group in groups
        ),
        ytd_total=sum(f.ytd.total for f in figures),
        ytd_last_day=ytd_last_day,
        lowest_county_units=lowest_units(group_table(figures, GROUP_COUNTY_DEPARTMENTS)),
    )


def week_marks(mondays: Sequence[date], result: WeeklyResult) -> tuple[WeekMark, ...]:
    counted, missed = set(result.weeks), set(result.missed)
    return tuple(
        WeekMark.MISSED if monday in missed
        else WeekMark.MET if monday in counted
        else WeekMark.NOT_COUNTED
        for monday in mondays
    )


def week_grid(
    period: Period, figures: Sequence[UnitFigures], weekly: Mapping[str, WeeklyResult]
) -> WeekGrid:
    """One row per unit that has a weekly result, in the order of the 附件 tables.

    A unit without a weekly result has no column the weekly rule applies to; a row of
    "not counted" cells would only look like data, so it gets no row.
    """
    mondays = tuple(period.weeks())
    by_unit = {f.unit: f for f in figures}
    ordered = [row.unit for group in _group_order([f.group for f in figures])
               for row in group_table(figures, group)]
    ordered += sorted(unit for unit in weekly if unit not in by_unit)
    rows = tuple(
        WeekGridRow(
            unit=unit,
            group=by_unit[unit].group if unit in by_unit else "",
            marks=week_marks(mondays, weekly[unit]),
        )
        for unit in ordered
        if unit in weekly
    )
    return WeekGrid(mondays=mondays, rows=rows)


def build_monthly_report(
    figures: Sequence[UnitFigures],
    problems: Sequence[ReportProblem],
    previous_problems: Sequence[ReportProblem],
    weekly: Mapping[str, WeeklyResult],
    settings: MonthlySettings,
    calendar_warnings: Sequence[str] = (),
) -> MonthlyReport:
    """The 月报 model. `problems` were found this month; `previous_problems` are last
    month's, with their state now; `weekly` holds each unit's weekly result for the month."""
    period = Period.month(settings.year, settings.month)
    ytd_last_day = min(period.end, settings.as_of)
    return MonthlyReport(
        title=settings.title,
        issue_no=settings.issue_no,
        issuer=settings.issuer,
        issued_on=settings.issued_on,
        year=settings.year,
        month=settings.month,
        site_name=settings.site_name,
        editor_note=settings.editor_note,
        basic=basic_facts(figures, ytd_last_day),
        sections=problem_sections(problems),
        unverified_links=unverified_count(problems),
        rectification=rectification(previous_problems),
        requirements=settings.requirements,
        week_grid=week_grid(period, figures, weekly),
        county_rows=group_table(figures, GROUP_COUNTY_DEPARTMENTS),
        township_rows=group_table(figures, GROUP_TOWNSHIPS),
        calendar_warnings=tuple(calendar_warnings),
    )

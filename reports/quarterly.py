"""Builds the quarterly table model (SPEC §6, seed 000).

Rows are sorted by 信息公开 this quarter, highest first, as seed 000 states (排序依据);
ties are broken the way seed 000's rows fall: more 动态信息 first, then fewer missed weeks,
then the order the units were given in (the config order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from monitor.domain import GROUP_COUNTY_DEPARTMENTS, GROUP_TOWNSHIPS
from monitor.i18n import _
from monitor.rules.figures import UnitFigures
from monitor.rules.periods import Period
from reports.model import QuarterlyReport, QuarterlyRow, QuarterlyTable
from reports.wording import full_day_text


@dataclass(frozen=True)
class QuarterlySettings:
    title: str
    issuer: str
    year: int
    quarter: int
    as_of: date
    issued_on: date | None = None


def quarterly_row(figures: UnitFigures) -> QuarterlyRow:
    return QuarterlyRow(
        unit=figures.unit,
        disclosure_period=figures.period.disclosure,
        disclosure_ytd=figures.ytd.disclosure,
        dynamics_period=figures.period.dynamics,
        dynamics_ytd=figures.ytd.dynamics,
        missed_weeks=figures.missed,
    )


def sorted_rows(rows: Sequence[QuarterlyRow]) -> tuple[QuarterlyRow, ...]:
    def key(indexed: tuple[int, QuarterlyRow]) -> tuple[int, ...]:
        index, row = indexed
        return (-row.disclosure_period, -row.dynamics_period, row.missed_weeks, index)

    return tuple(row for _, row in sorted(enumerate(rows), key=key))


def _caption(group: str, year: int, quarter: int) -> str:
    return _("{year}年第{quarter}季度{group}网站内容保障情况通报表").format(
        year=year, quarter=quarter, group=group)


def _groups(figures: Sequence[UnitFigures]) -> list[str]:
    """乡镇 first and 县直单位 second, as seed 000's 附件1/附件2; others after, by name."""
    present = {f.group for f in figures}
    known = [g for g in (GROUP_TOWNSHIPS, GROUP_COUNTY_DEPARTMENTS) if g in present]
    return known + sorted(present - set(known))


def quarterly_notes(first: date, last: date) -> tuple[str, ...]:
    return (
        _("按信息公开条数（本季）从高到低排序，条数相同的按动态信息条数排序。"),
        _("每周更新未达标次数：每周（周一至周日）至少发布一条动态类信息即为当周达标，"
          "不含节假日（整周无工作日的不计）。"),
        _("累计数采集范围为{first}—{last}。").format(first=full_day_text(first),
                                                   last=full_day_text(last)),
    )


def build_quarterly_report(
    figures: Sequence[UnitFigures],
    settings: QuarterlySettings,
    calendar_warnings: Sequence[str] = (),
) -> QuarterlyReport:
    """`figures` are per-unit figures for the quarter (`period`) and year-to-date (`ytd`)."""
    quarter = Period.quarter(settings.year, settings.quarter)
    ytd_first, ytd_last = date(settings.year, 1, 1), min(quarter.end, settings.as_of)
    tables = tuple(
        QuarterlyTable(
            group=group,
            caption=_caption(group, settings.year, settings.quarter),
            rows=sorted_rows([quarterly_row(f) for f in figures if f.group == group]),
        )
        for group in _groups(figures)
    )
    return QuarterlyReport(
        title=settings.title,
        issuer=settings.issuer,
        issued_on=settings.issued_on,
        year=settings.year,
        quarter=settings.quarter,
        ytd_first_day=ytd_first,
        ytd_last_day=ytd_last,
        tables=tables,
        notes=quarterly_notes(ytd_first, ytd_last),
        calendar_warnings=tuple(calendar_warnings),
    )

"""Per-unit figures for a period and year-to-date (SPEC §4.6, §5 `stats --json`).

Completion % = year-to-date posts / annual target × 100, rounded half-up to 2 decimals as
seed 004 prints it; ranks are dense (1, 2, 2, 3) by completion, highest first, as in seed 002.
Year-to-date runs from 1 January of the period's end year to the period end or as-of,
whichever is earlier. Undated posts count nowhere (SPEC §4.2).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from monitor.calendar import WorkCalendar
from monitor.domain import Category
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyRule, observed_compliance


@dataclass(frozen=True)
class PostFact:
    """One recorded post of a unit: its date (None when undated), column category and name."""

    date: date | None
    category: Category
    column: str


@dataclass(frozen=True)
class UnitPosts:
    """A unit's posts, and `judged_until` (`monitor.rules.weekly.judged_until`): up to which
    day its weekly columns were all read, so that a week without posts may be called missed."""

    unit: str
    group: str
    annual_target: int | None
    posts: Sequence[PostFact]
    judged_until: date | None


@dataclass(frozen=True)
class PostCount:
    """动态信息 (`dynamics`) and 信息公开 (every other category) post counts."""

    dynamics: int
    disclosure: int

    @property
    def total(self) -> int:
        return self.dynamics + self.disclosure


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    group: str
    annual_target: int | None
    period: PostCount
    ytd: PostCount
    weeks: int
    missed: int
    completion: Decimal | None
    rank_in_group: int | None
    rank: int | None


def completion_percent(ytd_total: int, annual_target: int | None) -> Decimal | None:
    """ytd_total / annual_target × 100, half-up to 2 decimals; None without a target."""
    if annual_target is None or annual_target == 0:
        return None
    if annual_target < 0 or ytd_total < 0:
        raise ValueError(f"negative figures: {ytd_total} posts, target {annual_target}")
    # Whole-number arithmetic in hundredths of a percent, so the half-up rounding is exact.
    hundredths = (2 * ytd_total * 10_000 + annual_target) // (2 * annual_target)
    return Decimal(hundredths).scaleb(-2)


def dense_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Rank 1 for the highest value; equal values share a rank; the next rank follows on."""
    distinct = sorted({value for value in values if value is not None}, reverse=True)
    rank_of = {value: position for position, value in enumerate(distinct, start=1)}
    return [None if value is None else rank_of[value] for value in values]


def count_posts(posts: Iterable[PostFact], first: date, last: date) -> PostCount:
    """Posts dated from `first` to `last`, both included, split 动态信息 / 信息公开."""
    dynamics = disclosure = 0
    for post in posts:
        if post.date is None or not first <= post.date <= last:
            continue
        if post.category.is_dynamics:
            dynamics += 1
        else:
            disclosure += 1
    return PostCount(dynamics=dynamics, disclosure=disclosure)


def year_to_date(period: Period, as_of: date) -> Period | None:
    """1 January of the period's end year to min(period end, as-of); None before 1 January."""
    return Period.year(period.end.year).clipped_to(min(period.end, as_of))


def _figures_without_ranks(
    unit: UnitPosts, period: Period, as_of: date, calendar: WorkCalendar, weekly: WeeklyRule
) -> UnitFigures:
    in_period = period.clipped_to(as_of)
    period_count = (
        count_posts(unit.posts, in_period.start, in_period.end) if in_period else PostCount(0, 0)
    )
    ytd = year_to_date(period, as_of)
    ytd_count = count_posts(unit.posts, ytd.start, ytd.end) if ytd else PostCount(0, 0)
    weekly_dates = [post.date for post in unit.posts if weekly.applies_to(post.category)]
    compliance = observed_compliance(weekly_dates, period, as_of, calendar, weekly.min_posts,
                                     unit.judged_until)
    return UnitFigures(
        unit=unit.unit,
        group=unit.group,
        annual_target=unit.annual_target,
        period=period_count,
        ytd=ytd_count,
        weeks=len(compliance.weeks),
        missed=len(compliance.missed),
        completion=completion_percent(ytd_count.total, unit.annual_target),
        rank_in_group=None,
        rank=None,
    )


def unit_figures(
    units: Sequence[UnitPosts],
    period: Period,
    as_of: date,
    calendar: WorkCalendar,
    weekly: WeeklyRule,
) -> list[UnitFigures]:
    """Figures for every unit, ranked within its group and overall, in the input order."""
    figures = [_figures_without_ranks(unit, period, as_of, calendar, weekly) for unit in units]
    overall = dense_ranks([figure.completion for figure in figures])
    in_group: dict[int, int | None] = {}
    for group in {figure.group for figure in figures}:
        members = [index for index, figure in enumerate(figures) if figure.group == group]
        ranks = dense_ranks([figures[index].completion for index in members])
        in_group.update(zip(members, ranks, strict=True))
    return [
        replace(figure, rank=overall[index], rank_in_group=in_group[index])
        for index, figure in enumerate(figures)
    ]


@dataclass(frozen=True)
class PortalFigures:
    """One portal's units added up, for `monitor stats --all` (SPEC §7): counties ranked
    as seed 002 ranks units."""

    portal: str
    units: int
    annual_target: int | None
    period: PostCount
    ytd: PostCount
    missed: int
    units_missed: int
    completion: Decimal | None
    rank: int | None


def portal_totals(portal: str, units: Sequence[UnitFigures]) -> PortalFigures:
    """A portal's figures from its units' own (the one judgement of `unit_figures`)."""
    targets = [unit.annual_target for unit in units if unit.annual_target is not None]
    annual_target = sum(targets) if targets else None
    ytd = PostCount(sum(unit.ytd.dynamics for unit in units),
                    sum(unit.ytd.disclosure for unit in units))
    return PortalFigures(
        portal=portal,
        units=len(units),
        annual_target=annual_target,
        period=PostCount(sum(unit.period.dynamics for unit in units),
                         sum(unit.period.disclosure for unit in units)),
        ytd=ytd,
        missed=sum(unit.missed for unit in units),
        units_missed=sum(1 for unit in units if unit.missed),
        completion=completion_percent(ytd.total, annual_target),
        rank=None,
    )


def ranked_portals(portals: Sequence[PortalFigures]) -> list[PortalFigures]:
    """Portals ranked by completion (dense, highest first), best first; portals without
    an annual target last, by year-to-date posts."""
    ranks = dense_ranks([portal.completion for portal in portals])
    ranked = [replace(portal, rank=rank) for portal, rank in zip(portals, ranks, strict=True)]
    return sorted(ranked, key=lambda portal: (portal.rank is None, portal.rank or 0,
                                              -portal.ytd.total, portal.portal))

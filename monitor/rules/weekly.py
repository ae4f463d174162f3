"""The weekly rule 每周至少更新一次, 不含节假日 (SPEC §4.3).

Weeks run Monday to Sunday. A week is counted for a period when it overlaps the period,
has at least one official working day inside the period, and has ended before the as-of
day: a week has ended when its Sunday is over, so on the Sunday itself (a 调休 working Sunday
too, and at 02:00 that night) it is still the current week, and its miss shows on Monday.
A counted week is missed when fewer than `min_posts` posts of the weekly categories are
dated anywhere in that Monday-Sunday week.
Undated posts never count (SPEC §4.2).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.calendar import WorkCalendar
from monitor.domain import Category
from monitor.rules.periods import Period, monday_of

_SIX_DAYS = timedelta(days=6)


@dataclass(frozen=True)
class WeeklyRule:
    """Config `rules.weekly`: which column categories count and how many posts a week needs."""

    categories: frozenset[Category] = frozenset({Category.DYNAMICS})
    min_posts: int = 1

    def __post_init__(self) -> None:
        if self.min_posts < 1:
            raise ValueError(f"min_posts must be at least 1, got {self.min_posts}")

    def applies_to(self, category: Category) -> bool:
        return category in self.categories


@dataclass(frozen=True)
class WeeklyResult:
    """Mondays of the weeks counted and of the weeks missed, both in order."""

    weeks: tuple[date, ...]
    missed: tuple[date, ...]


# What the weekly rule says of a unit nothing is known about: no week counted, none missed.
NOTHING_KNOWN = WeeklyResult(weeks=(), missed=())


def weekly_facts_known(columns: Iterable[tuple[bool, bool]]) -> bool:
    """Whether anything is known against a unit under the weekly rule, from each of its
    weekly columns as (read by its latest crawl, has dated posts on record). A unit none of
    whose weekly columns was ever read has no weeks to miss: counting them would accuse it
    of weeks nobody looked at (a new unit before its first crawl, say)."""
    return any(read or has_posts for read, has_posts in columns)


def week_has_ended(monday: date, as_of: date) -> bool:
    """Whether the week starting `monday` is over on the as-of day: its Sunday is past."""
    return monday + _SIX_DAYS < as_of


def counted_weeks(period: Period, as_of: date, calendar: WorkCalendar) -> list[date]:
    """Mondays of the weeks the weekly rule counts for `period` at `as_of`."""
    counted: list[date] = []
    for monday in period.weeks():
        if not week_has_ended(monday, as_of):
            break  # weeks come in order, so no later week has ended either
        first = max(monday, period.start)
        last = min(monday + _SIX_DAYS, period.end)
        if calendar.has_workday(first, last):
            counted.append(monday)
    return counted


def weekly_compliance(
    post_dates: Iterable[date | None],
    period: Period,
    as_of: date,
    calendar: WorkCalendar,
    min_posts: int,
) -> WeeklyResult:
    """Counted and missed weeks for one unit's posts of the weekly categories."""
    posts_per_week = Counter(monday_of(day) for day in post_dates if day is not None)
    weeks = counted_weeks(period, as_of, calendar)
    missed = [monday for monday in weeks if posts_per_week[monday] < min_posts]
    return WeeklyResult(weeks=tuple(weeks), missed=tuple(missed))

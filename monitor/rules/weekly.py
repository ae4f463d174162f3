"""The weekly rule 每周至少更新一次, 不含节假日 (SPEC §4.3).

Weeks run Monday to Sunday. A week is counted for a period when it overlaps the period,
has at least one official working day inside the period, and has ended before the as-of
day: a week has ended when its Sunday is over, so on the Sunday itself (a 调休 working Sunday
too, and at 02:00 that night) it is still the current week, and its miss shows on Monday.
A counted week is missed when fewer than `min_posts` posts of the weekly categories are
dated anywhere in that Monday-Sunday week; a week is only called missed when a crawl read
every weekly column of the unit after it was over (`observed_compliance`).
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


def seen_until(as_of: date, latest_crawl_read_it: bool, last_read: date | None) -> date | None:
    """Up to which day a column's posts are known: all of them at as-of when its latest crawl
    read it; up to the day of its last read when the latest crawl failed; None when it was
    never read."""
    return as_of if latest_crawl_read_it else last_read


def judged_until(read_days: Iterable[date | None]) -> date | None:
    """The day up to which the posts of all a unit's weekly columns are known: the earliest of
    their `seen_until` days; None when one was never read (or there is none)."""
    days = list(read_days)
    if not days or None in days:
        return None
    return min(day for day in days if day is not None)


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


def observed_compliance(
    post_dates: Iterable[date | None],
    period: Period,
    as_of: date,
    calendar: WorkCalendar,
    min_posts: int,
    until: date | None,
) -> WeeklyResult:
    """The weekly rule over what the crawls saw. A counted week with enough posts is met; one
    without is missed only when it was over by `until` (`judged_until`), so that every weekly
    column of the unit was read after it. Otherwise it is unknown and not counted: while a
    column cannot be read, or before its first crawl, nobody knows whether the unit posted
    there (SPEC §4.4: a failed crawl never makes a column overdue). Once the column is read
    again, the posts of those weeks are on its list and the weeks are judged."""
    found = weekly_compliance(post_dates, period, as_of, calendar, min_posts)
    unknown = {monday for monday in found.missed
               if until is None or not week_has_ended(monday, until)}
    return WeeklyResult(
        weeks=tuple(monday for monday in found.weeks if monday not in unknown),
        missed=tuple(monday for monday in found.missed if monday not in unknown),
    )

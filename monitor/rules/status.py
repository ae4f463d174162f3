"""A column's status at an as-of date and the national staleness rule (SPEC §4.4).

`due` is the last day by which the next required post must appear:
- weekly: the Sunday ending the first week with a working day that needs (or needed) a post.
  When overdue, that is the first working week after the week of the last post (SPEC §5:
  last post 2024-04-19, as-of 2024-05-10 -> due 2024-04-28); otherwise the first working
  week from the current one on that has no post yet.
- monthly / quarterly: the last day of the month / quarter that needs a post (the previous
  one when it is overdue).
- yearly with a deadline: this year's deadline, or next year's once this year's is met and past.
- yearly without a deadline: the last post's date plus 365 days.
- none: no due date.

A week has ended when its Sunday is over (before the as-of day), as in §4.3: on a Sunday,
the week it ends is still the current one. Only dated posts on or
before as-of are facts here; undated posts never count as updates (§4.2), but they do mean the
column is not `empty`. A failed last crawl gives `unreachable`, never `overdue` or `empty`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.calendar import WorkCalendar
from monitor.domain import Category, ColumnStatus, Cycle
from monitor.problem_details import stale_text
from monitor.rules.periods import Period, monday_of
from monitor.rules.weekly import week_has_ended

DYNAMICS_STALE_DAYS = 14
NOTICE_POLICY_STALE_DAYS = 183
YEARLY_DUE_SOON_WORKDAYS = 10
YEARLY_MAX_AGE_DAYS = 365

# Even the longest official holiday leaves a working day within two weeks; a year of weeks
# only guards against a config that declares everything a holiday.
_WEEKS_SEARCHED = 53
_WEEK = timedelta(days=7)
_SIX_DAYS = timedelta(days=6)
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ColumnState:
    status: ColumnStatus
    last_post: date | None
    due: date | None
    stale: bool
    # Why the column breaks the national rule, as facts (monitor/problem_details.py).
    stale_facts: dict[str, object] | None

    @property
    def stale_reason(self) -> str | None:
        return None if self.stale_facts is None else stale_text(self.stale_facts)


def column_state(
    cycle: Cycle,
    category: Category,
    deadline: str | None,
    post_dates: Iterable[date | None],
    as_of: date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
    last_crawl_failed: bool,
    has_any_post: bool,
) -> ColumnState:
    """Status, due date and national staleness of one column at `as_of`."""
    known = sorted(day for day in post_dates if day is not None and day <= as_of)
    last_post = known[-1] if known else None
    stale_facts = national_staleness(category, last_post, as_of, has_any_post or bool(known))
    status, due = _cycle_status(cycle, deadline, known, as_of, calendar, due_soon_workdays)
    if last_crawl_failed:
        status = ColumnStatus.UNREACHABLE
    elif not has_any_post and not known:
        status = ColumnStatus.EMPTY
    return ColumnState(status, last_post, due, stale_facts is not None, stale_facts)


def national_staleness(category: Category, last_post: date | None, as_of: date,
                       has_posts: bool = True) -> dict[str, object] | None:
    """Why the column breaks 国办秘函〔2019〕19号 at `as_of` (facts: the column's kind, the
    limit in days, the last post and its age, whether it has any post at all), or None
    when it does not."""
    if category is Category.DYNAMICS:
        limit = DYNAMICS_STALE_DAYS
        if last_post is None:
            return {"category": category.value, "limit": limit, "last_post": None,
                    "has_posts": has_posts}
    elif category in (Category.NOTICE, Category.POLICY):
        limit = NOTICE_POLICY_STALE_DAYS
        if last_post is None:
            return None  # an empty column is reported as `empty`, not as stale
    else:
        return None
    age = (as_of - last_post).days
    if age <= limit:
        return None
    return {"category": category.value, "limit": limit, "last_post": last_post.isoformat(),
            "age": age, "has_posts": True}


def _cycle_status(
    cycle: Cycle,
    deadline: str | None,
    known: list[date],
    as_of: date,
    calendar: WorkCalendar,
    due_soon_workdays: int,
) -> tuple[ColumnStatus, date | None]:
    if cycle is Cycle.WEEKLY:
        return _weekly_status(known, as_of, calendar, due_soon_workdays)
    if cycle is Cycle.MONTHLY:
        return _calendar_period_status(known, as_of, _month_of)
    if cycle is Cycle.QUARTERLY:
        return _calendar_period_status(known, as_of, _quarter_of)
    if cycle is Cycle.YEARLY and deadline is not None:
        return _yearly_deadline_status(known, as_of, calendar, deadline)
    if cycle is Cycle.YEARLY:
        return _yearly_age_status(known, as_of)
    return ColumnStatus.OK, None


def _is_working_week(monday: date, calendar: WorkCalendar) -> bool:
    return calendar.has_workday(monday, monday + _SIX_DAYS)


def _last_ended_working_week(as_of: date, calendar: WorkCalendar) -> date | None:
    monday = monday_of(as_of)
    if not week_has_ended(monday, as_of):
        monday -= _WEEK
    for _ in range(_WEEKS_SEARCHED):
        if _is_working_week(monday, calendar):
            return monday
        monday -= _WEEK
    return None


def _first_working_week_from(monday: date, calendar: WorkCalendar) -> date | None:
    for _ in range(_WEEKS_SEARCHED):
        if _is_working_week(monday, calendar):
            return monday
        monday += _WEEK
    return None


def _sunday(monday: date | None) -> date | None:
    return None if monday is None else monday + _SIX_DAYS


def _weekly_status(
    known: list[date], as_of: date, calendar: WorkCalendar, due_soon_workdays: int
) -> tuple[ColumnStatus, date | None]:
    posted_weeks = {monday_of(day) for day in known}
    last_ended = _last_ended_working_week(as_of, calendar)
    if last_ended is not None and last_ended not in posted_weeks:
        if not known:
            return ColumnStatus.OVERDUE, _sunday(last_ended)
        first_missed = _first_missed_week(last_ended, posted_weeks, monday_of(known[0]), calendar)
        return ColumnStatus.OVERDUE, _sunday(first_missed)
    current = monday_of(as_of)
    if current in posted_weeks:
        return ColumnStatus.OK, _sunday(_first_working_week_from(current + _WEEK, calendar))
    if not _is_working_week(current, calendar):
        return ColumnStatus.OK, _sunday(_first_working_week_from(current, calendar))
    # Counting the as-of day itself: on a Friday of a plain week two working days remain.
    remaining = calendar.workdays_between(max(as_of, current), current + _SIX_DAYS)
    if len(remaining) <= due_soon_workdays:
        return ColumnStatus.DUE_SOON, _sunday(current)
    return ColumnStatus.OK, _sunday(current)


def _first_missed_week(
    last_ended: date, posted_weeks: set[date], earliest: date, calendar: WorkCalendar
) -> date:
    """The first week of the unbroken run of missed working weeks that ends with
    `last_ended`: the deadline the column first failed. A post made later, in the current
    week, does not move it (it is not counted for a week already over)."""
    first = last_ended
    week = last_ended - _WEEK
    while week >= earliest and week not in posted_weeks:
        if _is_working_week(week, calendar):
            first = week
        week -= _WEEK
    return first


def _month_of(day: date) -> Period:
    return Period.month(day.year, day.month)


def _quarter_of(day: date) -> Period:
    return Period.quarter(day.year, (day.month - 1) // 3 + 1)


def _calendar_period_status(
    known: list[date], as_of: date, period_of: Callable[[date], Period]
) -> tuple[ColumnStatus, date]:
    current = period_of(as_of)
    previous = period_of(current.start - _DAY)
    if not any(previous.contains(day) for day in known):
        return ColumnStatus.OVERDUE, previous.end
    if any(current.contains(day) for day in known):
        return ColumnStatus.OK, period_of(current.end + _DAY).end
    return ColumnStatus.OK, current.end


def deadline_in(year: int, deadline: str) -> date:
    """The `MM-DD` deadline in `year`; 02-29 falls on 02-28 in a common year."""
    month_text, _, day_text = deadline.partition("-")
    if not (month_text.isdigit() and day_text.isdigit()):
        raise ValueError(f"deadline must be MM-DD, got '{deadline}'")
    month, day = int(month_text), int(day_text)
    if (month, day) == (2, 29):
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


def _yearly_deadline_status(
    known: list[date], as_of: date, calendar: WorkCalendar, deadline_text: str
) -> tuple[ColumnStatus, date]:
    deadline = deadline_in(as_of.year, deadline_text)
    posted_in_time = any(date(as_of.year, 1, 1) <= day <= deadline for day in known)
    if as_of > deadline:
        if posted_in_time:
            return ColumnStatus.OK, deadline_in(as_of.year + 1, deadline_text)
        return ColumnStatus.OVERDUE, deadline
    if posted_in_time:
        return ColumnStatus.OK, deadline_in(as_of.year + 1, deadline_text)
    remaining = calendar.workdays_between(as_of, deadline)
    if len(remaining) <= YEARLY_DUE_SOON_WORKDAYS:
        return ColumnStatus.DUE_SOON, deadline
    return ColumnStatus.OK, deadline


def _yearly_age_status(known: list[date], as_of: date) -> tuple[ColumnStatus, date | None]:
    if not known:
        return ColumnStatus.OVERDUE, None
    due = known[-1] + timedelta(days=YEARLY_MAX_AGE_DAYS)
    return (ColumnStatus.OVERDUE if as_of > due else ColumnStatus.OK), due


"""SPEC §4 definitions, written from the text, over plain dates.

Independent of the product's own rules on purpose: the truth checks the product, so it
must not share its code. Working days come from `sampleportal.workdays`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from monitor.domain import Category, ColumnStatus, Cycle
from sampleportal.workdays import is_workday, monday_of, workdays

STALE_DYNAMICS_DAYS = 14
STALE_NOTICE_DAYS = 183
YEARLY_DUE_SOON_WORKDAYS = 10


def counted_weeks(first: date, last: date, as_of: date) -> list[date]:
    """§4.3: Mondays of weeks overlapping [first, last] with a working day inside the
    period, that ended before as-of (a week ends when its Sunday is over)."""
    counted = []
    monday = monday_of(first)
    while monday <= last:
        sunday = monday + timedelta(days=6)
        inside = workdays(max(monday, first), min(sunday, last))
        if inside and sunday < as_of:
            counted.append(monday)
        monday += timedelta(days=7)
    return counted


def missed_weeks(weeks: Iterable[date], post_dates: Sequence[date], min_posts: int = 1
                 ) -> list[date]:
    """Counted weeks with fewer than `min_posts` posts dated Monday..Sunday."""
    per_week: dict[date, int] = {}
    for day in post_dates:
        per_week[monday_of(day)] = per_week.get(monday_of(day), 0) + 1
    return [monday for monday in weeks if per_week.get(monday, 0) < min_posts]


def _has_post(post_dates: Sequence[date], first: date, last: date) -> bool:
    return any(first <= day <= last for day in post_dates)


def _weekly_status(post_dates: Sequence[date], as_of: date, due_soon_workdays: int
                   ) -> ColumnStatus:
    monday = monday_of(as_of)
    ended = monday if monday + timedelta(days=6) < as_of else monday - timedelta(days=7)
    while not workdays(ended, ended + timedelta(days=6)):
        ended -= timedelta(days=7)
    if not _has_post(post_dates, ended, ended + timedelta(days=6)):
        return ColumnStatus.OVERDUE
    sunday = monday + timedelta(days=6)
    if not workdays(monday, sunday):
        return ColumnStatus.OK
    if _has_post(post_dates, monday, sunday):
        return ColumnStatus.OK
    remaining = len(workdays(as_of, sunday))
    return ColumnStatus.DUE_SOON if remaining <= due_soon_workdays else ColumnStatus.OK


def _previous_month(as_of: date) -> tuple[date, date]:
    last = as_of.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _previous_quarter(as_of: date) -> tuple[date, date]:
    first_month = 3 * ((as_of.month - 1) // 3) + 1
    last = date(as_of.year, first_month, 1) - timedelta(days=1)
    return date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last


def _yearly_status(post_dates: Sequence[date], as_of: date, deadline: str | None
                   ) -> ColumnStatus:
    if deadline is None:
        newest = max(post_dates)
        return ColumnStatus.OVERDUE if (as_of - newest).days > 365 else ColumnStatus.OK
    month, day = (int(part) for part in deadline.split("-"))
    due = date(as_of.year, month, day)
    if as_of > due:
        on_time = _has_post(post_dates, date(as_of.year, 1, 1), due)
        return ColumnStatus.OK if on_time else ColumnStatus.OVERDUE
    if _has_post(post_dates, date(as_of.year, 1, 1), as_of):
        return ColumnStatus.OK
    left = len(workdays(as_of, due))
    return ColumnStatus.DUE_SOON if left <= YEARLY_DUE_SOON_WORKDAYS else ColumnStatus.OK


def column_status(cycle: Cycle, deadline: str | None, post_dates: Sequence[date],
                  as_of: date, due_soon_workdays: int = 2) -> ColumnStatus:
    """§4.4 for a column read successfully; `post_dates` are its dated posts up to as-of."""
    if not post_dates:
        return ColumnStatus.EMPTY
    if cycle is Cycle.WEEKLY:
        return _weekly_status(post_dates, as_of, due_soon_workdays)
    if cycle is Cycle.MONTHLY:
        first, last = _previous_month(as_of)
    elif cycle is Cycle.QUARTERLY:
        first, last = _previous_quarter(as_of)
    elif cycle is Cycle.YEARLY:
        return _yearly_status(post_dates, as_of, deadline)
    else:
        return ColumnStatus.OK
    return ColumnStatus.OK if _has_post(post_dates, first, last) else ColumnStatus.OVERDUE


def is_stale(category: Category, post_dates: Sequence[date], as_of: date) -> bool:
    """The national rule (国办秘函〔2019〕19号) beside the status."""
    if category is Category.DYNAMICS:
        # SPEC §4.4: a dynamics column with no post at all is stale too.
        return not post_dates or (as_of - max(post_dates)).days > STALE_DYNAMICS_DAYS
    if category in (Category.NOTICE, Category.POLICY):
        # An empty notice/policy column is `empty`; the 183-day rule needs a last post.
        return bool(post_dates) and (as_of - max(post_dates)).days > STALE_NOTICE_DAYS
    return False


def completion(ytd_posts: int, target: int | None) -> Decimal | None:
    """§4.6: year-to-date posts / target × 100, rounded half-up to 2 decimals."""
    if not target:
        return None
    ratio = Decimal(ytd_posts) * 100 / Decimal(target)
    return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dense_ranks(scores: Sequence[Decimal | None]) -> list[int | None]:
    """Dense ranks, highest first: ties share a rank, the next rank follows on (1, 2, 2, 3)."""
    distinct = sorted({score for score in scores if score is not None}, reverse=True)
    position = {score: index + 1 for index, score in enumerate(distinct)}
    return [None if score is None else position[score] for score in scores]


def is_backdated(claimed: date, first_visible: date, days: int = 3) -> bool:
    """§4.7: first appeared more than `days` days after its claimed date."""
    return (first_visible - claimed).days > days


__all__ = ["counted_weeks", "missed_weeks", "column_status", "is_stale", "completion",
           "dense_ranks", "is_backdated", "is_workday"]

"""PRC official working days (holidays and 调休), straight from `chinese_calendar`.

The sample portal schedules its posts on working days and its truth counts weeks with
them; both read the official calendar here rather than the product's own rules code, so
that the product is checked against an independent reading of SPEC §4.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Years the package does not know yet: weekends are the only rest days.
        return day.weekday() < 5


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def workdays(first: date, last: date) -> list[date]:
    return [day for day in days(first, last) if is_workday(day)]


def weekend_workday_weeks(first: date, last: date) -> list[date]:
    """Mondays of weeks that contain a 调休 Saturday or Sunday working day."""
    found = []
    monday = monday_of(first)
    while monday <= last:
        weekend = [monday + timedelta(days=5), monday + timedelta(days=6)]
        if any(is_workday(day) for day in weekend):
            found.append(monday)
        monday += timedelta(days=7)
    return found

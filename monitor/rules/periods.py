"""Reporting periods and Monday-based weeks (SPEC §3 `--month`/`--quarter`, §4.3, §4.6)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.errors import PeriodError
from monitor.i18n import _

_MONTH_TEXT = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER_TEXT = re.compile(r"(\d{4})[Qq]([1-4])")
_WEEK = timedelta(days=7)


def monday_of(day: date) -> date:
    """The Monday that starts the Monday-Sunday week holding `day`."""
    return day - timedelta(days=day.weekday())


def sunday_of(day: date) -> date:
    """The Sunday that ends the Monday-Sunday week holding `day`."""
    return monday_of(day) + timedelta(days=6)


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """A closed range of days [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise PeriodError(_("period starts {start} after it ends {end}").format(
                start=self.start, end=self.end))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(_("month must be 1..12, got {month}").format(month=month))
        return cls(date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodError(_("quarter must be 1..4, got {quarter}").format(quarter=quarter))
        first_month = 3 * quarter - 2
        return cls(date(year, first_month, 1), _month_end(year, first_month + 2))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse_month(cls, text: str) -> Period:
        """`2024-04` -> April 2024."""
        match = _MONTH_TEXT.fullmatch(text.strip())
        if match is None:
            raise PeriodError(_("'{text}' is not a month; expected YYYY-MM, e.g. 2024-04").format(
                text=text))
        return cls.month(int(match[1]), int(match[2]))

    @classmethod
    def parse_quarter(cls, text: str) -> Period:
        """`2024Q1` -> January to March 2024."""
        match = _QUARTER_TEXT.fullmatch(text.strip())
        if match is None:
            raise PeriodError(_("'{text}' is not a quarter; expected YYYYQN, e.g. 2024Q1").format(
                text=text))
        return cls.quarter(int(match[1]), int(match[2]))

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def clipped_to(self, last: date) -> Period | None:
        """The part of this period up to `last` (e.g. an as-of date), None if nothing is left."""
        if last < self.start:
            return None
        return Period(self.start, min(self.end, last))

    def weeks(self) -> Iterator[date]:
        """Mondays of the Monday-Sunday weeks that overlap this period, in order."""
        monday = monday_of(self.start)
        while monday <= self.end:
            yield monday
            monday += _WEEK

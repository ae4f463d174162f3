"""The PRC work calendar the weekly rule and the column statuses count in (SPEC §4.3, §4.4).

Official working days come from the `chinese_calendar` package (holidays and 调休 make-up
workdays). The office's config adds its own `calendar.holidays` / `calendar.workdays` on top.
For a year the package does not know and the config does not declare complete
(`covered_years`), weekends only are rest days and a warning is recorded: the rules then
still run, but the reader is told the holiday calendar was not known.

Lookups are cached per year because the rules ask about every day of every week for every unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

from monitor.i18n import _

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")

_SATURDAY = 5


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware moment (SPEC §2: shown in Asia/Shanghai)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"local_date needs an aware datetime, got naive {moment.isoformat()}")
    return moment.astimezone(LOCAL_ZONE).date()


def _days_of_year(year: int) -> Iterable[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def _official_workdays(year: int) -> frozenset[date] | None:
    """Working days of `year` from the package, or None when the package does not know it."""
    try:
        return frozenset(day for day in _days_of_year(year) if chinese_calendar.is_workday(day))
    except NotImplementedError:
        # The package only ships the years the State Council has announced.
        return None


def _weekday_workdays(year: int) -> frozenset[date]:
    return frozenset(day for day in _days_of_year(year) if day.weekday() < _SATURDAY)


class WorkCalendar:
    """Official working days with 调休, plus the office's overrides.

    `extra_holidays` / `extra_workdays` come from the config (`calendar.holidays` /
    `calendar.workdays`); `covered_years` are years for which the office declares that those
    lists are complete, so that a year the package does not know is not reported as a guess.
    """

    def __init__(
        self,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        covered_years: Iterable[int] = (),
    ) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        both = sorted(self._extra_holidays & self._extra_workdays)
        if both:
            # Either choice would be a guess about what the office meant.
            listed = ", ".join(day.isoformat() for day in both)
            raise ValueError(f"dates listed both as holidays and as workdays: {listed}")
        self._covered_years = frozenset(covered_years)
        self._workdays_by_year: dict[int, frozenset[date]] = {}
        self._package_years: dict[int, bool] = {}

    def is_workday(self, day: date) -> bool:
        return day in self._workdays_of(day.year)

    def workdays_between(self, first: date, last: date) -> list[date]:
        """Working days from `first` to `last`, both included, in order (empty if first > last)."""
        found: list[date] = []
        day = first
        while day <= last:
            if self.is_workday(day):
                found.append(day)
            day += timedelta(days=1)
        return found

    def has_workday(self, first: date, last: date) -> bool:
        """Whether any working day falls from `first` to `last`, both included."""
        day = first
        while day <= last:
            if self.is_workday(day):
                return True
            day += timedelta(days=1)
        return False

    def is_official(self, year: int) -> bool:
        """Whether `year`'s rest days are known: from the package or declared by the config."""
        return self._package_knows(year) or year in self._covered_years

    def warnings_for(self, years: Iterable[int]) -> list[str]:
        """One warning per year among `years` whose rest days are weekends only (a fallback)."""
        unknown = sorted(year for year in set(years) if not self.is_official(year))
        return [_fallback_warning(year) for year in unknown]

    def warnings(self) -> list[str]:
        """Warnings for every year looked up so far that fell back to weekends only."""
        return self.warnings_for(self._workdays_by_year)

    def _package_knows(self, year: int) -> bool:
        if year not in self._package_years:
            self._workdays_of(year)
        return self._package_years[year]

    def _workdays_of(self, year: int) -> frozenset[date]:
        cached = self._workdays_by_year.get(year)
        if cached is not None:
            return cached
        official = _official_workdays(year)
        self._package_years[year] = official is not None
        base = official if official is not None else _weekday_workdays(year)
        holidays = {day for day in self._extra_holidays if day.year == year}
        workdays = {day for day in self._extra_workdays if day.year == year}
        result = (base - holidays) | workdays
        self._workdays_by_year[year] = result
        return result


def _fallback_warning(year: int) -> str:
    return _(
        "{year}: the official holiday calendar is not known; weekends only are treated as "
        "rest days (add calendar.holidays/workdays and calendar.covered_years to the config)"
    ).format(year=year)

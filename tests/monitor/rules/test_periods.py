"""Reporting periods and Monday-based weeks (SPEC §3, §4.3)."""

from datetime import date

import pytest

from monitor.errors import MonitorError, PeriodError
from monitor.rules.periods import Period, monday_of, sunday_of


def test_month_covers_every_day_of_the_month() -> None:
    assert Period.month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert Period.month(2024, 12) == Period(date(2024, 12, 1), date(2024, 12, 31))


def test_quarter_covers_three_months() -> None:
    assert Period.quarter(2024, 1) == Period(date(2024, 1, 1), date(2024, 3, 31))
    assert Period.quarter(2024, 4) == Period(date(2024, 10, 1), date(2024, 12, 31))


@pytest.mark.parametrize(("text", "period"), [
    ("2024-04", Period.month(2024, 4)),
    ("2024-4", Period.month(2024, 4)),
])
def test_parse_month(text: str, period: Period) -> None:
    assert Period.parse_month(text) == period


@pytest.mark.parametrize(("text", "period"), [
    ("2024Q1", Period.quarter(2024, 1)),
    ("2019q3", Period.quarter(2019, 3)),
])
def test_parse_quarter(text: str, period: Period) -> None:
    assert Period.parse_quarter(text) == period


@pytest.mark.parametrize("text", ["2024-13", "2024/04", "April", "2024-00"])
def test_bad_month_is_a_user_error(text: str) -> None:
    with pytest.raises(PeriodError, match="月份"):
        Period.parse_month(text)


@pytest.mark.parametrize("text", ["2024Q5", "2024-Q1", "Q1"])
def test_bad_quarter_is_a_user_error(text: str) -> None:
    with pytest.raises(MonitorError, match="季度"):
        Period.parse_quarter(text)


def test_inverted_period_is_rejected() -> None:
    with pytest.raises(PeriodError):
        Period(date(2024, 5, 1), date(2024, 4, 30))


def test_weeks_are_the_mondays_of_every_overlapping_week() -> None:
    weeks = list(Period.quarter(2019, 1).weeks())
    assert weeks[0] == date(2018, 12, 31)  # 2019-01-01 is a Tuesday
    assert weeks[-1] == date(2019, 3, 25)
    assert len(weeks) == 13
    assert all(monday.weekday() == 0 for monday in weeks)


def test_monday_and_sunday_of_a_week() -> None:
    assert monday_of(date(2024, 4, 21)) == date(2024, 4, 15)
    assert monday_of(date(2024, 4, 22)) == date(2024, 4, 22)
    assert sunday_of(date(2024, 4, 22)) == date(2024, 4, 28)


def test_clipped_to_as_of() -> None:
    april = Period.month(2024, 4)
    assert april.clipped_to(date(2024, 4, 10)) == Period(date(2024, 4, 1), date(2024, 4, 10))
    assert april.clipped_to(date(2024, 5, 10)) == april
    assert april.clipped_to(date(2024, 3, 31)) is None

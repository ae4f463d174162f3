"""The PRC work calendar with 调休 and config overrides (SPEC §2 `calendar`, §4.3)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from monitor.calendar import WorkCalendar, local_date

SHANGHAI = timezone(timedelta(hours=8))


def test_make_up_sunday_is_a_workday() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(date(2024, 2, 18))  # Sunday, 调休 after the Spring Festival
    assert calendar.is_workday(date(2019, 9, 29))  # Sunday before National Day 2019


def test_official_holidays_on_weekdays_are_rest_days() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_workday(date(2024, 2, 12))  # Monday of the Spring Festival
    assert not calendar.is_workday(date(2019, 10, 1))
    assert calendar.is_workday(date(2024, 4, 2))
    assert not calendar.is_workday(date(2024, 4, 13))  # an ordinary Saturday


def test_config_holidays_and_workdays_override_the_official_calendar() -> None:
    calendar = WorkCalendar(
        extra_holidays=[date(2024, 4, 2)], extra_workdays=[date(2024, 4, 13)]
    )
    assert not calendar.is_workday(date(2024, 4, 2))
    assert calendar.is_workday(date(2024, 4, 13))


def test_a_date_both_holiday_and_workday_is_rejected() -> None:
    with pytest.raises(ValueError, match="2024-04-02"):
        WorkCalendar(extra_holidays=[date(2024, 4, 2)], extra_workdays=[date(2024, 4, 2)])


def test_workdays_between_includes_both_ends_and_crosses_years() -> None:
    calendar = WorkCalendar()
    days = calendar.workdays_between(date(2023, 12, 29), date(2024, 1, 3))
    # 2023-12-30/31 weekend, 2024-01-01 New Year's Day.
    assert days == [date(2023, 12, 29), date(2024, 1, 2), date(2024, 1, 3)]
    assert calendar.workdays_between(date(2024, 1, 3), date(2024, 1, 2)) == []


def test_has_workday_sees_a_single_make_up_day() -> None:
    calendar = WorkCalendar()
    assert calendar.has_workday(date(2024, 2, 18), date(2024, 2, 18))
    assert not calendar.has_workday(date(2024, 2, 10), date(2024, 2, 17))


def test_year_beyond_the_package_falls_back_to_weekends_with_a_warning() -> None:
    calendar = WorkCalendar()
    assert calendar.is_workday(date(2027, 1, 1))  # a Friday; New Year's Day is not known
    assert not calendar.is_workday(date(2027, 1, 2))  # Saturday
    assert not calendar.is_official(2027)
    [warning] = calendar.warnings()
    assert warning.startswith("2027年：官方节假日安排未知")
    assert "calendar.covered_years" in warning


def test_known_years_give_no_warning() -> None:
    calendar = WorkCalendar()
    calendar.is_workday(date(2024, 5, 1))
    assert calendar.is_official(2024)
    assert calendar.warnings() == []
    assert calendar.warnings_for([2024, 2025]) == []


def test_warnings_for_names_each_unknown_year_once() -> None:
    warnings = WorkCalendar().warnings_for([2027, 2024, 2027, 2003])
    assert [warning[:6] for warning in warnings] == ["2003年：", "2027年："]


def test_covered_year_uses_config_lists_without_a_warning() -> None:
    calendar = WorkCalendar(
        extra_holidays=[date(2027, 1, 1)], extra_workdays=[date(2027, 1, 2)], covered_years=[2027]
    )
    assert calendar.is_official(2027)
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 1, 2))
    assert not calendar.is_workday(date(2027, 1, 3))
    assert calendar.warnings() == []


def test_local_date_puts_sunday_night_and_monday_midnight_on_their_own_days() -> None:
    assert local_date(datetime(2024, 4, 21, 23, 59, tzinfo=SHANGHAI)) == date(2024, 4, 21)
    assert local_date(datetime(2024, 4, 22, 0, 0, tzinfo=SHANGHAI)) == date(2024, 4, 22)
    # Stored in UTC: 16:00 UTC on Sunday is already Monday in Shanghai.
    assert local_date(datetime(2024, 4, 21, 16, 0, tzinfo=UTC)) == date(2024, 4, 22)
    assert local_date(datetime(2024, 4, 21, 15, 59, tzinfo=UTC)) == date(2024, 4, 21)


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2024, 4, 21, 12, 0))

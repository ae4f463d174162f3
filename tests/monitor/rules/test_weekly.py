"""The weekly rule 每周至少更新一次, 不含节假日 (SPEC §4.3)."""

from datetime import date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from monitor.calendar import WorkCalendar, local_date
from monitor.rules.periods import Period
from monitor.rules.weekly import (
    counted_weeks,
    judged_until,
    observed_compliance,
    weekly_compliance,
)

CALENDAR = WorkCalendar()
SHANGHAI = timezone(timedelta(hours=8))


def test_2019_first_quarter_counts_12_weeks_and_no_posts_miss_all_12() -> None:
    # Seed 000: units with no 动态信息 in 2019 Q1 have 每周更新未达标次数 12.
    result = weekly_compliance([], Period.quarter(2019, 1), date(2019, 4, 1), CALENDAR, 1)
    assert len(result.weeks) == 12
    assert result.missed == result.weeks
    assert date(2019, 2, 4) not in result.weeks  # the Spring Festival week, all holidays
    assert date(2018, 12, 31) in result.weeks  # 01-02..01-04 are working days in the period


def test_weeks_are_judged_until_every_weekly_column_was_last_read() -> None:
    assert judged_until([]) is None
    assert judged_until([date(2024, 5, 6), None]) is None
    assert judged_until([date(2024, 5, 6), date(2024, 4, 22)]) == date(2024, 4, 22)


def test_a_week_after_the_last_read_is_unknown_not_missed() -> None:
    """April 2024 at 10 May: posts in the week of 1 April only; the column was last read on
    Monday 22 April at 02:00 (then its crawls failed)."""
    april, as_of = Period.month(2024, 4), date(2024, 5, 10)
    posts = [date(2024, 4, 3)]
    result = observed_compliance(posts, april, as_of, WorkCalendar(), 1, date(2024, 4, 22))
    # 8 and 15 April were over when it was read: missed. 22 and 29 April nobody saw.
    assert result.weeks == (date(2024, 4, 1), date(2024, 4, 8), date(2024, 4, 15))
    assert result.missed == (date(2024, 4, 8), date(2024, 4, 15))
    # Read again on 6 May: the weeks are judged on what its list then shows.
    again = observed_compliance(posts + [date(2024, 4, 24)], april, as_of, WorkCalendar(), 1,
                                date(2024, 5, 6))
    assert len(again.weeks) == 5 and again.missed == (
        date(2024, 4, 8), date(2024, 4, 15), date(2024, 4, 29))


def test_a_unit_never_read_misses_no_week_but_its_posts_still_meet_weeks() -> None:
    april, as_of = Period.month(2024, 4), date(2024, 5, 10)
    assert observed_compliance([], april, as_of, WorkCalendar(), 1, None).weeks == ()
    met = observed_compliance([date(2024, 4, 10)], april, as_of, WorkCalendar(), 1, None)
    assert (met.weeks, met.missed) == ((date(2024, 4, 8),), ())


def test_week_whose_only_working_day_is_a_make_up_sunday_counts() -> None:
    weeks = counted_weeks(Period.month(2024, 2), date(2024, 3, 31), CALENDAR)
    assert date(2024, 2, 12) in weeks  # 02-12..02-17 holidays, Sunday 02-18 is 调休
    assert weeks == [date(2024, 1, 29), date(2024, 2, 5), date(2024, 2, 12),
                     date(2024, 2, 19), date(2024, 2, 26)]


def test_week_whose_working_days_fall_outside_the_period_is_not_counted() -> None:
    # The week of 2024-09-30: only 09-30 is a working day; 10-01..10-06 are National Day.
    october = counted_weeks(Period.month(2024, 10), date(2024, 12, 1), CALENDAR)
    assert date(2024, 9, 30) not in october
    assert october == [date(2024, 10, 7), date(2024, 10, 14), date(2024, 10, 21),
                       date(2024, 10, 28)]
    september = counted_weeks(Period.month(2024, 9), date(2024, 12, 1), CALENDAR)
    assert september[-1] == date(2024, 9, 30)


def test_week_not_ended_at_as_of_is_not_counted_yet() -> None:
    april = Period.month(2024, 4)
    assert counted_weeks(april, date(2024, 4, 20), CALENDAR)[-1] == date(2024, 4, 8)
    assert counted_weeks(april, date(2024, 4, 21), CALENDAR)[-1] == date(2024, 4, 8)
    assert counted_weeks(april, date(2024, 4, 22), CALENDAR)[-1] == date(2024, 4, 15)


def test_week_ends_when_its_make_up_working_sunday_is_over() -> None:
    april = Period.month(2024, 4)
    # Sunday 2024-04-28 is a 调休 working day: the week of 04-22 is not over on it.
    assert counted_weeks(april, date(2024, 4, 28), CALENDAR)[-1] == date(2024, 4, 15)
    assert counted_weeks(april, date(2024, 4, 29), CALENDAR)[-1] == date(2024, 4, 22)


def test_spec_example_counts_18_weeks_from_new_year_to_may_10() -> None:
    period = Period(date(2024, 1, 1), date(2024, 5, 10))
    assert len(counted_weeks(period, date(2024, 5, 10), CALENDAR)) == 18


def test_posts_at_sunday_night_and_monday_midnight_land_in_their_own_weeks() -> None:
    sunday_night = local_date(datetime(2024, 4, 21, 23, 59, tzinfo=SHANGHAI))
    monday_midnight = local_date(datetime(2024, 4, 22, 0, 0, tzinfo=SHANGHAI))
    period = Period(date(2024, 4, 15), date(2024, 4, 28))
    only_sunday = weekly_compliance([sunday_night], period, date(2024, 4, 30), CALENDAR, 1)
    assert only_sunday.missed == (date(2024, 4, 22),)
    only_monday = weekly_compliance([monday_midnight], period, date(2024, 4, 30), CALENDAR, 1)
    assert only_monday.missed == (date(2024, 4, 15),)


def test_post_before_the_period_counts_for_a_week_that_straddles_it() -> None:
    result = weekly_compliance(
        [date(2018, 12, 31)], Period.quarter(2019, 1), date(2019, 4, 1), CALENDAR, 1
    )
    assert date(2018, 12, 31) not in result.missed
    assert len(result.missed) == 11


def test_undated_posts_never_count() -> None:
    period = Period(date(2024, 4, 15), date(2024, 4, 21))
    result = weekly_compliance([None, None], period, date(2024, 4, 30), CALENDAR, 1)
    assert result.missed == (date(2024, 4, 15),)


def test_min_posts_above_one_needs_that_many_posts_in_the_week() -> None:
    period = Period(date(2024, 4, 15), date(2024, 4, 28))
    posts = [date(2024, 4, 16), date(2024, 4, 18), date(2024, 4, 23)]
    result = weekly_compliance(posts, period, date(2024, 4, 30), CALENDAR, 2)
    assert result.weeks == (date(2024, 4, 15), date(2024, 4, 22))
    assert result.missed == (date(2024, 4, 22),)


def test_year_beyond_the_calendar_counts_weekdays_only() -> None:
    calendar = WorkCalendar()
    weeks = counted_weeks(Period.month(2027, 2), date(2027, 3, 31), calendar)
    assert len(weeks) == 4  # no Spring Festival known for 2027
    assert calendar.warnings_for(w.year for w in weeks) != []


days_2023_2025 = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31))
periods = st.tuples(days_2023_2025, st.integers(0, 120)).map(
    lambda start_length: Period(start_length[0], start_length[0] + timedelta(start_length[1]))
)
post_lists = st.lists(st.one_of(st.none(), days_2023_2025), max_size=30)


@given(post_lists, periods, days_2023_2025, st.integers(1, 3))
def test_missed_never_exceeds_weeks(posts, period, as_of, min_posts) -> None:
    result = weekly_compliance(posts, period, as_of, CALENDAR, min_posts)
    assert set(result.missed) <= set(result.weeks)


@given(post_lists, days_2023_2025, periods, days_2023_2025, st.integers(1, 3))
def test_adding_a_post_never_increases_missed(posts, extra, period, as_of, min_posts) -> None:
    before = weekly_compliance(posts, period, as_of, CALENDAR, min_posts)
    after = weekly_compliance([*posts, extra], period, as_of, CALENDAR, min_posts)
    assert set(after.missed) <= set(before.missed)


@given(post_lists, periods, days_2023_2025, st.integers(0, 60))
def test_later_as_of_never_decreases_weeks(posts, period, as_of, later_by) -> None:
    earlier = weekly_compliance(posts, period, as_of, CALENDAR, 1)
    later = weekly_compliance(posts, period, as_of + timedelta(later_by), CALENDAR, 1)
    assert set(earlier.weeks) <= set(later.weeks)


@given(post_lists, periods, days_2023_2025, st.one_of(st.none(), days_2023_2025))
def test_what_the_crawls_did_not_see_never_adds_a_miss(posts, period, as_of, until) -> None:
    everything = weekly_compliance(posts, period, as_of, CALENDAR, 1)
    seen = observed_compliance(posts, period, as_of, CALENDAR, 1, until)
    assert set(seen.missed) <= set(everything.missed)
    # Weeks met are met whatever was read; only unseen misses drop out of the count.
    met = set(everything.weeks) - set(everything.missed)
    assert met <= set(seen.weeks) and set(seen.missed) <= set(seen.weeks)


@given(post_lists, periods, days_2023_2025)
def test_columns_read_on_the_as_of_day_are_judged_on_everything(posts, period, as_of) -> None:
    assert observed_compliance(posts, period, as_of, CALENDAR, 1, as_of) == weekly_compliance(
        posts, period, as_of, CALENDAR, 1)

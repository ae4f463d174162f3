"""Column status at as-of and national staleness (SPEC §4.4, §5)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.calendar import WorkCalendar
from monitor.domain import Category, ColumnStatus, Cycle
from monitor.problem_details import stale_text
from monitor.rules.periods import Period
from monitor.rules.status import ColumnState, column_state, deadline_in, national_staleness
from monitor.rules.weekly import weekly_compliance

CALENDAR = WorkCalendar()


def state(
    cycle: Cycle,
    posts: list[date | None],
    as_of: date,
    *,
    category: Category = Category.DYNAMICS,
    deadline: str | None = None,
    due_soon_workdays: int = 2,
    failed: bool = False,
) -> ColumnState:
    return column_state(
        cycle, category, deadline, [day for day in posts if day is not None], as_of, CALENDAR,
        due_soon_workdays, failed, has_any_post=bool(posts),
    )


# --- weekly -------------------------------------------------------------------------------

def test_spec_example_is_overdue_since_the_week_after_the_last_post() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 8), date(2024, 4, 19)], date(2024, 5, 10))
    assert result.status is ColumnStatus.OVERDUE
    assert result.last_post == date(2024, 4, 19)
    assert result.due == date(2024, 4, 28)
    assert result.stale


def test_a_post_in_the_current_week_does_not_move_the_missed_deadline() -> None:
    # Week 04-22..28 had no post; a post on Monday 04-29 does not count for it.
    result = state(Cycle.WEEKLY, [date(2024, 4, 19), date(2024, 4, 29)], date(2024, 5, 4))
    assert (result.status, result.due) == (ColumnStatus.OVERDUE, date(2024, 4, 28))


def test_overdue_due_is_the_first_of_several_missed_weeks() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 3, 29)], date(2024, 4, 22))
    assert (result.status, result.due) == (ColumnStatus.OVERDUE, date(2024, 4, 7))


def test_weekly_ok_when_last_ended_week_has_a_post() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 12)], date(2024, 4, 16))
    assert result.status is ColumnStatus.OK
    assert result.due == date(2024, 4, 21)


def test_due_soon_counts_the_as_of_day_itself() -> None:
    posts = [date(2024, 4, 12)]
    assert state(Cycle.WEEKLY, posts, date(2024, 4, 17)).status is ColumnStatus.OK  # Wed: 3 left
    thursday = state(Cycle.WEEKLY, posts, date(2024, 4, 18))  # Thursday and Friday left
    assert thursday.status is ColumnStatus.DUE_SOON
    assert thursday.due == date(2024, 4, 21)


def test_due_soon_counts_a_make_up_sunday_as_a_remaining_working_day() -> None:
    posts = [date(2024, 4, 19)]
    # Week of 2024-04-22: Sunday 04-28 is a 调休 working day.
    assert state(Cycle.WEEKLY, posts, date(2024, 4, 25)).status is ColumnStatus.OK
    assert state(Cycle.WEEKLY, posts, date(2024, 4, 26)).status is ColumnStatus.DUE_SOON


def test_due_soon_uses_the_configured_number_of_working_days() -> None:
    posts = [date(2024, 4, 12)]
    wednesday = date(2024, 4, 17)
    assert state(Cycle.WEEKLY, posts, wednesday, due_soon_workdays=3).status is (
        ColumnStatus.DUE_SOON
    )


def test_posted_this_week_is_ok_and_due_next_week() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 12), date(2024, 4, 16)], date(2024, 4, 18))
    assert result.status is ColumnStatus.OK
    assert result.due == date(2024, 4, 28)


def test_holiday_week_is_neither_overdue_nor_due() -> None:
    # 2019-02-04..02-10 is the Spring Festival: no working day, nothing is required.
    during = state(Cycle.WEEKLY, [date(2019, 2, 1)], date(2019, 2, 6))
    assert during.status is ColumnStatus.OK
    assert during.due == date(2019, 2, 17)
    after = state(Cycle.WEEKLY, [date(2019, 2, 1)], date(2019, 2, 12))
    assert after.status is ColumnStatus.OK


def test_week_ending_on_the_as_of_sunday_is_still_current() -> None:
    # A week has ended when its Sunday is over (SPEC §4.3): on Sunday it is still due soon.
    result = state(Cycle.WEEKLY, [date(2024, 4, 12)], date(2024, 4, 21))
    assert result.status is ColumnStatus.DUE_SOON
    assert result.due == date(2024, 4, 21)


def test_week_is_missed_on_the_monday_after_its_sunday() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 12)], date(2024, 4, 22))
    assert (result.status, result.due) == (ColumnStatus.OVERDUE, date(2024, 4, 21))


def test_make_up_working_sunday_is_the_current_week_until_it_is_over() -> None:
    # 2024-04-28 is a 调休 working Sunday: the week of 04-22 is current all day, missed on 04-29.
    posts = [date(2024, 4, 19)]
    sunday = state(Cycle.WEEKLY, posts, date(2024, 4, 28))
    assert (sunday.status, sunday.due) == (ColumnStatus.DUE_SOON, date(2024, 4, 28))
    monday = state(Cycle.WEEKLY, posts, date(2024, 4, 29))
    assert (monday.status, monday.due) == (ColumnStatus.OVERDUE, date(2024, 4, 28))


def test_post_on_the_make_up_sunday_meets_its_own_week() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 19), date(2024, 4, 28)], date(2024, 4, 28))
    assert (result.status, result.due) == (ColumnStatus.OK, date(2024, 5, 5))


def test_posts_after_as_of_are_not_known_yet() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 12), date(2024, 5, 6)], date(2024, 4, 23))
    assert result.last_post == date(2024, 4, 12)
    assert result.status is ColumnStatus.OVERDUE


def test_weekly_in_a_year_beyond_the_calendar_uses_weekdays() -> None:
    calendar = WorkCalendar()
    result = column_state(
        Cycle.WEEKLY, Category.DYNAMICS, None, [date(2027, 1, 8)], date(2027, 1, 13), calendar,
        2, False, True,
    )
    assert result.status is ColumnStatus.OK
    assert calendar.warnings()[0].startswith("2027年：")


# --- empty, undated, unreachable -------------------------------------------------------------

def test_column_never_posted_is_empty() -> None:
    result = state(Cycle.WEEKLY, [], date(2024, 5, 10))
    assert result.status is ColumnStatus.EMPTY
    assert result.last_post is None
    assert result.stale  # a dynamics column with no post breaks the national rule


def test_undated_posts_make_a_column_not_empty_but_never_count_as_updates() -> None:
    result = state(Cycle.WEEKLY, [None], date(2024, 5, 10))
    assert result.status is ColumnStatus.OVERDUE
    assert result.last_post is None
    assert result.stale


def test_failed_crawl_is_unreachable_never_overdue() -> None:
    result = state(Cycle.WEEKLY, [date(2024, 4, 19)], date(2024, 5, 10), failed=True)
    assert result.status is ColumnStatus.UNREACHABLE
    assert result.stale  # still computed from the posts known so far
    assert result.last_post == date(2024, 4, 19)


def test_failed_crawl_is_unreachable_never_empty() -> None:
    result = state(Cycle.MONTHLY, [], date(2024, 5, 10), failed=True)
    assert result.status is ColumnStatus.UNREACHABLE


# --- monthly and quarterly ---------------------------------------------------------------------

@pytest.mark.parametrize(("posts", "status", "due"), [
    ([date(2024, 4, 15)], ColumnStatus.OK, date(2024, 5, 31)),
    ([date(2024, 3, 31)], ColumnStatus.OVERDUE, date(2024, 4, 30)),
    ([date(2024, 4, 1), date(2024, 5, 2)], ColumnStatus.OK, date(2024, 6, 30)),
])
def test_monthly_needs_a_post_in_the_previous_month(posts, status, due) -> None:
    result = state(Cycle.MONTHLY, posts, date(2024, 5, 10), category=Category.DISCLOSURE)
    assert (result.status, result.due) == (status, due)


@pytest.mark.parametrize(("posts", "status", "due"), [
    ([date(2024, 2, 1)], ColumnStatus.OK, date(2024, 6, 30)),
    ([date(2023, 12, 31)], ColumnStatus.OVERDUE, date(2024, 3, 31)),
    ([date(2024, 3, 31), date(2024, 4, 1)], ColumnStatus.OK, date(2024, 9, 30)),
])
def test_quarterly_needs_a_post_in_the_previous_quarter(posts, status, due) -> None:
    result = state(Cycle.QUARTERLY, posts, date(2024, 5, 10), category=Category.DISCLOSURE)
    assert (result.status, result.due) == (status, due)


def test_monthly_in_january_looks_at_last_december() -> None:
    result = state(Cycle.MONTHLY, [date(2023, 12, 5)], date(2024, 1, 3))
    assert result.status is ColumnStatus.OK


# --- yearly ------------------------------------------------------------------------------------

def yearly(posts: list[date | None], as_of: date, deadline: str | None = "03-31") -> ColumnState:
    return state(Cycle.YEARLY, posts, as_of, category=Category.REPORT, deadline=deadline)


def test_yearly_on_the_deadline_day_is_due_soon_not_overdue() -> None:
    result = yearly([date(2023, 3, 20)], date(2024, 3, 31))
    assert result.status is ColumnStatus.DUE_SOON
    assert result.due == date(2024, 3, 31)


def test_yearly_the_day_after_the_deadline_is_overdue() -> None:
    result = yearly([date(2023, 3, 20)], date(2024, 4, 1))
    assert result.status is ColumnStatus.OVERDUE
    assert result.due == date(2024, 3, 31)


def test_yearly_posted_on_the_deadline_is_ok_until_next_year() -> None:
    result = yearly([date(2024, 3, 31)], date(2024, 4, 1))
    assert result.status is ColumnStatus.OK
    assert result.due == date(2025, 3, 31)


def test_yearly_due_soon_when_ten_working_days_remain() -> None:
    # 2024-03-18..03-29 are ten working days; 03-30/31 are a weekend.
    assert yearly([], date(2024, 3, 15)).status is ColumnStatus.EMPTY
    assert yearly([date(2023, 3, 1)], date(2024, 3, 15)).status is ColumnStatus.OK
    assert yearly([date(2023, 3, 1)], date(2024, 3, 18)).status is ColumnStatus.DUE_SOON


def test_yearly_already_posted_this_year_is_not_due_soon() -> None:
    result = yearly([date(2024, 2, 1)], date(2024, 3, 25))
    assert result.status is ColumnStatus.OK
    assert result.due == date(2025, 3, 31)


def test_yearly_without_deadline_overdue_after_365_days() -> None:
    on_time = yearly([date(2023, 5, 10)], date(2024, 5, 9), deadline=None)
    assert (on_time.status, on_time.due) == (ColumnStatus.OK, date(2024, 5, 9))
    late = yearly([date(2023, 5, 10)], date(2024, 5, 10), deadline=None)
    assert late.status is ColumnStatus.OVERDUE


def test_leap_day_deadline_falls_on_28_february_in_a_common_year() -> None:
    assert deadline_in(2023, "02-29") == date(2023, 2, 28)
    assert deadline_in(2024, "02-29") == date(2024, 2, 29)


def test_bad_deadline_is_rejected() -> None:
    with pytest.raises(ValueError, match="MM-DD"):
        deadline_in(2024, "March 31")


# --- none and the national rule -----------------------------------------------------------------

def test_cycle_none_has_no_due_date_but_keeps_the_national_rule() -> None:
    result = state(Cycle.NONE, [date(2024, 4, 1)], date(2024, 5, 10))
    assert (result.status, result.due, result.stale) == (ColumnStatus.OK, None, True)


@pytest.mark.parametrize(("category", "days_old", "stale"), [
    (Category.DYNAMICS, 14, False),
    (Category.DYNAMICS, 15, True),
    (Category.NOTICE, 183, False),
    (Category.NOTICE, 184, True),
    (Category.POLICY, 184, True),
    (Category.GUIDE, 1000, False),
])
def test_national_staleness_limits(category: Category, days_old: int, stale: bool) -> None:
    as_of = date(2024, 12, 31)
    last_post = date.fromordinal(as_of.toordinal() - days_old)
    assert (national_staleness(category, last_post, as_of) is not None) is stale


def test_stale_reason_names_the_last_post_and_its_age() -> None:
    facts = national_staleness(Category.DYNAMICS, date(2024, 4, 19), date(2024, 5, 10))
    assert facts is not None
    assert stale_text(facts) == "最近发布2024-04-19，已21天未更新（动态类栏目不超过14天）"


def test_an_empty_dynamics_column_is_stale_for_having_no_posts_at_all() -> None:
    facts = national_staleness(Category.DYNAMICS, None, date(2024, 5, 10), has_posts=False)
    assert facts is not None
    assert stale_text(facts) == "栏目无任何信息；动态类栏目应在14天内更新"


def test_a_dynamics_column_of_undated_posts_is_stale_for_its_undated_posts() -> None:
    facts = national_staleness(Category.DYNAMICS, None, date(2024, 5, 10), has_posts=True)
    assert facts is not None
    assert stale_text(facts) == "栏目信息均未标注日期；动态类栏目应在14天内更新"


def test_empty_notice_column_is_reported_as_empty_not_stale() -> None:
    result = state(Cycle.NONE, [], date(2024, 5, 10), category=Category.NOTICE)
    assert (result.status, result.stale) == (ColumnStatus.EMPTY, False)


# --- agreement with the weekly rule -----------------------------------------------------------

days_2023_2025 = st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31))


@given(st.lists(days_2023_2025, min_size=1, max_size=20), days_2023_2025)
def test_weekly_overdue_exactly_when_the_last_counted_week_is_missed(posts, as_of) -> None:
    result = state(Cycle.WEEKLY, posts, as_of)
    recent = Period(as_of - timedelta(days=120), as_of)
    weekly = weekly_compliance(posts, recent, as_of, CALENDAR, 1)
    last_week_missed = bool(weekly.weeks) and weekly.weeks[-1] in weekly.missed
    assert (result.status is ColumnStatus.OVERDUE) is last_week_missed

from datetime import date, datetime

from monitor.domain import ColumnStatus, DateSource
from sampleportal.clock import SHANGHAI
from sampleportal.model import Behaviour
from sampleportal.truth_rules import completion, counted_weeks, dense_ranks

NOW = datetime(2024, 5, 10, 9, 0, tzinfo=SHANGHAI)


def _unit_with(portal, behaviour):
    return next(unit for unit in portal.units if unit.behaviour is behaviour)


def test_2019_first_quarter_counts_exactly_12_weeks():
    assert len(counted_weeks(date(2019, 1, 1), date(2019, 3, 31), date(2019, 4, 1))) == 12


def test_silent_unit_misses_all_12_weeks_of_2019_q1(portal, truth):
    silent = _unit_with(portal, Behaviour.SILENT)
    at = datetime(2019, 4, 1, 9, 0, tzinfo=SHANGHAI)
    weeks, missed = truth.weekly_misses(silent.name, date(2019, 1, 1), date(2019, 3, 31), at)
    assert len(weeks) == 12
    assert missed == weeks


def test_week_not_ended_by_as_of_is_not_counted():
    weeks = counted_weeks(date(2024, 5, 1), date(2024, 5, 31), date(2024, 5, 10))
    # 29 Apr - 5 May has no working day in May; 6-12 May ends after as-of.
    assert weeks == []


def test_week_whose_days_in_period_are_all_holidays_is_not_counted():
    # 29 Apr - 5 May 2024: inside May only the Labour Day holidays.
    weeks = counted_weeks(date(2024, 5, 1), date(2024, 5, 31), date(2024, 6, 3))
    assert date(2024, 4, 29) not in weeks
    assert date(2024, 4, 29) in counted_weeks(date(2024, 4, 1), date(2024, 4, 30),
                                              date(2024, 5, 6))


def test_holiday_gap_unit_misses_nothing_in_may_but_the_week_in_april(portal, truth):
    unit = _unit_with(portal, Behaviour.HOLIDAY_GAPS)
    at = datetime(2024, 6, 3, 9, 0, tzinfo=SHANGHAI)
    assert truth.weekly_misses(unit.name, date(2024, 5, 1), date(2024, 5, 31), at)[1] == []
    assert truth.weekly_misses(unit.name, date(2024, 4, 1), date(2024, 4, 30), at)[1] == [
        date(2024, 4, 29)]


def test_tiaoxiu_gap_unit_misses_the_week_of_the_working_sunday(portal, truth):
    unit = _unit_with(portal, Behaviour.TIAOXIU_GAPS)
    _, missed = truth.weekly_misses(unit.name, date(2024, 1, 1), date(2024, 3, 31), NOW)
    assert missed == [date(2024, 2, 12)]


def test_lapsed_unit_is_overdue_and_stale(portal, truth):
    unit = _unit_with(portal, Behaviour.LAPSED)
    state = truth.column_status(unit.name, "工作动态", NOW)
    assert state.status is ColumnStatus.OVERDUE
    assert state.stale
    assert (NOW.date() - state.last_post).days > 14


def test_silent_unit_columns_are_empty(portal, truth):
    unit = _unit_with(portal, Behaviour.SILENT)
    assert {state.status for state in truth.column_statuses(NOW) if state.unit == unit.name} == {
        ColumnStatus.EMPTY}


def test_late_and_missing_annual_reports_are_overdue(truth):
    assert truth.column_status("桃源镇", "政府信息公开年度报告", NOW).status is ColumnStatus.OVERDUE
    assert truth.column_status("云岭乡", "政府信息公开年度报告", NOW).status is ColumnStatus.OVERDUE
    assert truth.column_status("县水利局", "政府信息公开年度报告", NOW).status is ColumnStatus.OK


def test_empty_column_of_a_diligent_unit(truth):
    assert truth.column_status("云岭乡", "公开指南", NOW).status is ColumnStatus.EMPTY


def test_backdating_unit_has_posts_appearing_days_after_their_date(portal, truth):
    unit = _unit_with(portal, Behaviour.BACKDATING)
    backdated = [post for post in truth.posts(unit=unit.name) if post.backdated]
    assert len(backdated) >= 10
    assert all(post.unit == unit.name for post in truth.posts() if post.backdated)


def test_every_date_source_occurs_including_undated(truth):
    sources = {post.date_source for post in truth.posts(NOW)}
    assert sources == {DateSource.LIST, DateSource.META, DateSource.VISIBLE, None}


def test_withdrawn_posts_are_not_live_but_were_seen(truth):
    live = {post.path for post in truth.posts(NOW)}
    seen = {post.path for post in truth.posts(NOW, include_withdrawn=True)}
    assert seen > live
    assert all(post.withdrawn_at is not None for post in truth.posts(NOW, True)
               if post.path not in live)


def test_completion_rounds_half_up_and_ranks_are_dense():
    assert str(completion(86, 450)) == "19.11"
    assert str(completion(1, 8)) == "12.50"
    assert dense_ranks([completion(5, 10), completion(2, 10), completion(2, 10),
                        completion(1, 10)]) == [1, 2, 2, 3]


def test_figures_rank_every_unit_within_its_group(truth):
    rows = truth.figures(date(2024, 4, 1), date(2024, 4, 30), NOW)
    assert len(rows) == 12
    for group in ("县直单位", "乡镇"):
        ranks = sorted(row.rank_in_group for row in rows if row.group == group)
        assert ranks[0] == 1
    silent = next(row for row in rows if row.unit == "县市场监督管理局")
    assert silent.ytd_total == 0 and silent.missed == silent.weeks == 5

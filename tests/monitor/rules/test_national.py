"""The national indicators' items at, below and above their thresholds (SPEC §4.8)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from monitor.domain import ColumnStatus, Cycle
from monitor.rules.national import (
    BrokenLink,
    JudgedColumn,
    NationalFacts,
    NationalKey,
    NationalThresholds,
    ProbeWindow,
    national_indicators,
)

AS_OF = date(2024, 5, 10)
LIMITS = NationalThresholds()
FULL_WEEK = ProbeWindow(140, 0, ())


def column(name: str, status: ColumnStatus = ColumnStatus.OK, stale: bool = False,
           cycle: Cycle = Cycle.WEEKLY, last_post: date | None = date(2024, 5, 8)
           ) -> JudgedColumn:
    return JudgedColumn("县水利局", name, cycle, status, stale, last_post)


def facts(probe: ProbeWindow = FULL_WEEK, home: date | None = AS_OF,
          columns: tuple[JudgedColumn, ...] = (), home_broken: tuple[BrokenLink, ...] = (),
          other_broken: tuple[BrokenLink, ...] = ()) -> NationalFacts:
    return NationalFacts(probe, home, columns, home_broken, other_broken)


def item(result, key: NationalKey):
    return next(found for found in result.items if found.key is key)


@pytest.mark.parametrize(("failures", "value", "veto", "warned"), [
    (4, 2.86, False, False),   # below the warning level
    (5, 3.57, False, True),    # above the 3 % warning, below the veto
    (7, 5.0, True, True),      # exactly 5 %: vetoes
    (8, 5.71, True, True),
])
def test_site_unavailable_vetoes_at_five_percent_of_probes(failures, value, veto, warned):
    result = national_indicators(facts(ProbeWindow(140, failures, ())), AS_OF, LIMITS)
    found = item(result, NationalKey.SITE_UNAVAILABLE)
    assert (found.value, found.unit, found.threshold, found.veto, found.warned) == (
        value, "%", 5, veto, warned)
    assert result.veto is veto


def test_site_unavailable_is_not_judged_on_days_with_too_few_probes():
    thin = ProbeWindow(130, 30, (date(2024, 5, 9),))
    found = item(national_indicators(facts(thin), AS_OF, LIMITS), NationalKey.SITE_UNAVAILABLE)
    assert (found.value, found.veto, found.warned) == (None, False, False)
    assert found.note == "1天监测次数少于每天20次，不作判定"


@pytest.mark.parametrize(("age", "veto", "warned"), [
    (10, False, False), (11, False, True), (14, False, True), (15, True, True)])
def test_home_page_older_than_two_weeks_vetoes(age, veto, warned):
    newest = AS_OF - timedelta(days=age)
    found = item(national_indicators(facts(home=newest), AS_OF, LIMITS),
                 NationalKey.HOME_NOT_UPDATED)
    assert (found.value, found.unit, found.threshold, found.veto, found.warned) == (
        age, "days", 14, veto, warned)
    assert found.behind == ({"newest_item": newest.isoformat()},)


def test_home_page_without_a_dated_item_is_not_judged():
    found = item(national_indicators(facts(home=None), AS_OF, LIMITS),
                 NationalKey.HOME_NOT_UPDATED)
    assert (found.value, found.veto, found.warned) == (None, False, False)


@pytest.mark.parametrize(("count", "veto", "warned"), [
    (2, False, False), (3, False, True), (4, False, True), (5, True, True), (6, True, True)])
def test_five_stale_columns_veto(count, veto, warned):
    columns = tuple(column(f"动态{n}", stale=True, last_post=date(2024, 4, 1))
                    for n in range(count)) + (column("正常"),)
    found = item(national_indicators(facts(columns=columns), AS_OF, LIMITS),
                 NationalKey.STALE_COLUMNS)
    assert (found.value, found.threshold, found.veto, found.warned) == (count, 5, veto, warned)
    assert found.behind[0] == {"unit": "县水利局", "column": "动态0", "last_post": "2024-04-01"}


@pytest.mark.parametrize(("count", "veto", "warned"), [
    (1, False, False), (2, False, True), (4, False, True), (5, True, True), (6, True, True)])
def test_five_blank_columns_veto(count, veto, warned):
    columns = tuple(column(f"空{n}", ColumnStatus.EMPTY, last_post=None) for n in range(count))
    found = item(national_indicators(facts(columns=columns), AS_OF, LIMITS),
                 NationalKey.BLANK_COLUMNS)
    assert (found.value, found.veto, found.warned) == (count, veto, warned)
    assert found.behind[0]["last_post"] is None


@pytest.mark.parametrize(("count", "veto", "warned"), [
    (5, False, False), (6, False, True), (9, False, True), (10, True, True), (11, True, True)])
def test_ten_columns_that_should_update_and_have_not_veto(count, veto, warned):
    columns = tuple(column(f"逾期{n}", ColumnStatus.OVERDUE) for n in range(count))
    found = item(national_indicators(facts(columns=columns), AS_OF, LIMITS),
                 NationalKey.UNUPDATED_COLUMNS)
    assert (found.value, found.threshold, found.veto, found.warned) == (count, 10, veto, warned)


def test_unupdated_counts_only_overdue_columns_with_a_cycle():
    columns = (column("周", ColumnStatus.OVERDUE), column("月", ColumnStatus.OVERDUE,
                                                          cycle=Cycle.MONTHLY),
               column("即将", ColumnStatus.DUE_SOON), column("不可达", ColumnStatus.UNREACHABLE),
               column("无周期", ColumnStatus.OVERDUE, cycle=Cycle.NONE))
    found = item(national_indicators(facts(columns=columns), AS_OF, LIMITS),
                 NationalKey.UNUPDATED_COLUMNS)
    assert [behind["column"] for behind in found.behind] == ["周", "月"]


def test_broken_links_never_veto_and_name_the_pages_behind_them():
    home = (BrokenLink("http://x/a", ("http://x/",)),)
    other = tuple(BrokenLink(f"http://x/b{n}", ("http://x/p1", "http://x/p2"))
                  for n in range(50))
    result = national_indicators(facts(home_broken=home, other_broken=other), AS_OF, LIMITS)
    on_home, elsewhere = (item(result, NationalKey.HOME_BROKEN_LINKS),
                          item(result, NationalKey.BROKEN_LINKS))
    assert (on_home.value, on_home.threshold, on_home.veto, on_home.warned) == (1, None, False,
                                                                               True)
    assert on_home.behind == ({"target": "http://x/a", "page": "http://x/"},)
    assert (elsewhere.value, elsewhere.veto, elsewhere.warned) == (50, False, False)
    assert len(elsewhere.behind) == 100
    assert result.veto is False


def test_no_home_broken_link_raises_no_warning():
    found = item(national_indicators(facts(), AS_OF, LIMITS), NationalKey.HOME_BROKEN_LINKS)
    assert (found.value, found.warned) == (0, False)


def test_column_counts_are_not_judged_when_no_column_was_read():
    columns = (column("动态", ColumnStatus.UNREACHABLE, stale=False),) * 3
    result = national_indicators(facts(columns=columns), AS_OF, LIMITS)
    for key in (NationalKey.STALE_COLUMNS, NationalKey.BLANK_COLUMNS,
                NationalKey.UNUPDATED_COLUMNS):
        found = item(result, key)
        assert (found.value, found.veto, found.warned) == (None, False, False)
        assert found.note == "栏目均未能读取，不作判定"


def test_one_column_read_is_enough_to_count():
    columns = (column("动态", ColumnStatus.UNREACHABLE), column("空", ColumnStatus.EMPTY))
    found = item(national_indicators(facts(columns=columns), AS_OF, LIMITS),
                 NationalKey.BLANK_COLUMNS)
    assert found.value == 1


def test_items_come_in_the_order_of_the_json_shape():
    result = national_indicators(facts(), AS_OF, LIMITS)
    assert [found.key.value for found in result.items] == [
        "site_unavailable", "home_not_updated", "stale_columns", "blank_columns",
        "unupdated_columns", "home_broken_links", "broken_links"]
    assert [found.label for found in result.items][:2] == ["站点无法访问", "首页不更新"]

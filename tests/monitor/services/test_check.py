"""`check_unit`: a unit's columns, weekly rule and open problems at an as-of day."""

from __future__ import annotations

from datetime import date

from monitor.domain import ColumnStatus, ProblemType
from monitor.rules.periods import Period
from monitor.services.check import check_document, check_unit
from monitor.services.problems import refresh_rule_problems

AS_OF = date(2024, 5, 10)


def water_bureau(portal):
    return portal.configure(portal.portal_config(portal.unit(
        "县水利局",
        portal.column("工作动态", "slj/gzdt"),
        portal.column("通知公告", "slj/tzgg", category="notice", cycle="monthly"),
        aliases=["水利局"], target=450,
    )))


def spec_example_posts(portal) -> None:
    """Every Wednesday from 3 January to 10 April except 14 February, then 19 April:
    the weeks of 12 February, 22 April and 29 April have no post (SPEC §5 example)."""
    portal.weekly_posts("slj/gzdt", date(2024, 1, 3), date(2024, 4, 10),
                        skip=(date(2024, 2, 14),))
    portal.post("slj/gzdt", date(2024, 4, 19))


def test_spec_example_gives_the_spec_figures(portal) -> None:
    config = water_bureau(portal)
    spec_example_posts(portal)
    portal.post("slj/tzgg", date(2024, 4, 2))
    portal.crawl(portal.at("2024-05-10 02:00"))
    result = check_unit(portal.session, config, "水利局", AS_OF)
    document = check_document(result)
    assert document["unit"] == "县水利局"
    assert document["as_of"] == "2024-05-10"
    dynamics = document["columns"][0]
    assert {key: dynamics[key] for key in (
        "name", "category", "cycle", "posts", "last_post", "status", "stale", "due")} == {
        "name": "工作动态", "category": "dynamics", "cycle": "weekly", "posts": 15,
        "last_post": "2024-04-19", "status": "overdue", "stale": True, "due": "2024-04-28"}
    assert document["weekly"] == {"from": "2024-01-01", "to": "2024-05-10", "weeks": 18,
                                  "missed": 3,
                                  "missed_weeks": ["2024-02-12", "2024-04-22", "2024-04-29"]}
    notice = document["columns"][1]
    assert (notice["status"], notice["due"], notice["stale"]) == ("ok", "2024-05-31", False)


def test_posts_after_as_of_and_withdrawn_posts_do_not_count(portal) -> None:
    config = water_bureau(portal)
    portal.post("slj/gzdt", date(2024, 5, 6))
    portal.post("slj/gzdt", date(2024, 5, 7), removed=portal.at("2024-05-09 02:00"))
    portal.post("slj/gzdt", date(2024, 5, 12))
    portal.crawl(portal.at("2024-05-13 02:00"))
    result = check_unit(portal.session, config, "县水利局", AS_OF)
    dynamics = result.columns[0]
    assert (dynamics.posts, dynamics.last_post) == (1, date(2024, 5, 6))
    assert (dynamics.posts_this_week, dynamics.posts_this_month) == (1, 1)


def test_column_whose_last_crawl_failed_is_unreachable_not_overdue(portal) -> None:
    config = water_bureau(portal)
    spec_example_posts(portal)
    portal.crawl(portal.at("2024-04-20 02:00"))
    portal.crawl(portal.at("2024-05-10 02:00"), failed={"slj/gzdt": "HTTP 503"})
    result = check_unit(portal.session, config, "县水利局", AS_OF)
    dynamics = result.columns[0]
    assert dynamics.status is ColumnStatus.UNREACHABLE
    assert dynamics.unreachable_reason == "最近一次抓取无法访问栏目：服务器出错（HTTP 503）"
    assert dynamics.stale is False
    # Its last known posts still count.
    assert (dynamics.posts, dynamics.last_post) == (15, date(2024, 4, 19))
    # Nobody saw the weeks of 22 and 29 April: unknown, not missed (the 19 April post
    # still meets its week).
    assert result.weekly.missed == (date(2024, 2, 12),)
    assert len(result.weekly.weeks) == 16


def test_a_column_never_crawled_is_not_judged(portal) -> None:
    config = water_bureau(portal)
    result = check_unit(portal.session, config, "县水利局", AS_OF)
    assert [c.status for c in result.columns] == [ColumnStatus.UNREACHABLE] * 2
    assert [c.unreachable_reason for c in result.columns] == ["尚未抓取"] * 2
    refresh_rule_problems(portal.session, config, portal.at("2024-05-10 09:00"))
    assert check_unit(portal.session, config, "县水利局", AS_OF).problems == ()


def test_a_unit_never_crawled_misses_no_week_and_one_read_empty_misses_them_all(
        portal) -> None:
    config = water_bureau(portal)
    before = check_document(check_unit(portal.session, config, "县水利局", AS_OF))["weekly"]
    assert (before["weeks"], before["missed"], before["missed_weeks"]) == (0, 0, [])
    portal.crawl(portal.at("2024-05-10 02:00"))
    after = check_document(check_unit(portal.session, config, "县水利局", AS_OF))["weekly"]
    assert (after["weeks"], after["missed"]) == (18, 18)


def test_a_column_with_only_undated_posts_is_overdue_not_empty(portal) -> None:
    config = water_bureau(portal)
    portal.post("slj/gzdt", None)
    portal.crawl(portal.at("2024-05-10 02:00"))
    dynamics = check_unit(portal.session, config, "县水利局", AS_OF).columns[0]
    assert (dynamics.status, dynamics.posts, dynamics.last_post) == (
        ColumnStatus.OVERDUE, 0, None)


def test_a_column_without_posts_is_empty(portal) -> None:
    config = water_bureau(portal)
    portal.crawl(portal.at("2024-05-10 02:00"))
    statuses = [c.status for c in check_unit(portal.session, config, "县水利局", AS_OF).columns]
    assert statuses == [ColumnStatus.EMPTY, ColumnStatus.EMPTY]


def test_open_problems_of_the_unit_are_listed(portal) -> None:
    config = water_bureau(portal)
    spec_example_posts(portal)
    portal.post("slj/tzgg", date(2024, 4, 2))
    portal.crawl(portal.at("2024-05-10 02:00"))
    refresh_rule_problems(portal.session, config, portal.at("2024-05-10 09:00"))
    problems = check_document(check_unit(portal.session, config, "县水利局", AS_OF))["problems"]
    assert [(p["type"], p["column"], p["state"], p["first_seen"]) for p in problems] == [
        (ProblemType.OVERDUE_COLUMN.value, "工作动态", "open", "2024-05-10"),
        (ProblemType.STALE_NATIONAL.value, "工作动态", "open", "2024-05-10"),
    ]


def test_an_explicit_period_bounds_the_weekly_rule(portal) -> None:
    config = water_bureau(portal)
    spec_example_posts(portal)
    portal.crawl(portal.at("2024-05-10 02:00"))
    period = Period(date(2024, 4, 1), date(2024, 4, 30))
    weekly = check_unit(portal.session, config, "县水利局", AS_OF, period).weekly
    assert (len(weekly.weeks), weekly.missed) == (5, (date(2024, 4, 22), date(2024, 4, 29)))


def test_a_year_the_calendar_does_not_know_is_warned_about(portal) -> None:
    config = water_bureau(portal)
    portal.crawl(portal.at("2027-03-01 02:00"))
    result = check_unit(portal.session, config, "县水利局", date(2027, 3, 10))
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("2027年：官方节假日安排未知")
    assert check_unit(portal.session, config, "县水利局", AS_OF).warnings == ()

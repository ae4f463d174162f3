"""One judgement path: `check`, the weekly alert and the 月报's week grid read the same
judgement of the same stored facts (SPEC §4.3, §4.4)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from monitor.alerts.gather import gather_week
from monitor.domain import ColumnStatus, ProblemType
from monitor.rules.periods import Period
from monitor.services.check import check_unit
from monitor.services.judgement import judge_portal
from monitor.services.problems import refresh_rule_problems
from monitor.services.reports import weekly_results
from storage.models import Problem, Unit
from storage.queries import site_id_of
from tests.conftest import one_site


def water_bureau(portal):
    return portal.configure(portal.portal_config(portal.unit(
        "县水利局", portal.column("工作动态", "slj/gzdt"), aliases=["水利局"], target=450)))


def test_a_withdrawn_post_counts_neither_in_check_nor_in_the_alert(portal) -> None:
    config = water_bureau(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.post("slj/gzdt", date(2024, 5, 6), removed=portal.at("2024-05-08 02:00"))
    portal.crawl(portal.at("2024-05-10 02:00"))
    refresh_rule_problems(portal.session, config, portal.at("2024-05-10 09:00"))
    as_of = date(2024, 5, 10)

    column = check_unit(portal.session, config, "水利局", as_of).columns[0]
    site_id = site_id_of(portal.session, config.site.url)
    alert = gather_week(portal.session, config, site_id, as_of).units[0]

    assert (column.status, column.last_post) == (ColumnStatus.OVERDUE, date(2024, 4, 19))
    assert [(lag.status, lag.last_post, lag.due) for lag in alert.overdue] == [
        (ColumnStatus.OVERDUE, date(2024, 4, 19), date(2024, 4, 28))]


def test_a_column_whose_last_crawl_failed_is_not_judged_overdue_by_the_alert(portal) -> None:
    config = water_bureau(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-05-09 02:00"))
    refresh_rule_problems(portal.session, config, portal.at("2024-05-09 09:00"))
    portal.crawl(portal.at("2024-05-10 02:00"), failed={"slj/gzdt": "HTTP 503"})
    site_id = site_id_of(portal.session, config.site.url)
    # The overdue problem of the day before stays open (the failed crawl moves nothing), but
    # the alert reports the column as the one judgement sees it: unreachable, not overdue.
    judged = judge_portal(portal.session, config, site_id, date(2024, 5, 10)).columns[0]
    assert judged.status is ColumnStatus.UNREACHABLE
    alert = gather_week(portal.session, config, site_id, date(2024, 5, 10)).units[0]
    assert alert.overdue == ()
    assert [lag.status for lag in alert.unreachable] == [ColumnStatus.UNREACHABLE]


def test_check_alert_and_report_agree_on_the_make_up_sunday_and_the_monday_after(
    portal,
) -> None:
    config = water_bureau(portal)
    portal.weekly_posts("slj/gzdt", date(2024, 4, 1), date(2024, 4, 15))
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-04-28 02:00"))
    site_id = site_id_of(portal.session, config.site.url)
    april = Period.month(2024, 4)
    for day, status, missed in (
        (date(2024, 4, 28), ColumnStatus.DUE_SOON, ()),
        (date(2024, 4, 29), ColumnStatus.OVERDUE, (date(2024, 4, 22),)),
    ):
        checked = check_unit(portal.session, config, "水利局", day, april)
        alert = gather_week(portal.session, config, site_id, day).units[0]
        grid = weekly_results(portal.session, config, april, day)["县水利局"]
        assert checked.columns[0].status is status
        assert checked.weekly.missed == missed == grid.missed == alert.missed_this_month


def test_a_privacy_leak_reaches_the_units_alert_with_its_article(portal) -> None:
    config = water_bureau(portal)
    post = portal.post("slj/gzdt", date(2024, 5, 9), title="关于低保对象的公示")
    portal.crawl(portal.at("2024-05-13 02:00"))
    column_id = portal.column_id("slj/gzdt")
    unit_id = portal.session.scalars(select(Unit.id)).one()
    portal.session.add(Problem(
        site_id=one_site(portal.session),
        type=ProblemType.PRIVACY_LEAK.value, key="privacy", unit_id=unit_id,
        column_id=column_id, url=post.url, detail="正文疑似泄露身份证号",
        first_seen=portal.at("2024-05-13 02:00"), last_seen=portal.at("2024-05-13 02:00")))
    portal.session.commit()
    site_id = site_id_of(portal.session, config.site.url)
    week = gather_week(portal.session, config, site_id, date(2024, 5, 13))
    [leak] = week.units[0].urgent
    assert (leak.label, leak.title, leak.posted_on) == (
        "疑似泄露个人隐私", "关于低保对象的公示", date(2024, 5, 9))
    assert week.units[0].behind
    # Five working days after Monday 13 May (rules.rectify_workdays' default).
    assert week.rectify_by == date(2024, 5, 20)


def test_the_rectification_deadline_skips_holidays_and_counts_make_up_days(portal) -> None:
    config = water_bureau(portal)
    portal.crawl(portal.at("2024-04-29 02:00"))
    site_id = site_id_of(portal.session, config.site.url)
    # After Monday 29 April: 30 April, then 1-5 May off, then 6, 7, 8, 9 May.
    assert gather_week(portal.session, config, site_id, date(2024, 4, 29)).rectify_by == (
        date(2024, 5, 9))


def test_the_alerts_do_not_read_posts_themselves() -> None:
    from monitor.alerts import gather

    # Their judgement is the one of `judge_portal`; posts reach them only through it.
    assert not hasattr(gather, "Post") and not hasattr(gather, "column_state")

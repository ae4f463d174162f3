"""One judgement path: `check`, the weekly alert and the 月报's week grid read the same
judgement of the same stored facts (SPEC §4.3, §4.4)."""

from __future__ import annotations

from datetime import date

from monitor.alerts.gather import gather_week
from monitor.domain import ColumnStatus
from monitor.rules.periods import Period
from monitor.services.check import check_unit
from monitor.services.judgement import judge_portal
from monitor.services.problems import refresh_rule_problems
from monitor.services.reports import weekly_results
from storage.queries import site_id_of


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

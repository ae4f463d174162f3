"""`unit_stats`: per-unit counts, weekly figures, completion and dense ranks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from monitor.rules.periods import Period
from monitor.services.stats import stats_document, unit_stats

APRIL = Period(date(2024, 4, 1), date(2024, 4, 30))


def three_units(portal):
    return portal.configure(portal.portal_config(
        portal.unit("县水利局", portal.column("工作动态", "slj/gzdt"),
                    portal.column("通知公告", "slj/tzgg", category="notice", cycle="monthly"),
                    target=450),
        portal.unit("县卫健委", portal.column("工作动态", "wjw/gzdt"), target=4),
        portal.unit("青石镇", portal.column("乡镇动态", "qsz/xzdt"), group="乡镇"),
    ))


def test_counts_split_dynamics_and_disclosure_for_period_and_year(portal) -> None:
    config = three_units(portal)
    portal.post("slj/gzdt", date(2024, 3, 4))
    portal.post("slj/gzdt", date(2024, 4, 3))
    portal.post("slj/gzdt", date(2024, 4, 10))
    portal.post("slj/tzgg", date(2024, 4, 11))
    portal.post("slj/tzgg", date(2023, 12, 29))
    portal.post("slj/tzgg", None)
    portal.post("slj/tzgg", date(2024, 4, 12), removed=portal.at("2024-04-20 02:00"))
    portal.post("slj/gzdt", date(2024, 5, 6))
    portal.crawl(portal.at("2024-05-10 02:00"))
    document = stats_document(unit_stats(portal.session, config, date(2024, 5, 10), APRIL))
    water = document[0]
    assert water["unit"] == "县水利局" and water["group"] == "县直单位"
    assert water["period"] == {"from": "2024-04-01", "to": "2024-04-30", "dynamics": 2,
                               "disclosure": 1, "total": 3}
    # Year to date runs to the period's end, not to as-of.
    assert water["ytd"] == {"dynamics": 3, "disclosure": 1, "total": 4}
    # April's weeks: 1, 8, 15, 22 and 29 April; posts in the first two only.
    assert water["weekly"] == {"weeks": 5, "missed": 3}
    assert water["completion"] == 0.89


def test_completion_and_dense_ranks_within_group_and_overall(portal) -> None:
    config = three_units(portal)
    for day in (3, 10, 17):
        portal.post("wjw/gzdt", date(2024, 4, day))
    for day in (3, 10, 17, 24):
        portal.post("slj/gzdt", date(2024, 4, day))
    result = unit_stats(portal.session, config, date(2024, 4, 30), APRIL)
    figures = {figure.unit: figure for figure in result.figures}
    assert figures["县卫健委"].completion == Decimal("75.00")
    assert figures["县水利局"].completion == Decimal("0.89")
    assert figures["青石镇"].completion is None
    assert [(f.unit, f.rank, f.rank_in_group) for f in result.figures] == [
        ("县水利局", 2, 2), ("县卫健委", 1, 1), ("青石镇", None, None)]


def test_default_period_is_the_current_month_up_to_as_of(portal) -> None:
    config = three_units(portal)
    portal.post("qsz/xzdt", date(2024, 5, 2))
    portal.post("qsz/xzdt", date(2024, 5, 20))
    portal.crawl(portal.at("2024-05-13 02:00"))
    result = unit_stats(portal.session, config, date(2024, 5, 13))
    assert result.period == Period(date(2024, 5, 1), date(2024, 5, 13))
    township = stats_document(result)[2]
    assert township["period"]["total"] == 1
    # 1-5 May are Labour Day holidays, so only the week of 6 May counts, and it has no post.
    assert township["weekly"] == {"weeks": 1, "missed": 1}


def test_posts_in_the_week_around_the_period_start_count_for_that_week(portal) -> None:
    config = three_units(portal)
    # The period starts on Wednesday 27 March; its only week is that of Monday 25 March.
    # A post on Monday 25 March is outside the period but inside its week.
    portal.post("qsz/xzdt", date(2024, 3, 25))
    period = Period(date(2024, 3, 27), date(2024, 3, 31))
    township = unit_stats(portal.session, config, date(2024, 4, 30), period).figures[2]
    assert (township.weeks, township.missed, township.period.total) == (1, 0, 0)


def test_an_unknown_year_carries_the_calendar_warning(portal) -> None:
    config = three_units(portal)
    document = stats_document(unit_stats(portal.session, config, date(2027, 2, 10)))
    assert all(len(unit["warnings"]) == 1 for unit in document)
    assert document[0]["warnings"][0].startswith("2027年：")


def test_weeks_nobody_could_see_are_not_missed(portal) -> None:
    config = three_units(portal)
    portal.post("slj/gzdt", date(2024, 4, 3))

    def weekly() -> dict[str, tuple[int, int]]:
        result = unit_stats(portal.session, config, date(2024, 5, 10), APRIL)
        return {figure.unit: (figure.weeks, figure.missed) for figure in result.figures}

    # Before any crawl only the post's week is known, and it is met.
    assert weekly() == {"县水利局": (1, 0), "县卫健委": (0, 0), "青石镇": (0, 0)}
    # Read on Monday 15 April, then 青石镇's column failed: the weeks of 1 and 8 April were
    # over when it was last read, those from 15 April nobody saw.
    portal.crawl(portal.at("2024-04-15 02:00"))
    portal.crawl(portal.at("2024-05-10 02:00"), failed={"qsz/xzdt": "HTTP 503"})
    assert weekly() == {"县水利局": (5, 4), "县卫健委": (5, 5), "青石镇": (2, 2)}

"""Report inputs from the database: figures as `stats` gives them, problems by when they were
true, last month's problems with their state now, the week grid, the office's texts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.domain import ProblemState, ProblemType
from monitor.errors import ReportError
from monitor.rules.periods import Period
from monitor.services.reports import monthly_report, problems_of_period, quarterly_report
from monitor.services.stats import unit_stats
from reports.model import SectionKind, WeekMark
from storage.models import Column, Problem, Unit
from tests.conftest import one_site

AS_OF = date(2024, 5, 10)
APRIL = Period.month(2024, 4)


def two_groups(portal):
    return portal.configure(portal.portal_config(
        portal.unit("县水利局", portal.column("工作动态", "slj/gzdt"),
                    portal.column("通知公告", "slj/tzgg", category="notice", cycle="monthly"),
                    target=450),
        portal.unit("县卫健委", portal.column("工作动态", "wjw/gzdt"), target=4),
        portal.unit("县档案馆", portal.column("机构职能", "dag/jgzn", category="duties",
                                             cycle="none"), target=10),
        portal.unit("青石镇", portal.column("乡镇动态", "qsz/xzdt"), group="乡镇", target=8),
    ))


def add_problem(portal, problem_type: ProblemType, path: str, first_seen: datetime,
                last_seen: datetime, state: ProblemState = ProblemState.OPEN,
                detail: str = "") -> Problem:
    column = portal.session.scalars(
        select(Column).where(Column.url == f"http://127.0.0.1:8000/{path}/")).one()
    problem = Problem(site_id=one_site(portal.session),
                      type=problem_type.value, key=f"column:{column.id}:{first_seen}",
                      unit_id=column.unit_id, column_id=column.id, url=column.url,
                      detail=detail, state=state.value, first_seen=first_seen,
                      last_seen=last_seen)
    portal.session.add(problem)
    portal.session.commit()
    return problem


def april_posts(portal) -> None:
    for day in (1, 9, 16, 24):
        portal.post("slj/gzdt", date(2024, 4, day))
    portal.post("slj/tzgg", date(2024, 4, 12))
    portal.post("slj/gzdt", date(2024, 3, 5))
    portal.post("slj/gzdt", date(2024, 5, 6))  # after the month: not in its year-to-date
    portal.post("wjw/gzdt", date(2024, 4, 3))
    portal.post("wjw/gzdt", date(2024, 2, 1))
    portal.post("qsz/xzdt", date(2024, 4, 29))
    portal.crawl(portal.at("2024-05-10 02:00"))  # the crawl that read them


def test_annex_rows_are_the_stats_figures_of_the_month(portal) -> None:
    config = two_groups(portal)
    april_posts(portal)
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    stats = {f.unit: f for f in unit_stats(portal.session, config, AS_OF, APRIL).figures}
    rows = report.county_rows + report.township_rows
    assert {row.unit for row in rows} == set(stats)
    for row in rows:
        figures = stats[row.unit]
        assert (row.annual_target, row.ytd_total, row.period_total, row.completion) == (
            figures.annual_target, figures.ytd.total, figures.period.total, figures.completion)
    water = next(row for row in report.county_rows if row.unit == "县水利局")
    assert (water.ytd_total, water.period_total) == (6, 5)
    # 县卫健委 2/4 = 50 %, 县水利局 6/450, 县档案馆 0/10: completion descending.
    assert [row.unit for row in report.county_rows] == ["县卫健委", "县水利局", "县档案馆"]
    assert report.basic.ytd_last_day == date(2024, 4, 30)
    assert [(g.group, g.period_total) for g in report.basic.period_by_group] == [
        ("乡镇", 1), ("县直单位", 6)]


def test_week_grid_marks_missed_weeks_and_leaves_out_units_without_a_weekly_column(
        portal) -> None:
    config = two_groups(portal)
    april_posts(portal)
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    grid = report.week_grid
    assert grid.mondays == (date(2024, 4, 1), date(2024, 4, 8), date(2024, 4, 15),
                            date(2024, 4, 22), date(2024, 4, 29))
    marks = {row.unit: row.marks for row in grid.rows}
    assert "县档案馆" not in marks
    # The 6 May post is in the next week: the week of 29 April is missed.
    assert marks["县水利局"] == (WeekMark.MET,) * 4 + (WeekMark.MISSED,)
    assert marks["青石镇"] == (WeekMark.MISSED,) * 4 + (WeekMark.MET,)
    assert marks["县卫健委"].count(WeekMark.MISSED) == 4


def test_problems_of_the_month_are_those_true_during_it(portal) -> None:
    two_groups(portal)
    at = portal.at
    in_april = add_problem(portal, ProblemType.OVERDUE_COLUMN, "wjw/gzdt",
                           at("2024-04-29 02:00"), at("2024-05-02 02:00"))
    from_march_still_open = add_problem(portal, ProblemType.STALE_NATIONAL, "qsz/xzdt",
                                        at("2024-03-20 02:00"), at("2024-03-25 02:00"))
    fixed_in_march = add_problem(portal, ProblemType.OVERDUE_COLUMN, "slj/gzdt",
                                 at("2024-03-04 02:00"), at("2024-03-10 02:00"),
                                 ProblemState.FIXED)
    in_may = add_problem(portal, ProblemType.OVERDUE_COLUMN, "slj/gzdt",
                         at("2024-05-01 00:00"), at("2024-05-06 02:00"))
    ignored = add_problem(portal, ProblemType.EMPTY_COLUMN, "dag/jgzn",
                          at("2024-04-02 02:00"), at("2024-04-30 02:00"), ProblemState.IGNORED)
    found = problems_of_period(portal.session, portal.site_id, APRIL, "瑞河县人民政府门户网站")
    details = [(p.type, p.unit, p.seen_on, p.state) for p in found]
    assert details == [
        (ProblemType.STALE_NATIONAL, "青石镇", date(2024, 3, 20), ProblemState.OPEN),
        (ProblemType.EMPTY_COLUMN, "县档案馆", date(2024, 4, 2), ProblemState.IGNORED),
        (ProblemType.OVERDUE_COLUMN, "县卫健委", date(2024, 4, 29), ProblemState.OPEN),
    ]
    assert {in_may.id, fixed_in_march.id}.isdisjoint({in_april.id, from_march_still_open.id,
                                                       ignored.id})


def test_report_states_this_months_problems_but_never_the_ignored_ones(portal) -> None:
    config = two_groups(portal)
    at = portal.at
    add_problem(portal, ProblemType.OVERDUE_COLUMN, "wjw/gzdt", at("2024-04-29 02:00"),
                at("2024-05-02 02:00"), detail="每周更新栏目，应于2024-04-28前更新")
    add_problem(portal, ProblemType.EMPTY_COLUMN, "dag/jgzn", at("2024-04-02 02:00"),
                at("2024-04-30 02:00"), ProblemState.IGNORED)
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    [section] = report.sections
    assert section.kind is SectionKind.UPDATES
    assert [(p.unit, p.column, p.seen_on) for p in section.problems] == [
        ("县卫健委", "工作动态", date(2024, 4, 29))]


def test_last_months_problems_are_followed_up_with_their_state_now(portal) -> None:
    config = two_groups(portal)
    at = portal.at
    add_problem(portal, ProblemType.OVERDUE_COLUMN, "wjw/gzdt", at("2024-03-11 02:00"),
                at("2024-05-10 02:00"))
    add_problem(portal, ProblemType.OVERDUE_COLUMN, "slj/gzdt", at("2024-03-18 02:00"),
                at("2024-04-08 02:00"), ProblemState.FIXED)
    add_problem(portal, ProblemType.OVERDUE_COLUMN, "qsz/xzdt", at("2024-04-15 02:00"),
                at("2024-04-20 02:00"))
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    assert [(p.unit, p.seen_on) for p in report.rectification.still_open] == [
        ("县卫健委", date(2024, 3, 11))]
    assert [(p.unit, p.seen_on) for p in report.rectification.fixed] == [
        ("县水利局", date(2024, 3, 18))]


def test_a_site_wide_problem_is_put_on_the_portal(portal) -> None:
    config = two_groups(portal)
    portal.session.add(Problem(site_id=one_site(portal.session),
                               type=ProblemType.BROKEN_LINK.value, key="target:1",
                               url="http://127.0.0.1:8000/", target="http://127.0.0.1:8000/x",
                               detail="HTTP 404", state="open",
                               first_seen=portal.at("2024-04-03 02:00"),
                               last_seen=portal.at("2024-04-03 02:00")))
    portal.session.commit()
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    [section] = report.sections
    assert [p.unit for p in section.problems] == [config.site.name]


def test_report_config_gives_title_issuer_and_issue_number(portal) -> None:
    config = two_groups(portal)
    config = config.model_copy(update={"report": config.report.model_copy(update={
        "title": "政务公开工作月报", "issuer": "县政务公开办", "issue_no": "{year}年第{month}期"})})
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    assert (report.title, report.issuer, report.issue_no, report.issued_on) == (
        "政务公开工作月报", "县政务公开办", "2024年第4期", AS_OF)
    # The shipped 编者按 names the issuer and the portal, as seed 004's does (no month).
    assert f"县政务公开办按月通报{config.site.name}" in report.editor_note


def test_office_templates_replace_the_default_texts(portal, tmp_path: Path) -> None:
    config = two_groups(portal)
    (tmp_path / "monthly_requirements.j2").write_text(
        "一是{{ month }}月问题{{ rectify_workdays }}日内整改。\n\n二是加强审核。\n",
        encoding="utf-8")
    report = monthly_report(portal.session, config, 2024, 4, AS_OF, tmp_path)
    assert report.requirements == ("一是4月问题5日内整改。", "二是加强审核。")


def test_a_month_not_begun_cannot_be_reported(portal) -> None:
    config = two_groups(portal)
    with pytest.raises(ReportError, match="2024-06 starts on 2024-06-01, after 2024-05-10"):
        monthly_report(portal.session, config, 2024, 6, AS_OF)


def test_quarterly_rows_are_the_stats_figures_of_the_quarter(portal) -> None:
    config = two_groups(portal)
    april_posts(portal)
    portal.post("slj/tzgg", date(2024, 1, 15))
    report = quarterly_report(portal.session, config, 2024, 1, AS_OF)
    stats = {f.unit: f for f in unit_stats(
        portal.session, config, AS_OF, Period.quarter(2024, 1)).figures}
    assert [table.group for table in report.tables] == ["乡镇", "县直单位"]
    for table in report.tables:
        for row in table.rows:
            figures = stats[row.unit]
            assert (row.disclosure_period, row.disclosure_ytd, row.dynamics_period,
                    row.dynamics_ytd, row.missed_weeks) == (
                figures.period.disclosure, figures.ytd.disclosure, figures.period.dynamics,
                figures.ytd.dynamics, figures.missed)
    water = next(row for t in report.tables for row in t.rows if row.unit == "县水利局")
    assert (water.disclosure_period, water.dynamics_period, water.dynamics_ytd) == (1, 1, 1)
    assert report.ytd_last_day == date(2024, 3, 31)


def test_units_are_the_configured_ones(portal) -> None:
    config = two_groups(portal)
    report = monthly_report(portal.session, config, 2024, 4, AS_OF)
    stored = set(portal.session.scalars(select(Unit.name)))
    assert {row.unit for row in report.county_rows + report.township_rows} == stored


def test_a_problem_on_a_post_carries_the_posts_title_and_date(portal) -> None:
    config = two_groups(portal)
    post = portal.post("slj/gzdt", date(2024, 4, 9), title="县水利局开展汛前检查")
    portal.session.add(Problem(site_id=one_site(portal.session),
                               type=ProblemType.DEAD_IMAGE.value, key="target:img",
                               unit_id=post.column.unit_id, column_id=post.column_id,
                               url=post.url, target="http://127.0.0.1:8000/img/a.jpg",
                               detail="HTTP 404", state="open",
                               first_seen=portal.at("2024-04-12 02:00"),
                               last_seen=portal.at("2024-04-12 02:00")))
    portal.session.commit()
    [problem] = monthly_report(portal.session, config, 2024, 4, AS_OF).sections[0].problems
    assert (problem.title, problem.published_on) == ("县水利局开展汛前检查", date(2024, 4, 9))

"""Rule problems and their life: open, still found, fixed, reopened recurring, ignored."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from monitor.domain import ProblemState, ProblemType
from monitor.errors import MonitorError, UnknownProblemError
from monitor.problem_details import detail_text
from monitor.services.problems import refresh_rule_problems
from storage.models import Problem, ProblemEvent
from storage.problem_store import ignore_problem, reopen_problem
from storage.queries import ProblemFilter, problems


def weekly_unit(portal):
    return portal.configure(portal.portal_config(portal.unit(
        "县水利局", portal.column("工作动态", "slj/gzdt"))))


def of_type(portal, problem_type: ProblemType) -> list[Problem]:
    return list(portal.session.scalars(
        select(Problem).where(Problem.type == problem_type.value).order_by(Problem.id)))


def text(problem: Problem) -> str:
    return detail_text(problem.type, problem.detail)


def refresh(portal, config, when: str) -> None:
    refresh_rule_problems(portal.session, config, portal.at(when))
    portal.session.commit()


def test_overdue_column_opens_is_fixed_and_comes_back_recurring(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    [overdue] = of_type(portal, ProblemType.OVERDUE_COLUMN)
    assert (overdue.state, overdue.recurring, text(overdue)) == (
        "open", False, "每周更新栏目，应于2024-04-28前更新，最近发布2024-04-19")

    refresh(portal, config, "2024-05-07 09:00")
    portal.session.refresh(overdue)
    assert (overdue.state, overdue.last_seen) == ("open", portal.at("2024-05-07 09:00"))

    portal.post("slj/gzdt", date(2024, 5, 8))
    portal.crawl(portal.at("2024-05-13 02:00"))
    refresh(portal, config, "2024-05-13 09:00")
    portal.session.refresh(overdue)
    assert (overdue.state, overdue.fixed_at) == ("fixed", portal.at("2024-05-13 09:00"))

    portal.crawl(portal.at("2024-05-20 02:00"))
    refresh(portal, config, "2024-05-20 09:00")
    assert [p.id for p in of_type(portal, ProblemType.OVERDUE_COLUMN)] == [overdue.id]
    portal.session.refresh(overdue)
    assert (overdue.state, overdue.recurring, overdue.reopen_count, overdue.fixed_at) == (
        "open", True, 1, None)
    assert overdue.first_seen == portal.at("2024-05-06 09:00")
    assert text(overdue) == "每周更新栏目，应于2024-05-19前更新，最近发布2024-05-08"
    events = portal.session.scalars(
        select(ProblemEvent.state).where(ProblemEvent.problem_id == overdue.id)
        .order_by(ProblemEvent.id)).all()
    assert events == ["open", "fixed", "open"]


def test_failed_crawl_neither_accuses_nor_clears(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-04-22 02:00"))
    refresh(portal, config, "2024-04-22 09:00")
    assert of_type(portal, ProblemType.OVERDUE_COLUMN) == []

    # The column fails from here on: weeks without a post are not its fault.
    portal.crawl(portal.at("2024-05-06 02:00"), failed={"slj/gzdt": "connection refused"})
    refresh(portal, config, "2024-05-06 09:00")
    assert of_type(portal, ProblemType.OVERDUE_COLUMN) == []
    assert of_type(portal, ProblemType.STALE_NATIONAL) == []
    [unreachable] = of_type(portal, ProblemType.UNREACHABLE_COLUMN)
    assert text(unreachable) == "最近一次抓取无法访问栏目：访问失败（connection refused）"

    portal.crawl(portal.at("2024-05-07 02:00"))
    refresh(portal, config, "2024-05-07 09:00")
    portal.session.refresh(unreachable)
    assert unreachable.state == "fixed"
    assert [p.state for p in of_type(portal, ProblemType.OVERDUE_COLUMN)] == ["open"]


def test_a_failed_crawl_leaves_an_open_overdue_problem_open(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    portal.crawl(portal.at("2024-05-20 02:00"), failed={"slj/gzdt": "HTTP 503"})
    refresh(portal, config, "2024-05-20 09:00")
    [overdue] = of_type(portal, ProblemType.OVERDUE_COLUMN)
    assert (overdue.state, overdue.last_seen) == ("open", portal.at("2024-05-06 09:00"))


def test_ignored_problem_stays_ignored_and_is_not_listed_as_open(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 4, 19))
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    [overdue] = of_type(portal, ProblemType.OVERDUE_COLUMN)
    ignore_problem(portal.session, overdue.id, "栏目已申请停更", portal.at("2024-05-06 10:00"))
    portal.session.commit()
    refresh(portal, config, "2024-05-07 09:00")
    portal.session.refresh(overdue)
    assert (overdue.state, overdue.ignored_reason) == ("ignored", "栏目已申请停更")
    assert overdue.last_seen == portal.at("2024-05-07 09:00")
    listed = problems(portal.session, portal.site_id, ProblemFilter(states=(ProblemState.OPEN,)))
    assert overdue.id not in [row.id for row in listed]


def test_reopen_takes_back_an_ignore(portal) -> None:
    config = weekly_unit(portal)
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    [empty] = of_type(portal, ProblemType.EMPTY_COLUMN)
    ignore_problem(portal.session, empty.id, "新栏目", portal.at("2024-05-06 10:00"))
    reopened = reopen_problem(portal.session, empty.id, portal.at("2024-05-06 11:00"))
    assert (reopened.state, reopened.ignored_reason, reopened.recurring) == ("open", None, False)
    with pytest.raises(MonitorError, match="problem .* is already open"):
        reopen_problem(portal.session, empty.id, portal.at("2024-05-06 12:00"))


def test_unknown_problem_id_and_empty_reason_are_user_errors(portal) -> None:
    weekly_unit(portal)
    with pytest.raises(UnknownProblemError, match="没有编号为999的问题"):
        ignore_problem(portal.session, 999, "x", portal.at("2024-05-06 10:00"))
    with pytest.raises(UnknownProblemError):
        reopen_problem(portal.session, 999, portal.at("2024-05-06 10:00"))
    with pytest.raises(MonitorError, match="a reason is required"):
        ignore_problem(portal.session, 999, "  ", portal.at("2024-05-06 10:00"))


def test_each_due_soon_reminder_is_its_own_problem(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 5, 8))
    portal.crawl(portal.at("2024-05-16 02:00"))
    # Thursday 16 May: Thursday and Friday are the two working days left of the week.
    refresh(portal, config, "2024-05-16 09:00")
    portal.post("slj/gzdt", date(2024, 5, 17))
    portal.post("slj/gzdt", date(2024, 5, 22))
    portal.crawl(portal.at("2024-05-30 02:00"))
    refresh(portal, config, "2024-05-30 09:00")
    reminders = of_type(portal, ProblemType.DUE_SOON_COLUMN)
    assert [(p.key.rsplit(":", 1)[-1], p.state) for p in reminders] == [
        ("2024-05-19", "fixed"), ("2024-06-02", "open")]


def test_backdated_post_is_found_but_not_on_the_first_crawl(portal) -> None:
    config = weekly_unit(portal)
    portal.post("slj/gzdt", date(2024, 4, 1), seen=portal.at("2024-05-06 02:00"))
    late = portal.post("slj/gzdt", date(2024, 5, 1), seen=portal.at("2024-05-06 02:00"),
                       first_crawl=False)
    portal.post("slj/gzdt", date(2024, 5, 3), seen=portal.at("2024-05-06 02:00"),
                first_crawl=False)
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    [backdated] = of_type(portal, ProblemType.BACKDATED_POST)
    assert (backdated.url, text(backdated)) == (
        late.url, "标注日期2024-05-01，首次发现于2024-05-06（晚5天）")


def test_backdating_threshold_comes_from_the_config(portal) -> None:
    config = portal.configure(portal.portal_config(
        portal.unit("县水利局", portal.column("工作动态", "slj/gzdt")),
        rules={"backdate_days": 7}))
    portal.post("slj/gzdt", date(2024, 5, 1), seen=portal.at("2024-05-06 02:00"),
                first_crawl=False)
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    assert of_type(portal, ProblemType.BACKDATED_POST) == []


def test_undated_post_is_a_problem_once_its_article_was_read(portal) -> None:
    config = weekly_unit(portal)
    read = portal.post("slj/gzdt", None, fetched=portal.at("2024-05-06 02:00"), title="无日期")
    portal.post("slj/gzdt", None)
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    [undated] = of_type(portal, ProblemType.UNDATED_POST)
    assert (undated.url, undated.key) == (read.url, f"post:{read.id}")


def test_withdrawn_post_problem_is_fixed(portal) -> None:
    config = weekly_unit(portal)
    post = portal.post("slj/gzdt", None, fetched=portal.at("2024-05-06 02:00"))
    portal.crawl(portal.at("2024-05-06 02:00"))
    refresh(portal, config, "2024-05-06 09:00")
    post.removed_at = portal.at("2024-05-07 02:00")
    portal.session.commit()
    refresh(portal, config, "2024-05-07 09:00")
    assert [p.state for p in of_type(portal, ProblemType.UNDATED_POST)] == ["fixed"]

"""`storage.probe_store`: probe results stored and read back by window, and the life of the
`site_unreachable` problem a window's verdict opens, fixes, reopens or leaves alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.clock import SHANGHAI
from monitor.probe.availability import (
    AvailabilityVerdict,
    ProbeOutcome,
    ProbeRule,
    ProbeSample,
    judge_window,
)
from monitor.problem_details import detail_text
from storage.models import ProbeResult, Problem, ProblemEvent, Site
from storage.probe_store import apply_verdict, record_outcomes, samples_since

HOME = "http://127.0.0.1:8000/"
KEY_PAGE = "http://127.0.0.1:8000/zwgk/"
DAY = date(2024, 5, 12)
AT = datetime(2024, 5, 12, 9, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _portal(session: Session) -> None:
    """The one portal whose pages these tests probe."""
    session.add(Site(name="瑞河县人民政府门户网站", url=HOME))
    session.flush()


def _site(session: Session) -> int:
    return session.scalars(select(Site.id)).one()


def _outcome(url: str, at: datetime, ok: bool = True) -> ProbeOutcome:
    if ok:
        return ProbeOutcome(url, at, True, 200, 230, None)
    return ProbeOutcome(url, at, False, None, 15000, "timeout")


def _verdict(unreachable: bool | None, url: str = HOME, failures: int = 14) -> AvailabilityVerdict:
    thin = (DAY,) if unreachable is None else ()
    return AvailabilityVerdict(url, DAY - timedelta(days=6), DAY, 140, failures, thin,
                               unreachable)


def _problem(session: Session, url: str = HOME) -> Problem | None:
    return session.scalar(select(Problem).where(Problem.type == "site_unreachable",
                                                Problem.key == url))


def _events(session: Session) -> list[tuple[str, datetime]]:
    return [(e.state, e.at) for e in session.scalars(select(ProblemEvent).order_by(ProblemEvent.id))]


# -- results ------------------------------------------------------------------------------


def test_each_probe_outcome_is_stored_with_its_status_time_and_error(session: Session) -> None:
    record_outcomes(session, _site(session), [_outcome(HOME, AT), _outcome(KEY_PAGE, AT, ok=False)])
    session.commit()
    session.expire_all()
    rows = {r.url: (r.at, r.ok, r.http_status, r.elapsed_ms, r.error)
            for r in session.scalars(select(ProbeResult))}
    # Stored in UTC and read back as the same instant.
    assert rows == {HOME: (datetime(2024, 5, 12, 1, tzinfo=UTC), True, 200, 230, None),
                    KEY_PAGE: (AT, False, None, 15000, "timeout")}


def test_samples_since_are_the_pages_own_from_that_instant_on_in_time_order(
        session: Session) -> None:
    hours = [5, 1, 3, 0, 2]  # recorded out of order
    record_outcomes(session, _site(session), [_outcome(HOME, AT + timedelta(hours=h), ok=h != 3)
                              for h in hours])
    record_outcomes(session, _site(session), [_outcome(KEY_PAGE, AT + timedelta(hours=2), ok=False)])
    session.commit()
    since = AT + timedelta(hours=1)
    assert samples_since(session, _site(session), HOME, since) == [
        ProbeSample(AT + timedelta(hours=1), True),  # the instant itself is included
        ProbeSample(AT + timedelta(hours=2), True),
        ProbeSample(AT + timedelta(hours=3), False),
        ProbeSample(AT + timedelta(hours=5), True)]
    assert samples_since(session, _site(session), "http://127.0.0.1:8000/other/", AT) == []


def test_a_week_of_stored_probes_reads_back_into_the_windows_figures(session: Session) -> None:
    rule = ProbeRule(window_days=7, min_probes_per_day=20, fail_ratio=0.05)
    # 20 probes a day, 08:00-17:30 Shanghai time, for 8 days; day one (outside the window
    # that ends on DAY) fails throughout, then one failure on each of the last 7 days.
    first = DAY - timedelta(days=7)
    outcomes = []
    for offset in range(8):
        day = first + timedelta(days=offset)
        for index in range(20):
            at = datetime(day.year, day.month, day.day, 8, tzinfo=SHANGHAI) + timedelta(
                minutes=30 * index)
            outcomes.append(_outcome(HOME, at, ok=offset > 0 and index != 0))
    record_outcomes(session, _site(session), outcomes)
    session.commit()
    since = datetime(first.year, first.month, first.day, tzinfo=SHANGHAI)
    verdict = judge_window(HOME, samples_since(session, _site(session), HOME, since), DAY, rule)
    assert (verdict.first_day, verdict.probes, verdict.failures, verdict.thin_days) == (
        DAY - timedelta(days=6), 140, 7, ())
    assert verdict.unreachable is True  # 7 of 140: 5 %, the rule's own limit


# -- the site_unreachable problem ---------------------------------------------------------


def test_an_unjudged_window_opens_nothing(session: Session) -> None:
    change = apply_verdict(session, _site(session), _verdict(None), AT)
    assert (change.url, change.change, change.state) == (HOME, None, None)
    assert _problem(session) is None


def test_a_failing_window_opens_a_problem_of_the_page_charged_to_no_unit(
        session: Session) -> None:
    change = apply_verdict(session, _site(session), _verdict(True), AT)
    session.commit()
    assert (change.change, change.state) == ("opened", "open")
    problem = _problem(session)
    assert problem is not None
    assert (problem.url, problem.unit_id, problem.column_id, problem.target) == (
        HOME, None, None, None)
    assert (problem.first_seen, problem.last_seen, problem.recurring) == (AT, AT, False)
    assert detail_text(problem.type, problem.detail).startswith(
        "2024-05-06至2024-05-12共监测140次，14次未能在规定时间内打开")
    assert _events(session) == [("open", AT)]


def test_a_page_still_failing_stays_open_with_the_latest_figures_and_no_new_event(
        session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    later = AT + timedelta(minutes=30)
    change = apply_verdict(session, _site(session), _verdict(True, failures=20), later)
    session.commit()
    assert (change.change, change.state) == (None, "open")
    problem = _problem(session)
    assert problem is not None
    assert (problem.first_seen, problem.last_seen) == (AT, later)
    assert "20次未能" in detail_text(problem.type, problem.detail)
    assert _events(session) == [("open", AT)]


def test_an_unjudged_window_leaves_an_open_problem_open(session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    change = apply_verdict(session, _site(session), _verdict(None), AT + timedelta(days=1))
    assert (change.change, change.state) == (None, "open")
    assert _events(session) == [("open", AT)]


def test_a_passing_window_fixes_the_open_problem(session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    later = AT + timedelta(days=4)
    change = apply_verdict(session, _site(session), _verdict(False, failures=5), later)
    session.commit()
    assert (change.change, change.state) == ("fixed", "fixed")
    problem = _problem(session)
    assert problem is not None and (problem.state, problem.fixed_at) == ("fixed", later)
    assert "5次未能" in detail_text(problem.type, problem.detail)
    assert _events(session) == [("open", AT), ("fixed", later)]


def test_a_passing_window_without_a_problem_changes_nothing(session: Session) -> None:
    change = apply_verdict(session, _site(session), _verdict(False, failures=0), AT)
    assert (change.change, change.state) == (None, None)
    assert _problem(session) is None and _events(session) == []


def test_a_fixed_problem_failing_again_is_reopened_as_recurring(session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    apply_verdict(session, _site(session), _verdict(False, failures=5), AT + timedelta(days=4))
    again = AT + timedelta(days=9)
    change = apply_verdict(session, _site(session), _verdict(True), again)
    session.commit()
    assert (change.change, change.state) == ("reopened", "open")
    problem = _problem(session)
    assert problem is not None
    assert (problem.state, problem.fixed_at, problem.recurring, problem.reopen_count) == (
        "open", None, True, 1)
    assert (problem.first_seen, problem.last_seen) == (AT, again)
    events = list(session.scalars(select(ProblemEvent).order_by(ProblemEvent.id)))
    assert [e.state for e in events] == ["open", "fixed", "open"]
    assert (events[-1].note or "").startswith("found again after being fixed: ")


def test_an_ignored_problem_stays_ignored_whatever_the_window_says(session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    problem = _problem(session)
    assert problem is not None
    problem.state = "ignored"
    session.commit()
    failing = apply_verdict(session, _site(session), _verdict(True), AT + timedelta(days=1))
    passing = apply_verdict(session, _site(session), _verdict(False, failures=0), AT + timedelta(days=2))
    assert (failing.change, failing.state) == (None, "ignored")
    assert (passing.change, passing.state) == (None, "ignored")
    problem = _problem(session)
    assert problem is not None
    assert (problem.state, problem.last_seen) == ("ignored", AT + timedelta(days=1))
    assert _events(session) == [("open", AT)]


def test_each_page_has_its_own_problem(session: Session) -> None:
    apply_verdict(session, _site(session), _verdict(True), AT)
    apply_verdict(session, _site(session), _verdict(True, KEY_PAGE), AT)
    change = apply_verdict(session, _site(session), _verdict(False, failures=0), AT + timedelta(days=4))
    session.commit()
    assert change.change == "fixed"
    home, key_page = _problem(session), _problem(session, KEY_PAGE)
    assert home is not None and key_page is not None
    assert (home.state, key_page.state) == ("fixed", "open")


def test_a_crawl_outage_problem_of_the_same_host_is_not_the_probes_to_fix(
        session: Session) -> None:
    # The crawl's own site_unreachable (SPEC §4.5) has the key `crawl <origin>`.
    outage = Problem(site_id=_site(session), type="site_unreachable",
                     key="crawl http://127.0.0.1:8000", url=HOME, detail="", state="open",
                     first_seen=AT, last_seen=AT)
    session.add(outage)
    session.commit()
    change = apply_verdict(session, _site(session), _verdict(False, failures=0),
                           AT + timedelta(days=1))
    assert (change.change, change.state) == (None, None)
    session.refresh(outage)
    assert outage.state == "open"

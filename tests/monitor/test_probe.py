from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Engine, select

from monitor.clock import SHANGHAI
from monitor.config import PortalConfig
from monitor.probe.availability import ProbeRule, ProbeSample, judge_window
from monitor.probe.service import run_probe
from monitor.problem_details import detail_text
from storage.models import ProbeResult, Problem, ProblemEvent
from storage.session import session_factory

RULE = ProbeRule(timeout_seconds=15, window_days=7, min_probes_per_day=20, fail_ratio=0.05)
AS_OF = date(2024, 5, 12)


def samples(days: int, per_day: int, failures_on_day: dict[int, int]) -> list[ProbeSample]:
    """`per_day` probes on each of the `days` days ending on AS_OF; day 0 is the first."""
    result = []
    first = AS_OF - timedelta(days=days - 1)
    for offset in range(days):
        day = first + timedelta(days=offset)
        for index in range(per_day):
            at = datetime(day.year, day.month, day.day, 1, tzinfo=SHANGHAI) + timedelta(
                minutes=30 * index)
            result.append(ProbeSample(at, index >= failures_on_day.get(offset, 0)))
    return result


def test_exactly_five_percent_failures_over_a_full_window_is_unreachable() -> None:
    verdict = judge_window("u", samples(7, 20, {0: 3, 4: 4}), AS_OF, RULE)
    assert (verdict.probes, verdict.failures) == (140, 7)
    assert verdict.unreachable is True


def test_just_under_five_percent_is_reachable() -> None:
    verdict = judge_window("u", samples(7, 20, {0: 3, 4: 3}), AS_OF, RULE)
    assert verdict.unreachable is False


def test_a_day_with_too_few_probes_leaves_the_window_unjudged() -> None:
    probes = samples(7, 20, {2: 20})
    del probes[-1]  # the as-of day now has 19 probes
    verdict = judge_window("u", probes, AS_OF, RULE)
    assert verdict.unreachable is None
    assert verdict.thin_days == (AS_OF,)


def test_probes_outside_the_window_do_not_count() -> None:
    verdict = judge_window("u", samples(9, 20, {0: 20, 1: 20}), AS_OF, RULE)
    assert (verdict.probes, verdict.failures, verdict.unreachable) == (140, 0, False)


def test_window_days_are_shanghai_dates() -> None:
    # 23:30 UTC on 11 May is 07:30 on 12 May in Shanghai: inside a one-day window on the 12th.
    sample = ProbeSample(datetime(2024, 5, 11, 23, 30, tzinfo=UTC), False)
    one_day = ProbeRule(window_days=1, min_probes_per_day=1)
    assert judge_window("u", [sample], AS_OF, one_day).failures == 1


@dataclass
class FlakyPortal:
    """A loopback home page that is slower than the limit on every `every`-th request."""

    every: int = 10
    slow_seconds: float = 0.4
    slow: bool = True
    requests: int = 0


@pytest.fixture
def flaky_portal() -> Iterator[tuple[str, FlakyPortal]]:
    state = FlakyPortal()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            with lock:
                state.requests += 1
                slow = state.slow and state.requests % state.every == 0
            if slow:
                time.sleep(state.slow_seconds)
            body = "<html><title>瑞河县人民政府</title></html>".encode()
            try:
                self.send_response(404 if self.path == "/missing" else 200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the probe gave up on this slow answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", state
    server.shutdown()
    server.server_close()


def portal_config(url: str) -> PortalConfig:
    return PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": url},
        "probe": {"timeout_seconds": 0.15, "window_days": 7, "min_probes_per_day": 20,
                  "fail_ratio": 0.05},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": url + "slj/gzdt/", "category": "dynamics"}]}],
    })


def probe_day(engine: Engine, config: PortalConfig, day: date) -> None:
    """The 20 probe rounds of one day, an hour apart."""
    sessions = session_factory(engine)
    for hour in range(20):
        run_probe(sessions, config, datetime(day.year, day.month, day.day, 2 + hour,
                                              tzinfo=SHANGHAI))


def unreachable_problem(engine: Engine) -> Problem | None:
    with session_factory(engine)() as session:
        return session.scalar(select(Problem).where(Problem.type == "site_unreachable"))


@pytest.mark.slow
def test_slow_home_page_raises_site_unreachable_and_it_clears_when_the_rate_falls(
    engine: Engine, flaky_portal: tuple[str, FlakyPortal]
) -> None:
    url, portal = flaky_portal
    config = portal_config(url)
    first = date(2024, 5, 6)
    # Every 10th probe is slower than the limit: 2 of 20 a day, 10 %.
    for offset in range(6):
        probe_day(engine, config, first + timedelta(days=offset))
    assert unreachable_problem(engine) is None  # six days are not yet a window
    probe_day(engine, config, first + timedelta(days=6))
    problem = unreachable_problem(engine)
    assert problem is not None and problem.state == "open"
    assert problem.url == url and problem.unit_id is None
    assert "共监测140次，14次未能在规定时间内打开（10.00%）" in \
        detail_text(problem.type, problem.detail)

    portal.slow = False
    # Days 8-10 fast: the window of days 4-10 still holds 8 failures of 140 (5.7 %).
    for offset in range(7, 10):
        probe_day(engine, config, first + timedelta(days=offset))
    assert unreachable_problem(engine).state == "open"  # type: ignore[union-attr]
    # Day 11: the window of days 5-11 holds 6 failures (4.3 %): below the rule.
    probe_day(engine, config, first + timedelta(days=10))
    problem = unreachable_problem(engine)
    assert problem is not None and problem.state == "fixed"
    assert problem.fixed_at == datetime(2024, 5, 16, 21, tzinfo=SHANGHAI)

    with session_factory(engine)() as session:
        results = list(session.scalars(select(ProbeResult).where(~ProbeResult.ok)))
        events = [e.state for e in session.scalars(select(ProblemEvent).order_by(ProblemEvent.id))]
    assert len(results) == 14
    assert {result.error for result in results} == {"timeout"}
    assert events == ["open", "fixed"]


def test_a_page_answering_with_an_error_status_is_a_failed_probe(
    engine: Engine, flaky_portal: tuple[str, FlakyPortal]
) -> None:
    url, portal = flaky_portal
    portal.slow = False
    config = portal_config(url)
    config = config.model_copy(update={"probe": config.probe.model_copy(
        update={"key_pages": [url + "missing"]})})
    reports = run_probe(session_factory(engine), config, datetime(2024, 5, 6, 9, tzinfo=SHANGHAI))
    assert [(r.outcome.url, r.outcome.ok, r.outcome.error) for r in reports] == [
        (url, True, None), (url + "missing", False, "HTTP 404")]

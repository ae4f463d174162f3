from __future__ import annotations

import pytest

from monitor.crawlfacts.items import ColumnDone
from monitor.domain import CrawlOutcome
from monitor.rules.outage import (
    MIN_HOST_REQUESTS,
    ColumnsTried,
    HostTally,
    PortalHosts,
    columns_tried,
    hosts_not_answering,
    is_no_answer,
    origin,
    portal_did_not_answer,
    portal_down_so_far,
    silent_columns,
)


@pytest.mark.parametrize("reason", ["refused", "reset", "timeout", "dns", "http_500",
                                    "http_503", "unreachable"])
def test_connection_failures_and_5xx_are_no_answer(reason: str) -> None:
    assert is_no_answer(reason)


@pytest.mark.parametrize("reason", [None, "ok", "http_404", "http_412", "waf_challenge_412",
                                    "soft404", "tls", "http_5xx"])
def test_an_answer_saying_not_here_or_not_for_you_is_an_answer(reason: str | None) -> None:
    assert not is_no_answer(reason)


def test_home_page_and_most_columns_refused_means_the_portal_did_not_answer() -> None:
    assert portal_did_not_answer("refused", ColumnsTried(tried=50, no_answer=50))
    assert portal_did_not_answer("http_502", ColumnsTried(tried=3, no_answer=2))


def test_half_the_columns_failing_is_not_most_of_them() -> None:
    assert not portal_did_not_answer("timeout", ColumnsTried(tried=4, no_answer=2))


def test_a_home_page_that_answers_means_the_portal_answered() -> None:
    assert not portal_did_not_answer("ok", ColumnsTried(tried=50, no_answer=50))
    assert not portal_did_not_answer("http_404", ColumnsTried(tried=50, no_answer=50))


def test_a_run_that_did_not_ask_for_the_home_page_does_not_decide() -> None:
    assert not portal_did_not_answer(None, ColumnsTried(tried=50, no_answer=50))


def test_one_failed_home_page_with_columns_read_is_not_an_outage() -> None:
    assert not portal_did_not_answer("timeout", ColumnsTried(tried=50, no_answer=0))


def _tally(checked: int, no_answer: int) -> HostTally:
    tally = HostTally()
    for number in range(checked):
        tally = tally.add("refused" if number < no_answer else None)
    return tally


PORTAL = PortalHosts.of("http://www.ruihe.gov.cn/", ["http://xxgk.ruihe.gov.cn/slj/gzdt/"])


def test_an_attachment_host_of_the_portal_refusing_every_request_did_not_answer() -> None:
    tallies = {"http://file.ruihe.gov.cn": _tally(20, 20),
               "http://www.ruihe.gov.cn": _tally(40, 1)}
    assert hosts_not_answering(tallies, PORTAL) == {"http://file.ruihe.gov.cn"}


def test_a_host_with_one_answer_answered() -> None:
    assert hosts_not_answering({"http://file.ruihe.gov.cn": _tally(20, 19)}, PORTAL) == set()


def test_too_few_requests_decide_nothing_one_refused_link_is_a_broken_link() -> None:
    few = _tally(MIN_HOST_REQUESTS - 1, MIN_HOST_REQUESTS - 1)
    assert hosts_not_answering({"http://file.ruihe.gov.cn": few}, PORTAL) == set()


def test_an_external_host_that_does_not_answer_is_not_the_portals_outage() -> None:
    tallies = {"http://www.dead-site.com": _tally(10, 10),
               "http://www.jiangxi.gov.cn": _tally(10, 10)}
    assert hosts_not_answering(tallies, PORTAL) == set()


def test_404s_are_answers_not_an_outage() -> None:
    tally = HostTally()
    for _ in range(10):
        tally = tally.add("http_404")
    assert hosts_not_answering({"http://file.ruihe.gov.cn": tally}, PORTAL) == set()


def test_the_portals_hosts_are_its_site_and_column_names_and_its_domain() -> None:
    assert PORTAL.owns("http://www.ruihe.gov.cn/a.html")
    assert PORTAL.owns("https://ruihe.gov.cn/a.html")
    assert PORTAL.owns("http://file.ruihe.gov.cn:8080/a.pdf")
    assert PORTAL.owns("http://xxgk.ruihe.gov.cn/")
    assert not PORTAL.owns("http://www.gov.cn/")
    assert not PORTAL.owns("http://notruihe.gov.cn/")


def test_an_ip_address_site_owns_only_that_address_whatever_the_port() -> None:
    portal = PortalHosts.of("http://127.0.0.1:8000/")
    assert portal.owns("http://127.0.0.1:9001/uploads/a.pdf")
    assert not portal.owns("http://127.0.0.2:8000/")
    assert PortalHosts.of("http://[::1]:8000/").owns("http://[::1]:9000/x")


def test_hosts_are_named_by_origin() -> None:
    assert origin("http://File.Ruihe.gov.cn:8080/uploads/a.pdf?x=1") == \
        "http://file.ruihe.gov.cn:8080"


def _done(column_id: int, outcome: CrawlOutcome, reason: str | None = None) -> ColumnDone:
    return ColumnDone(column_id, outcome.value, reason, pages=0, complete=False,
                      oldest_date=None)


def test_the_silent_columns_are_the_unreachable_ones_that_got_no_answer() -> None:
    done = [_done(1, CrawlOutcome.UNREACHABLE, "timeout"), _done(2, CrawlOutcome.OK),
            _done(3, CrawlOutcome.UNREACHABLE, "http_404"),
            _done(4, CrawlOutcome.UNREACHABLE, "refused")]
    assert silent_columns(done) == (1, 4)


def test_columns_not_reached_were_not_tried() -> None:
    done = [_done(1, CrawlOutcome.UNREACHABLE, "timeout"), _done(2, CrawlOutcome.NOT_REACHED),
            _done(3, CrawlOutcome.OK)]
    assert columns_tried(done) == ColumnsTried(tried=2, no_answer=1)


def test_the_portal_is_down_so_far_when_its_home_page_and_most_columns_got_no_answer() -> None:
    done = [_done(1, CrawlOutcome.UNREACHABLE, "timeout"),
            _done(2, CrawlOutcome.UNREACHABLE, "reset"), _done(3, CrawlOutcome.OK),
            _done(4, CrawlOutcome.NOT_REACHED)]
    assert portal_down_so_far("refused", done)
    assert not portal_down_so_far("ok", done)
    assert not portal_down_so_far("refused", done[1:])

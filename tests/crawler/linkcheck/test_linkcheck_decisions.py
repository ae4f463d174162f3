"""Retry-After, redirects, URLs, retry policy and failure names."""

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
)
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.linkcheck.errors import error_reason
from crawler.linkcheck.policy import (
    RetryPolicy,
    first_method,
    head_is_conclusive,
    retry_delay,
)
from crawler.linkcheck.redirects import MAX_REDIRECTS, follow, method_after_redirect
from crawler.linkcheck.retry_after import parse_retry_after
from crawler.linkcheck.urls import request_url, same_host, skip_reason
from monitor.crawlfacts.links import CheckResult
from monitor.domain import LinkKind, LinkStatus

NOW = datetime(2024, 5, 10, 8, 0, 0, tzinfo=UTC)


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("120", NOW) == 120.0


def test_retry_after_as_http_date() -> None:
    assert parse_retry_after("Fri, 10 May 2024 08:00:30 GMT", NOW) == 30.0


def test_retry_after_in_the_past_means_now() -> None:
    when = (NOW - timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(when, NOW) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_unreadable_retry_after_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


A, B, C = "http://h/a", "http://h/b", "http://h/c"


def test_a_relative_location_is_resolved_against_the_redirecting_url() -> None:
    assert follow((A,), "/b").next_url == B


def test_a_hop_taken_twice_is_a_loop() -> None:
    assert follow((A, B), A).next_url == A  # back to a cookie-setting page is allowed
    assert follow((A, B, A), B).reason == "redirect_loop"


def test_a_self_redirect_is_a_loop_on_its_second_hop() -> None:
    assert follow((A, A), A).reason == "redirect_loop"


def test_the_eleventh_redirect_is_too_many() -> None:
    chain = tuple(f"http://h/{i}" for i in range(MAX_REDIRECTS + 1))
    assert follow(chain[:-1], chain[-1]).next_url == chain[-1]
    assert follow(chain, "http://h/next").reason == "too_many_redirects"


def test_a_redirect_without_location_ends_the_chain() -> None:
    assert follow((A,), None).reason == "redirect_without_location"


def test_see_other_turns_into_get_but_head_stays_head() -> None:
    assert method_after_redirect(303, "GET") == "GET"
    assert method_after_redirect(302, "HEAD") == "HEAD"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:void(0)", "javascript"),
        ("JavaScript:alert(1)", "javascript"),
        ("mailto:a@example.gov.cn", "mailto"),
        ("tel:12345", "tel"),
        ("#top", "fragment"),
        ("", "no_url"),
        ("file:///etc/passwd", "unsupported_scheme"),
        ("ftp://example.gov.cn/a", "unsupported_scheme"),
        ("data:image/png;base64,AAAA", "unsupported_scheme"),
        ("/relative/path", "not_absolute"),
        ("http://127.0.0.1:8000/a.html", None),
    ],
)
def test_skip_reason(url: str, reason: str | None) -> None:
    assert skip_reason(url) == reason


def test_request_url_encodes_like_a_browser_and_drops_the_fragment() -> None:
    assert request_url("http://h/公开/年度 报告.html#p2") == (
        "http://h/%E5%85%AC%E5%BC%80/%E5%B9%B4%E5%BA%A6%20%E6%8A%A5%E5%91%8A.html"
    )
    assert request_url("http://h/a%20b.html") == request_url("http://h/a b.html")


def test_same_host_ignores_the_port() -> None:
    assert same_host("https://h:8443/x", "http://h/")
    assert not same_host("http://other/x", "http://h/")


def test_attachments_start_with_head_pages_and_images_with_get() -> None:
    assert first_method(LinkKind.ATTACHMENT) == "HEAD"
    assert first_method(LinkKind.IMG) == first_method(LinkKind.A) == "GET"


@pytest.mark.parametrize(
    ("status", "headers", "conclusive"),
    [
        (200, {"content-type": "application/pdf", "content-length": "1024"}, True),
        (405, {}, False),
        (404, {}, False),
        (200, {"content-type": "text/html"}, False),
        (200, {"content-type": "application/pdf", "content-length": "0"}, False),
    ],
)
def test_head_settles_only_a_2xx_non_html_non_empty_answer(
    status: int, headers: dict[str, str], conclusive: bool
) -> None:
    assert head_is_conclusive(status, headers) is conclusive


POLICY = RetryPolicy(transient_retries=2, backoff_seconds=1.0, confirm_delay_seconds=5.0)


def broken(reason: str, http_status: int | None = None) -> CheckResult:
    return CheckResult(LinkStatus.BROKEN, reason, http_status)


def test_transient_failures_are_retried_with_doubling_backoff_then_reported() -> None:
    timeout = broken("timeout")
    assert [retry_delay(timeout, n, POLICY) for n in (1, 2, 3)] == [1.0, 2.0, None]
    server_error = broken("http_503", 503)
    assert retry_delay(server_error, 1, POLICY) == 1.0


def test_a_definite_failure_is_confirmed_once() -> None:
    assert retry_delay(broken("http_404", 404), 1, POLICY) == 5.0
    assert retry_delay(broken("http_404", 404), 2, POLICY) is None


def test_a_target_broken_on_an_earlier_run_is_final_after_one_failing_try() -> None:
    for failure in (broken("http_404", 404), broken("timeout"), broken("http_503", 503)):
        assert retry_delay(failure, 1, POLICY, known_broken=True) is None
    # A rate limit says nothing of the target: still waited out.
    rate_limited = CheckResult(LinkStatus.BLOCKED, "http_429", 429)
    assert retry_delay(rate_limited, 1, POLICY, known_broken=True) == 1.0


def test_rate_limiting_is_retried_but_other_blocks_are_final() -> None:
    assert retry_delay(CheckResult(LinkStatus.BLOCKED, "http_429", 429), 1, POLICY) == 1.0
    assert retry_delay(CheckResult(LinkStatus.BLOCKED, "waf_challenge", 412), 1, POLICY) is None


def test_ok_is_final() -> None:
    assert retry_delay(CheckResult(LinkStatus.OK), 1, POLICY) is None


def wrapped(scrapy_error: type[Exception], cause: Exception) -> Exception:
    error = scrapy_error("failed")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DownloadTimeoutError("slow"), "timeout"),
        (DownloadConnectionRefusedError("no"), "refused"),
        (CannotResolveHostError("nx"), "dns"),
        (net.DNSLookupError("nx"), "dns"),
        (net.TCPTimedOutError(), "timeout"),
        (net.ConnectionRefusedError(), "refused"),
        (ResponseNeverReceived([Failure(net.ConnectionLost())]), "reset"),
        (ConnectionResetError(), "reset"),
        (ValueError("other"), "network"),
    ],
)
def test_failures_are_named(error: Exception, reason: str) -> None:
    assert error_reason(error) == reason


def test_a_tls_failure_inside_a_wrapped_error_is_named_tls() -> None:
    from OpenSSL.SSL import Error as TlsError

    assert error_reason(ResponseNeverReceived([Failure(TlsError([]))])) == "tls"

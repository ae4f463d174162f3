"""The asyncio checker in this process: a failing recorder stops the run with its error
instead of leaving it waiting for verdicts; a target already confirmed broken is asked
once."""

from __future__ import annotations

import pytest

from crawler.linkcheck.checker import CheckerSettings, check_links
from crawler.linkcheck.policy import RetryPolicy
from monitor.crawlfacts.links import LinkCheckResult, LinkTarget
from monitor.domain import LinkKind


class RecorderFailed(Exception):
    pass


def test_an_error_while_recording_a_verdict_ends_the_run_with_that_error(site) -> None:
    def record(result: LinkCheckResult) -> None:
        raise RecorderFailed(result.url)

    targets = [LinkTarget(site.url + "/ok.html", LinkKind.A)]
    with pytest.raises(RecorderFailed):
        check_links(targets, CheckerSettings(site_url=site.url + "/", timeout_seconds=5),
                    record)


def test_each_verdict_reaches_the_recorder_once_per_spelling(site) -> None:
    seen: list[str] = []
    targets = [LinkTarget(site.url + "/ok.html", LinkKind.A),
               LinkTarget(site.url + "/ok.html#top", LinkKind.A),
               LinkTarget("mailto:gkb@example.gov.cn", LinkKind.A)]
    check_links(targets, CheckerSettings(site_url=site.url + "/", timeout_seconds=5),
                lambda result: seen.append(f"{result.url} {result.status}"))
    assert sorted(seen) == sorted([f"{site.url}/ok.html ok", f"{site.url}/ok.html#top ok",
                                   "mailto:gkb@example.gov.cn unchecked"])


def test_a_target_confirmed_broken_on_an_earlier_night_is_asked_once(site,
                                                                     closed_port_url) -> None:
    seen: dict[str, LinkCheckResult] = {}
    known = [LinkTarget(site.url + "/gone-since-may.html", LinkKind.A, known_broken=True),
             LinkTarget(closed_port_url, LinkKind.A, known_broken=True)]
    fresh = LinkTarget(site.url + "/gone-since-june.html", LinkKind.A)
    settings = CheckerSettings(site_url=site.url + "/", timeout_seconds=5, allow_private=True,
                               retry_policy=RetryPolicy(2, 0.1, 0.1))
    check_links([*known, fresh], settings, lambda result: seen.setdefault(result.url, result))
    assert {url: (result.status, result.attempts) for url, result in seen.items()} == {
        known[0].url: ("broken", 1), closed_port_url: ("broken", 1), fresh.url: ("broken", 2)}
    assert len(site.log.of("/gone-since-may.html")) == 1
    # A target not broken before is still confirmed before it is called broken.
    assert len(site.log.of("/gone-since-june.html")) == 2


def test_a_busy_origin_does_not_keep_another_origin_waiting(site, other_service) -> None:
    """One host slot, twenty targets on one port and one on another port of that host:
    the other port's target is asked among the first, not after all twenty."""
    busy = [LinkTarget(f"{site.url}/redirect/hops/0/{n}", LinkKind.A) for n in range(20)]
    other = LinkTarget(other_service.url + "/ok.html", LinkKind.A)
    settings = CheckerSettings(site_url=site.url + "/", timeout_seconds=5, allow_private=True,
                               concurrency_per_host=1)
    seen: list[str] = []
    check_links([*busy, other], settings, lambda result: seen.append(result.status))
    assert seen == ["ok"] * 21
    [asked] = other_service.log.of("/ok.html")
    busy_times = sorted(s.at for n in range(20) for s in site.log.of(f"/redirect/hops/0/{n}"))
    assert asked.at < busy_times[3]


def test_a_retry_after_pause_of_one_origin_does_not_hold_up_another(
        site, other_service) -> None:
    """The pause is the rate-limited origin's: a request to another port of that host
    does not wait it out holding the host's only slot."""
    targets = [LinkTarget(site.url + "/rate-limited.html", LinkKind.A),
               LinkTarget(site.url + "/redirect/hops/0/99", LinkKind.A),
               LinkTarget(other_service.url + "/img/ok.png", LinkKind.IMG)]
    settings = CheckerSettings(site_url=site.url + "/", timeout_seconds=5, allow_private=True,
                               concurrency_per_host=1, retry_policy=RetryPolicy(2, 0.1, 0.1))
    results: dict[str, str] = {}
    check_links(targets, settings, lambda result: results.setdefault(result.url, result.status))
    assert results == dict.fromkeys([t.url for t in targets], "ok")
    limited, _ = site.log.of("/rate-limited.html")
    [other] = other_service.log.of("/img/ok.png")
    # Retry-After: 1 paused the site's port for a second; the other port went on.
    assert other.at - limited.at < 0.5
    [after_pause] = site.log.of("/redirect/hops/0/99")
    assert after_pause.at - limited.at >= 0.9

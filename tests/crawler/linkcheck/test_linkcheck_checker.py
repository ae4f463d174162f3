"""The asyncio checker in this process: a failing recorder stops the run with its error
instead of leaving it waiting for verdicts."""

from __future__ import annotations

import pytest

from crawler.linkcheck.checker import CheckerSettings, check_links
from crawler.linkcheck.model import LinkCheckResult, LinkTarget
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

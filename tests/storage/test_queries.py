"""`storage.queries`: the facts the rules read, as the stored rows give them."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.domain import CrawlOutcome
from storage.queries import LastCrawl, read_by_latest

AT = datetime(2024, 5, 1, 2, tzinfo=UTC)


def test_a_column_is_judged_only_when_its_latest_crawl_read_it():
    assert read_by_latest(LastCrawl(1, CrawlOutcome.OK, None, AT))
    for failed in (CrawlOutcome.UNREACHABLE, CrawlOutcome.BLOCKED, CrawlOutcome.ERROR,
                   CrawlOutcome.SITE_UNREACHABLE, CrawlOutcome.NOT_REACHED):
        assert not read_by_latest(LastCrawl(1, failed, "why", AT))
    assert not read_by_latest(None)

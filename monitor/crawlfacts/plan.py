"""What a crawl run is asked to do: the columns to read and what is already known of them.

Built from the database before the reactor starts (`storage.crawl_store.plan_columns`),
handed to the spider as plain frozen data, so the spider never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from monitor.domain import ListStyle


@dataclass(frozen=True)
class ListSelectors:
    """CSS selectors for one column's list (SPEC §2 `list:`). `item` selects the rows;
    `title`, `link` and `date` are looked up inside each row and default to detection."""

    item: str
    title: str | None = None
    link: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class ColumnJob:
    column_id: int
    unit: str
    name: str
    url: str
    render: str
    selectors: ListSelectors | None
    # No crawl has read this column completely yet: read back to `since`, and the posts
    # found are history, not news.
    first_crawl: bool
    since: date | None
    known_urls: frozenset[str] = field(default_factory=frozenset)
    # Posts listed before whose article page was not read yet (a run was cut short).
    pending_articles: tuple[str, ...] = ()
    # The config's `list.style`: the column is read as that style only (see
    # crawler.liststyles); None lets the crawler detect it.
    style: ListStyle | None = None


@dataclass(frozen=True)
class CrawlPlan:
    run_id: int
    jobs: tuple[ColumnJob, ...]
    today: date
    max_pages_per_column: int
    browser_path: str | None
    site_url: str | None = None
    # The home page is read every run (its links are checked with the columns'); when
    # workers share a run, by one of them.
    read_home_page: bool = True
    # The config's extra not-found phrases: a page read with a working answer is not
    # requested again as a link target, so it is judged here as the checker would.
    soft404_patterns: tuple[str, ...] = ()
    # At most this many posts are read from one list page (a guard against a list page of
    # a hundred thousand items, each an article request).
    max_items_per_page: int = 1000

"""What the spiders hand to the pipeline: plain frozen dataclasses (itemadapter takes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitor.content import ContentFinding
from monitor.crawlfacts.article import Article
from monitor.crawlfacts.links import CheckResult


@dataclass(frozen=True)
class ListedPost:
    url: str
    title: str
    date: date | None
    # False for an MM-DD date whose year came from context rather than the page.
    date_printed_in_full: bool


@dataclass(frozen=True)
class ListPageItem:
    """The posts one list page (or one Hanweb window) shows."""

    column_id: int
    page_no: int
    url: str
    posts: tuple[ListedPost, ...]


@dataclass(frozen=True)
class ColumnDone:
    """How reading a column ended. `complete`: pagination ran to the last page."""

    column_id: int
    outcome: str
    reason: str | None
    pages: int
    complete: bool
    oldest_date: date | None
    # Why reading stopped short of the list's end: "items" (a list page longer than
    # crawl.max_items_per_page) or "pages" (crawl.max_pages_per_column reached).
    capped: str | None = None


@dataclass(frozen=True)
class ArticleItem:
    """An article page read once for a new post: its date, links and text."""

    column_id: int
    post_url: str
    page_url: str
    http_status: int
    encoding: str | None
    article: Article | None
    # Privacy leaks, hidden links and wrong expressions found in the page (masked).
    findings: tuple[ContentFinding, ...] = ()


@dataclass(frozen=True)
class PageAnswered:
    """A page the crawl read (a column's list page, the home page) whose answer, judged
    as the link checker judges a link, is working: as a link target it needs no second
    request in this run.

    `url` is written as the link checker requests it (`crawler.linkcheck.urls.request_url`),
    the spelling its target is matched by."""

    url: str
    result: CheckResult


@dataclass(frozen=True)
class HomePageItem:
    """The site's home page: its links are checked every run and weigh more (national rule)."""

    url: str
    http_status: int
    article: Article | None
    findings: tuple[ContentFinding, ...] = ()
    # Why no answer came (refused, timeout, …): the run's evidence of an outage (§4.5).
    failure: str | None = None
    # The newest date among the items of the page's news list (首页不更新, SPEC §4.8).
    newest_item: date | None = None

    @property
    def outcome(self) -> str:
        """'ok', or why the home page was not read ('refused', 'http_503', …)."""
        if self.failure is not None:
            return self.failure
        return f"http_{self.http_status}" if self.http_status >= 400 else "ok"

"""What the spiders hand to the pipeline: plain frozen dataclasses (itemadapter takes them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from crawler.extract.article import Article
from monitor.content import ContentFinding


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
class HomePageItem:
    """The site's home page: its links are checked every run and weigh more (national rule)."""

    url: str
    http_status: int
    article: Article | None
    findings: tuple[ContentFinding, ...] = ()

"""What a list style is given and what it provides (see `crawler.liststyles`).

A style reads one kind of column list: it says whether a column's first page is of its
kind (`detect`), asks for the column's first page when the config pins it
(`first_requests`), and reads each answer it asked for (`parse`). The spider is the
`Reader`: it makes the requests, records the posts and ends the column, so every style
counts pages, caps and outcomes the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, Protocol

from scrapy.http import Request, Response

from crawler.extract.listing import ListItem, extract_list, resolve_list_dates
from monitor.crawlfacts.items import ColumnDone
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan
from monitor.domain import CrawlOutcome, ListStyle

# How far a list would be read without crawl.max_pages_per_column: the cap is applied
# apart, so that reaching it is known and reported.
UNLIMITED = 1 << 30


@dataclass
class ColumnProgress:
    job: ColumnJob
    pages: int = 0
    oldest: date | None = None
    # The date of the last dated row read so far: where the next page's walk starts.
    last_date: date | None = None
    requested_articles: set[str] = field(default_factory=set)
    # Set by the column's one ColumnDone: a later answer for it (a page requested before
    # an error ended the column) is dropped.
    finished: bool = False
    capped: str | None = None


@dataclass
class ListPage:
    """One answer to a column's list request, decoded, as the styles read it."""

    response: Response
    text: str
    progress: ColumnProgress
    today: date

    @property
    def url(self) -> str:
        return self.response.url

    @property
    def page_no(self) -> int:
        return int(self.response.meta["page_no"])

    @property
    def meta(self) -> dict[str, Any]:
        return self.response.meta

    @cached_property
    def items(self) -> list[ListItem]:
        """The posts the page's HTML lists. Parsed once, whether for detection or reading.
        Short MM-DD dates take their year from the walk down the list, continued from the
        previous page so a list crossing New Year puts December in the right year."""
        page = extract_list(self.text, self.url, self.progress.job.selectors)
        return resolve_list_dates(page.items, self.today, self.progress.last_date)


class Reader(Protocol):
    """What the spider does for the styles."""

    @property
    def plan(self) -> CrawlPlan: ...

    def list_request(self, progress: ColumnProgress, url: str, page_no: int,
                     style: ListStyle | None, meta: dict[str, Any] | None = None,
                     form: Sequence[tuple[str, str]] | None = None) -> Request:
        """A request whose answer comes back to `style.parse` (to detection when None);
        a POST of `form` when given."""
        ...

    def record(self, progress: ColumnProgress, page_no: int, url: str,
               items: list[ListItem]) -> Iterator[Any]:
        """One list page's posts (at most crawl.max_items_per_page of them, setting
        `progress.capped` past it) and their article requests."""
        ...

    def finish(self, progress: ColumnProgress, outcome: CrawlOutcome, reason: str | None,
               complete: bool) -> Iterator[ColumnDone]: ...

    def at_page_cap(self, progress: ColumnProgress) -> bool:
        """Whether crawl.max_pages_per_column is reached (then `progress.capped` is set)."""
        ...

    def can_render(self) -> bool: ...


class Style:
    """One list style. Subclasses set `name` and override what differs."""

    name: ClassVar[ListStyle]

    def detect(self, page: ListPage, reader: Reader) -> bool:
        """Whether the column's first page, fetched without a pin, is of this style."""
        raise NotImplementedError

    def first_requests(self, progress: ColumnProgress, reader: Reader
                       ) -> Iterator[Request | ColumnDone]:
        """The column's first request when the config pins this style."""
        yield reader.list_request(progress, progress.job.url, 1, self.name)

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        """Read an answer to one of this style's requests (or the detected first page)."""
        raise NotImplementedError

    def not_found(self, page: ListPage, reader: Reader) -> Iterator[ColumnDone]:
        """A pinned style whose page is not of it: the column fails, it is never empty."""
        yield from reader.finish(page.progress, CrawlOutcome.ERROR,
                                 f"list_style_not_found: {self.name.value}", False)

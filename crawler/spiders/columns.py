"""The column spider: reads each column's list pages and each new post's article page.

How a list is read is its style's (`crawler.liststyles`): the style the config pins, or
the first in the registry that the column's first page is of. The spider makes the
requests, records every page's posts through the pipeline, and reports how each column
ended. A column it cannot read ends `unreachable` or `blocked`, never empty.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import date
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml.html import HtmlElement
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import FormRequest, Request, Response
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from crawler.browser_guard import REFUSED_HEADER
from crawler.extract.article import extract_article
from crawler.extract.encoding import decode_html
from crawler.extract.html import parse_html
from crawler.extract.listing import ListItem, extract_list, resolve_list_dates
from crawler.linkcheck.classify import classify
from crawler.linkcheck.errors import error_reason
from crawler.linkcheck.policy import PAGE_SNIFF_BYTES
from crawler.linkcheck.urls import request_url
from crawler.linkcheck.waf import is_waf_challenge
from crawler.liststyles import ColumnProgress, ListPage, detect, pinned, style_named
from crawler.middlewares.ssrf_guard import ForbiddenTarget
from monitor.content import ContentFinding, ExpressionDictionary, check_article
from monitor.crawlfacts.article import Article
from monitor.crawlfacts.items import (
    ArticleItem,
    ColumnDone,
    HomePageItem,
    ListedPost,
    ListPageItem,
    PageAnswered,
)
from monitor.crawlfacts.plan import CrawlPlan
from monitor.domain import CrawlOutcome, LinkKind, LinkStatus, ListStyle

logger = logging.getLogger(__name__)

# Articles before list pages: the queue then holds at most a list page's articles per
# column. Lists first made a first crawl queue every article of the portal before reading
# any (90,000 requests held in memory for the large sample portal).
LIST_PRIORITY = 10
ARTICLE_PRIORITY = 20


class ColumnSpider(scrapy.Spider):
    name = "columns"

    def __init__(self, plan: CrawlPlan, recorder: Any = None, progress_display: Any = None,
                 **kwargs: Any):
        super().__init__(**kwargs)
        self.plan = plan
        # Carried for the store pipeline (see crawler.pipelines.store); unused here.
        self.recorder = recorder
        self.progress_display = progress_display
        self.progress = {job.column_id: ColumnProgress(job) for job in plan.jobs}

    async def start(self) -> AsyncIterator[Request | ColumnDone]:
        if self.plan.site_url and self.plan.read_home_page:
            yield Request(self.plan.site_url, callback=self.parse_home, dont_filter=True,
                          errback=self.home_failed, priority=LIST_PRIORITY,
                          meta={"home_page": True})
        for progress in self.progress.values():
            for output in self._start_column(progress):
                yield output

    def _start_column(self, progress: ColumnProgress) -> Iterator[Request | ColumnDone]:
        job = progress.job
        style = pinned(job)
        try:
            first = (list(style.first_requests(progress, self)) if style is not None
                     else [self.list_request(progress, job.url, 1, None)])
        except ValueError as bad:
            # A URL no request can be made of (port out of range …) fails its column only.
            yield from self.finish(progress, CrawlOutcome.ERROR, f"bad_url: {bad}", False)
            return
        yield from first
        if progress.finished:
            return  # the style could not start (no browser for a scripted list)
        for url in job.pending_articles:
            progress.requested_articles.add(url)
            yield from self._article_requests(job.column_id, url)

    # -- requests ------------------------------------------------------------------------

    def list_request(self, progress: ColumnProgress, url: str, page_no: int,
                     style: ListStyle | None, meta: dict[str, Any] | None = None,
                     form: Sequence[tuple[str, str]] | None = None) -> Request:
        """A list request answered in `parse_list`, by `style` (detected when None)."""
        full_meta: dict[str, Any] = {"column_id": progress.job.column_id, "page_no": page_no,
                                     "list_style": style, **(meta or {})}
        if form is not None:
            return FormRequest(url, formdata=list(form), callback=self.parse_list,
                               errback=self.list_failed, priority=LIST_PRIORITY,
                               dont_filter=True, meta=full_meta)
        return Request(url, callback=self.parse_list, errback=self.list_failed, meta=full_meta,
                       priority=LIST_PRIORITY, dont_filter=True)

    def _article_requests(self, column_id: int, url: str) -> Iterator[Request]:
        """The article's request, or none when `url` cannot be requested: the post is
        recorded from its list, its page is not read (and the column still is)."""
        try:
            yield Request(url, callback=self.parse_article, errback=self.article_failed,
                          meta={"column_id": column_id, "post_url": url},
                          priority=ARTICLE_PRIORITY)
        except ValueError as bad:
            self.logger.warning("article not read: %s (bad_url: %s)", url, bad)

    # -- list pages ----------------------------------------------------------------------

    def parse_list(self, response: Response) -> Iterator[Any]:
        progress = self.progress[response.meta["column_id"]]
        if progress.finished:
            return
        failed = _failure_of(response)
        if failed is not None:
            yield from self.finish(progress, failed[0], failed[1], False)
            return
        yield from self._answered(response)
        text, _encoding = decode_html(response.body, _content_type(response))
        page = ListPage(response, text, progress, self.plan.today)
        name = response.meta.get("list_style")
        style = style_named(name) if name is not None else detect(page, self)
        yield from style.parse(page, self)

    def list_failed(self, failure: Failure) -> Iterator[ColumnDone]:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it at run time
        progress = self.progress[request.meta["column_id"]]
        error = failure.value
        reason = error.reason if isinstance(error, ForbiddenTarget) else error_reason(error)
        if too_large(error):
            reason = TOO_LARGE
        release(failure)
        yield from self.finish(progress, CrawlOutcome.UNREACHABLE, reason, False)

    def _within_cap(self, progress: ColumnProgress, url: str,
                    items: list[ListItem]) -> list[ListItem]:
        """A list page's first `max_items_per_page` posts. Reading stops there: the column
        counts as read incompletely, so no post beyond the cap is taken for withdrawn."""
        cap = self.plan.max_items_per_page
        if len(items) <= cap:
            return items
        logger.warning("list page %s shows %d posts; only the first %d are read "
                       "(crawl.max_items_per_page)", url, len(items), cap)
        progress.capped = "items"
        return items[:cap]

    def at_page_cap(self, progress: ColumnProgress) -> bool:
        if progress.pages < self.plan.max_pages_per_column:
            return False
        logger.warning("column %s: stopped after %d list pages (crawl.max_pages_per_column)",
                       progress.job.url, progress.pages)
        progress.capped = "pages"
        return True

    def can_render(self) -> bool:
        return self.plan.browser_path is not None

    def record(
        self, progress: ColumnProgress, page_no: int, url: str, items: list[ListItem]
    ) -> Iterator[Any]:
        items = self._within_cap(progress, url, items)
        progress.pages += 1
        dates = [item.date for item in items if item.date is not None]
        if dates:
            progress.last_date = dates[-1]
            oldest = min(dates)
            progress.oldest = oldest if progress.oldest is None else min(progress.oldest, oldest)
        posts = tuple(
            ListedPost(item.url, item.title, item.date,
                       item.printed_date is None or not item.printed_date.is_short)
            for item in items
        )
        yield ListPageItem(progress.job.column_id, page_no, url, posts)
        for item in items:
            if item.url in progress.job.known_urls or item.url in progress.requested_articles:
                continue
            progress.requested_articles.add(item.url)
            yield from self._article_requests(progress.job.column_id, item.url)

    def finish(
        self, progress: ColumnProgress, outcome: CrawlOutcome, reason: str | None, complete: bool
    ) -> Iterator[ColumnDone]:
        if progress.finished:
            return
        progress.finished = True
        yield ColumnDone(progress.job.column_id, outcome.value, reason, progress.pages,
                         complete, progress.oldest, progress.capped)

    # -- articles ------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        column_id, post_url = response.meta["column_id"], response.meta["post_url"]
        if response.status >= 400 or _failure_of(response) is not None:
            yield ArticleItem(column_id, post_url, response.url, response.status, None, None)
            return
        text, encoding = decode_html(response.body, _content_type(response))
        root = parse_html(text)  # one parse for the extraction and the content checks
        article = extract_article(root, response.url)
        yield ArticleItem(column_id, post_url, response.url, response.status, encoding, article,
                          self._check_content(article, root, response.url))

    def parse_home(self, response: Response) -> Iterator[HomePageItem | PageAnswered]:
        if response.status >= 400 or _failure_of(response) is not None:
            yield HomePageItem(response.url, response.status, None)
            return
        yield from self._answered(response)
        text = decode_html(response.body, _content_type(response))[0]
        root = parse_html(text)
        article = extract_article(root, response.url)
        yield HomePageItem(response.url, response.status, article,
                           self._check_content(article, root, response.url),
                           newest_item=self._newest_item(text, response.url))

    def _newest_item(self, text: str, url: str) -> date | None:
        """The newest dated item the home page lists, read as a column list is; a date
        after the crawl's day is a typo or a scheduled post, not an update."""
        page = extract_list(text, url)
        items = resolve_list_dates(page.items, self.plan.today)
        dates = [item.date for item in items
                 if item.date is not None and item.date <= self.plan.today]
        return max(dates, default=None)

    def _answered(self, response: Response) -> Iterator[PageAnswered]:
        """The page as a link target, when its answer is a working one (see PageAnswered).
        Only a GET answered without a redirect: a redirecting link's chain is the
        checker's to record. A page drawn in the browser is judged on its rendered text."""
        request = response.request
        if (request is None or request.method != "GET" or response.url != request.url
                or response.meta.get("redirect_urls")):
            return
        result = classify(LinkKind.A, response.status, _plain_headers(response),
                          response.body[:PAGE_SNIFF_BYTES], response.url, (response.url,),
                          None, self.plan.soft404_patterns)
        if result.status is LinkStatus.OK:
            yield PageAnswered(request_url(response.url), result)

    def _check_content(self, article: Article, document: HtmlElement, url: str
                       ) -> tuple[ContentFinding, ...]:
        """Privacy leaks, hidden links, wrong expressions: checked once, when the page is read
        (an article is fetched once), so only masked findings travel on."""
        hosts = [urlsplit(self.plan.site_url).netloc] if self.plan.site_url else []
        return tuple(check_article(article.title, article.text, document, url, hosts,
                                   self._expressions, article.pub_date))

    @cached_property
    def _expressions(self) -> ExpressionDictionary:
        # Loaded once per crawl, on the first page read.
        return ExpressionDictionary.load_default()

    def home_failed(self, failure: Failure) -> Iterator[HomePageItem]:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it at run time
        yield HomePageItem(request.url, 0, None, failure=error_reason(failure.value))

    def failed_on(self, response: Response, error: Exception) -> Iterator[ColumnDone]:
        """An error raised while reading `response` (see `crawler.middlewares.column_errors`):
        a list page's error ends its column as failed; an article's leaves the article
        unread (it is asked for again next run). Never the run."""
        column_id = response.meta.get("column_id")
        if column_id is None or "post_url" in response.meta:
            return
        reason = f"{type(error).__name__}: {error}"[:300]
        yield from self.finish(self.progress[column_id], CrawlOutcome.ERROR, reason, False)

    def article_failed(self, failure: Failure) -> None:
        # Left unread: the post keeps no article date and is fetched again next run.
        # Why the ignore below: Scrapy sets failure.request at run time
        self.logger.info("article not read: %s (%s)", failure.request.url,  # type: ignore[attr-defined]
                         error_reason(failure.value))
        release(failure)


TOO_LARGE = "too_large"


def too_large(error: BaseException) -> bool:
    """A body cut off at DOWNLOAD_MAXSIZE, as sent or once decompressed. Scrapy cancels a
    download only for its size (a timeout is a DownloadTimeoutError); the decompression
    bound says so only in its message."""
    if isinstance(error, CancelledError | DownloadCancelledError):
        return True
    message = str(error)
    return "DOWNLOAD_MAXSIZE" in message or "download max size" in message


def release(failure: Failure) -> None:
    """Drop what a failure holds on to. A body cut off during decompression leaves its
    20 MB buffer in the frames of the error's chained cause, and those frames sit in
    reference cycles that only the cyclic garbage collector frees, long after: a few
    dozen decompression bombs then held a gigabyte."""
    error = failure.value
    while error is not None:
        cause = error.__context__ or error.__cause__
        error.__context__ = error.__cause__ = None
        error.__traceback__ = None
        error = cause
    failure.cleanFailure()


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None


def _plain_headers(response: Response) -> dict[str, str]:
    return {
        key.decode("latin-1").lower(): b"\n".join(values).decode("latin-1")
        for key, values in response.headers.items()
    }


def _failure_of(response: Response) -> tuple[CrawlOutcome, str] | None:
    """Why a list response is not a list: refused by the browser's SSRF guard (the list
    landed on a forbidden address), a challenge page, or an HTTP error."""
    headers = _plain_headers(response)
    refused = headers.get(REFUSED_HEADER.lower())
    if refused:
        return CrawlOutcome.UNREACHABLE, refused
    if is_waf_challenge(response.status, headers, response.body[:65536]):
        return CrawlOutcome.BLOCKED, f"waf_challenge_{response.status}"
    if response.status >= 400:
        return CrawlOutcome.UNREACHABLE, f"http_{response.status}"
    return None

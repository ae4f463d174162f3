"""The discovery spider: reads the portal's navigation pages breadth first.

Each page is read by `read_page`; the walk (`Walk`) decides which of its links are read
next. Breadth first, so a column is first met from the shallowest page that links to it
(a unit's own navigation rather than a sibling column's sidebar).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.discover.page import read_page
from crawler.discover.walk import Walk
from crawler.extract.encoding import decode_html
from crawler.linkcheck.errors import error_reason
from crawler.middlewares.ssrf_guard import ForbiddenTarget

# Pages answered without a Content-Type are read too (old portals omit it).
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


class DiscoverSpider(scrapy.Spider):
    name = "discover"
    # Breadth first: Scrapy's queues are last-in first-out unless told otherwise.
    custom_settings = {
        "DEPTH_PRIORITY": 1,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    }

    def __init__(self, walk: Walk, progress: Any = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.walk = walk
        self.progress = progress

    async def start(self) -> AsyncIterator[Request]:
        for url in self.walk.start_urls:
            if self.walk.admit(url, 0):
                yield self._request(url, 0)

    def _request(self, url: str, depth: int) -> Request:
        return Request(url, callback=self.parse_page, errback=self.failed, dont_filter=True,
                       priority=-depth, meta={"walk_url": url, "walk_depth": depth})

    def parse_page(self, response: Response) -> Iterator[Request]:
        url = response.meta["walk_url"]
        self._tick()
        content_type = _content_type(response)
        if response.status >= 400:
            self.walk.failed(url, response.status, f"http_{response.status}")
            return
        media_type = content_type.split(";")[0].strip().lower()
        if media_type and not media_type.startswith(_HTML_TYPES):
            self.walk.failed(url, response.status, "not_html")
            return
        text, _encoding = decode_html(response.body, content_type or None)
        for next_url, depth in self.walk.record(url, read_page(text, response.url)):
            yield self._request(next_url, depth)

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it at run time
        error = failure.value
        reason = error.reason if isinstance(error, ForbiddenTarget) else error_reason(error)
        self.walk.failed(request.meta["walk_url"], None, reason)
        self._tick()

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress.page_read(self.walk)


def _content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else ""

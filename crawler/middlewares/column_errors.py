"""An error raised while the spider reads one page fails that page's column, not the run.

Without this, an exception in a callback (a parser meeting a page it does not expect)
drops the response silently: the column neither ends read nor failed, and its unread
pages would later count as weeks without posts. Here the error is logged with its
traceback, and the spider turns it into the column's `error` outcome (`failed_on`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

log = logging.getLogger("crawler.columns")


class ColumnErrorMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ColumnErrorMiddleware:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception
                                 ) -> Iterable[Any] | None:
        failed_on = getattr(self.crawler.spider, "failed_on", None)
        if failed_on is None:
            return None  # another spider: Scrapy logs it as usual
        log.error("error reading %s: %s: %s", response.url, type(exception).__name__,
                  exception, exc_info=exception)
        return failed_on(response, exception)

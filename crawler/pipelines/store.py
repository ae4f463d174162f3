"""Item pipeline: hands each item to the crawl recorder (storage) and the progress display.

The recorder travels on the spider (`spider.recorder`), not in the settings: Scrapy
deep-copies settings, and a database session factory cannot be copied.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from monitor.crawlfacts.items import (
    ArticleItem,
    ColumnDone,
    HomePageItem,
    ListPageItem,
    PageAnswered,
)
from monitor.crawlfacts.links import LinkCheckResult


class StorePipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        if not crawler.settings.getbool("MONITOR_STORE_ENABLED", True):
            raise NotConfigured("MONITOR_STORE_ENABLED is off")
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        spider = self.crawler.spider
        # Why the ignore below: spider is set while items flow; recorder is on our spiders
        recorder, progress = spider.recorder, spider.progress_display  # type: ignore[union-attr]
        if isinstance(item, ListPageItem):
            new = recorder.list_page(item)
            if progress:
                progress.list_page(new)
        elif isinstance(item, ColumnDone):
            recorder.column_done(item)
            if progress:
                progress.column_done()
        elif isinstance(item, ArticleItem):
            recorder.article(item)
            if progress:
                progress.article()
        elif isinstance(item, HomePageItem):
            recorder.home_page(item)
        elif isinstance(item, PageAnswered):
            recorder.page_answered(item)
        elif isinstance(item, LinkCheckResult):
            recorder.link_result(item)
            if progress:
                progress.link_checked()
        return item

    def close_spider(self) -> None:
        # The recorder holds pages and link verdicts in batches; the link check that
        # follows the column crawl plans from what is stored, so write them now.
        self.crawler.spider.recorder.flush()  # type: ignore[union-attr]  # spider set while open

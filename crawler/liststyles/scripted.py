"""A list drawn by JavaScript: the page's HTML has no list but a script that loads it.
The page is read again in Chromium (scrapy-playwright) and the drawn list read as HTML.

Used for columns with `render: browser`, and for a first page whose HTML lists nothing
but loads data with a script, when a browser is available.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Request
from scrapy_playwright.page import PageMethod

from crawler.liststyles.base import ColumnProgress, ListPage, Reader, Style
from crawler.liststyles.static import read_html_list
from monitor.crawlfacts.items import ColumnDone
from monitor.domain import CrawlOutcome, ListStyle

_DATA_LOADING_SCRIPT = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|\baxios\b", re.IGNORECASE
)


def draws_list_with_script(text: str) -> bool:
    """Whether a page without a list in its HTML loads data with a script.

    An empty column's page (暂无信息) has no such script: rendering it in a browser
    every night would only double its requests.
    """
    return _DATA_LOADING_SCRIPT.search(text) is not None


def browser_meta() -> dict[str, Any]:
    # A list drawn by JavaScript is complete once its data requests are done.
    return {"playwright": True,
            "playwright_page_methods": [PageMethod("wait_for_load_state", "networkidle")]}


class ScriptedList(Style):
    name = ListStyle.SCRIPTED

    def detect(self, page: ListPage, reader: Reader) -> bool:
        return not page.items and reader.can_render() and draws_list_with_script(page.text)

    def first_requests(self, progress: ColumnProgress, reader: Reader
                       ) -> Iterator[Request | ColumnDone]:
        if not reader.can_render():
            # Without a browser the list cannot be read: unreachable, never empty.
            yield from reader.finish(progress, CrawlOutcome.UNREACHABLE, "no_browser", False)
            return
        yield reader.list_request(progress, progress.job.url, 1, self.name, browser_meta())

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        if not page.meta.get("playwright"):
            # Detected on the page's HTML: ask for it again, drawn in the browser.
            yield reader.list_request(page.progress, page.url, 1, self.name, browser_meta())
            return
        yield from read_html_list(self, page, reader, browser_meta())

"""A list in the page's HTML, paged by links (下一页, ?page=N, index_N.html …).

What every list that ends up as HTML is read with: TRS pages and lists drawn in the
browser too (see `trs` and `scripted`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.extract.pagination import extract_pagination
from crawler.liststyles.base import UNLIMITED, ListPage, Reader, Style
from crawler.paging import read_next_page
from monitor.domain import CrawlOutcome, ListStyle


class StaticList(Style):
    name = ListStyle.STATIC

    def detect(self, page: ListPage, reader: Reader) -> bool:
        # The fallback: a page no other style claims is read for what its HTML lists,
        # an empty column's page (暂无信息) included.
        return True

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        yield from read_html_list(self, page, reader)


def read_html_list(style: Style, page: ListPage, reader: Reader,
                   next_meta: dict[str, Any] | None = None) -> Iterator[Any]:
    """Record the page's posts, then ask for the next page (of `style`, with `next_meta`)
    while the walk down the list wants it, or end the column."""
    progress = page.progress
    items = page.items
    yield from reader.record(progress, page.page_no, page.url, items)
    if progress.capped is not None:
        yield from reader.finish(progress, CrawlOutcome.OK, None, False)
        return
    next_url = next_page_url(page.text, page.url, page.page_no)
    if not read_next_page(progress.job, [i.url for i in items], [i.date for i in items],
                          progress.pages, UNLIMITED):
        yield from reader.finish(progress, CrawlOutcome.OK, None, next_url is None)
        return
    if next_url is None:
        yield from reader.finish(progress, CrawlOutcome.OK, None, True)
        return
    if reader.at_page_cap(progress):
        yield from reader.finish(progress, CrawlOutcome.OK, None, False)
        return
    yield reader.list_request(progress, next_url, page.page_no + 1, style.name, next_meta)


def next_page_url(text: str, url: str, page_no: int) -> str | None:
    pager = extract_pagination(text, url)
    if pager.next_url is not None:
        return pager.next_url
    if len(pager.all_page_urls) > page_no:
        return pager.all_page_urls[page_no]
    return None

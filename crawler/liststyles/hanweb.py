"""Hanweb JCMS lists: the column page (/col/colNNN/index.html) holds at most the first
records inline; the list comes from /module/web/jpage/dataproxy.jsp, asked by POST for
record windows (startrecord/endrecord) and answered as <datastore> XML."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Request

from crawler.extract.hanweb import HanwebQuery, find_hanweb_query, hanweb_request, parse_datastore
from crawler.extract.listing import resolve_list_dates
from crawler.liststyles.base import UNLIMITED, ColumnProgress, ListPage, Reader, Style
from crawler.paging import read_next_page
from monitor.domain import CrawlOutcome, ListStyle

# Records per Hanweb dataproxy call, as the platform's own pages ask.
HANWEB_WINDOW = 45


class HanwebList(Style):
    name = ListStyle.HANWEB

    def detect(self, page: ListPage, reader: Reader) -> bool:
        return find_hanweb_query(page.text, page.url) is not None

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        if "hanweb" in page.meta:
            yield from self._read_window(page, reader)
            return
        query = find_hanweb_query(page.text, page.url)
        if query is None:
            yield from self.not_found(page, reader)
            return
        yield self._window_request(page.progress, reader, query, 1)

    def _window_request(self, progress: ColumnProgress, reader: Reader, query: HanwebQuery,
                        start: int) -> Request:
        call = hanweb_request(query, start, start + HANWEB_WINDOW - 1)
        return reader.list_request(progress, call.url, progress.pages + 1, self.name,
                                   {"hanweb": query, "start": start}, form=list(call.form))

    def _read_window(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        progress = page.progress
        window = parse_datastore(page.text, progress.job.url)
        items = resolve_list_dates(window.items, page.today, progress.last_date)
        yield from reader.record(progress, page.page_no, page.url, items)
        end = page.meta["start"] + HANWEB_WINDOW - 1
        more = window.total_records is not None and end < window.total_records
        wanted = more and read_next_page(progress.job, [i.url for i in items],
                                         [i.date for i in items], progress.pages, UNLIMITED)
        if progress.capped is not None or (wanted and reader.at_page_cap(progress)):
            yield from reader.finish(progress, CrawlOutcome.OK, None, False)
            return
        if wanted:
            yield self._window_request(progress, reader, page.meta["hanweb"], end + 1)
            return
        yield from reader.finish(progress, CrawlOutcome.OK, None, not more)

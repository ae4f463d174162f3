"""TRS WCM lists: static index.html, index_1.html … whose page count is only in the
template's `createPageHTML(count, current, "index", "html")` call (or `var countPage`).

Read as a static list (`extract_pagination` knows the TRS pager); a style of its own so
that a column can be pinned to it and a page shown as TRS is named so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crawler.extract.pagination import trs_pager
from crawler.liststyles.base import ListPage, Reader, Style
from crawler.liststyles.static import read_html_list
from monitor.domain import ListStyle


class TrsList(Style):
    name = ListStyle.TRS

    def detect(self, page: ListPage, reader: Reader) -> bool:
        return trs_pager(page.text, page.url) is not None

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        yield from read_html_list(self, page, reader)

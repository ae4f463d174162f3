"""A list served as JSON by an `/api/…` endpoint, as newer county CMSs do: the list
page's HTML holds an empty container and a script that fetches, e.g.,
/api/columns/<id>/articles?page=N, answered
{"total": …, "items": [{"title": …, "url": …, "date": "2024-05-06"}, …]}.

Read without a browser: the endpoint the script names is called page by page, as the
script would call it, until `total` posts are read or the walk down the list stops.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from crawler.extract.dates import find_date
from crawler.extract.listing import ListItem, resolve_list_dates
from crawler.liststyles.base import UNLIMITED, ListPage, Reader, Style
from crawler.liststyles.scripted import browser_meta
from crawler.paging import read_next_page
from monitor.crawlfacts.urls import normalize_url
from monitor.domain import CrawlOutcome, ListStyle

# A script's data call whose URL (a string literal) goes to an /api/ path:
# fetch("/api/…"), $.getJSON('/api/…'), $.ajax({url: "/api/…"}), axios.get(`/api/…`).
_API_CALL = re.compile(
    r"""(?:\bfetch|\$\.(?:ajax|get|getJSON|post)|\baxios(?:\.get)?)\s*\(\s*"""
    r"""(?:\{[^}]*?\burl\s*:\s*)?["'`]([^"'`]*/api/[^"'`]*)["'`]"""
)
# Page parameters the call may name with a value (an empty one is glued to a variable).
_PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "current", "p")


@dataclass(frozen=True)
class ApiQuery:
    """The endpoint a list page's script calls: its URL with the fixed parameters, and
    the parameter that carries the 1-based page number."""

    url: str
    page_param: str

    def page_url(self, page_no: int) -> str:
        parts = urlsplit(self.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        query.append((self.page_param, str(page_no)))
        return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class ApiAnswer:
    items: list[ListItem]
    total: int | None


def find_api_query(markup: str, page_url: str) -> ApiQuery | None:
    """The /api/ call of the page's script, if it has one."""
    call = _API_CALL.search(markup)
    if call is None:
        return None
    path, _, query = call[1].partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    # "…?page=" + page: the empty parameter is the page; else a page-like name, else page.
    glued = [key for key, value in pairs if not value]
    named = [key for key, _value in pairs if key.lower() in _PAGE_PARAMS]
    page_param = (glued or named or ["page"])[-1]
    fixed = [(key, value) for key, value in pairs if key != page_param and value]
    url = urljoin(page_url, path) + (f"?{urlencode(fixed)}" if fixed else "")
    return ApiQuery(url, page_param)


def api_list_query(markup: str, page_url: str, items: Sequence[ListItem]) -> ApiQuery | None:
    """The endpoint a list page of this style is drawn from, None for a page of another
    style: the page's HTML lists no post (`items`, as `extract_list` reads it) and its
    script calls an /api/ endpoint. The crawl's detection and discovery's, both."""
    return find_api_query(markup, page_url) if not items else None


def read_answer(text: str, base_url: str) -> ApiAnswer | None:
    """The posts of one answer, their links resolved against the list page; None when the
    answer is not such a list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        return None
    items = [item for entry in document["items"]
             if (item := _item(entry, base_url)) is not None]
    total = document.get("total")
    return ApiAnswer(items, total if isinstance(total, int) else None)


def _item(entry: object, base_url: str) -> ListItem | None:
    if not isinstance(entry, dict):
        return None
    title, href, shown = entry.get("title"), entry.get("url"), entry.get("date")
    if not isinstance(title, str) or not title.strip() or not isinstance(href, str):
        return None
    url = normalize_url(href, base_url)
    if url is None:
        return None
    printed = find_date(shown) if isinstance(shown, str) else None
    return ListItem(url, title.strip(), printed.to_date() if printed else None,
                    printed.raw if printed else None, printed)


class JsonApiList(Style):
    name = ListStyle.JSONAPI

    def detect(self, page: ListPage, reader: Reader) -> bool:
        return api_list_query(page.text, page.url, page.items) is not None

    def parse(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        if "api" in page.meta:
            yield from self._read(page, reader)
            return
        query = find_api_query(page.text, page.url)
        if query is None:
            yield from self.not_found(page, reader)
            return
        yield reader.list_request(page.progress, query.page_url(1), 1, self.name,
                                  {"api": query, "base": page.url, "seen": 0})

    def _read(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        progress, query = page.progress, page.meta["api"]
        answer = read_answer(page.text, page.meta["base"])
        if answer is None:
            yield from self._unreadable(page, reader)
            return
        items = resolve_list_dates(answer.items, page.today, progress.last_date)
        yield from reader.record(progress, page.page_no, page.url, items)
        seen = page.meta["seen"] + len(items)
        more = bool(items) and answer.total is not None and seen < answer.total
        wanted = more and read_next_page(progress.job, [i.url for i in items],
                                         [i.date for i in items], progress.pages, UNLIMITED)
        if progress.capped is not None or (wanted and reader.at_page_cap(progress)):
            yield from reader.finish(progress, CrawlOutcome.OK, None, False)
            return
        if wanted:
            yield reader.list_request(progress, query.page_url(page.page_no + 1),
                                      page.page_no + 1, self.name,
                                      {"api": query, "base": page.meta["base"], "seen": seen})
            return
        yield from reader.finish(progress, CrawlOutcome.OK, None, not more)

    def _unreadable(self, page: ListPage, reader: Reader) -> Iterator[Any]:
        """An answer of another shape. A detected column's list is then drawn in the
        browser, as its script would draw it; a pinned one, or one without a browser,
        fails (never empty)."""
        progress = page.progress
        if page.page_no == 1 and progress.job.style is None and reader.can_render():
            yield reader.list_request(progress, page.meta["base"], 1, ListStyle.SCRIPTED,
                                      browser_meta())
            return
        yield from reader.finish(progress, CrawlOutcome.ERROR, "jsonapi_not_a_list", False)

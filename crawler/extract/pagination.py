"""Where the next pages of a column list are.

Sources, most reliable first:
  * TRS WCM pager calls with literal numbers: `createPageHTML(21, 0, "index", "html")`
    (page count, 0-based current page, file stem, extension) and the six-argument form
    `createPageHTML('page_div', 27, 1, 'fg', 'shtml', 530)` (element id, page count,
    1-based current page, stem, extension, record count). TRS publishes page k (0-based)
    as `stem.ext` for k = 0 and `stem_k.ext` otherwise. The pager function's own
    definition (`function createPageHTML(_nPageCount, …)`) has no literal numbers and is
    not a call.
  * `var countPage = N` (with `var currentPage = M`, 0-based) for templates that call the
    pager with variables;
  * a "下一页" link, `?page=N`-style and `index_N.html` / `list_N.htm` page-number links,
    "尾页" for the count and "共N页" text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from crawler.extract.html import document_base, parse_html, visible_text
from monitor.crawlfacts.urls import normalize_url


@dataclass(frozen=True)
class Pagination:
    """`all_page_urls` lists every page from the first when the page count and naming are
    known; `current_page` is 1-based."""

    next_url: str | None = None
    all_page_urls: tuple[str, ...] = ()
    page_count: int | None = None
    current_page: int | None = None


_STRING = r"""["']([^"']*)["']"""
_TRS_CALL_4 = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*" + _STRING + r"\s*,\s*" + _STRING + r"\s*\)"
)
_TRS_CALL_6 = re.compile(
    r"createPageHTML\(\s*" + _STRING + r"\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*" + _STRING
    + r"\s*,\s*" + _STRING + r"\s*,\s*(\d+)\s*\)"
)
_TRS_CALL_VARS = re.compile(
    r"createPageHTML\(\s*([A-Za-z_$][\w$]*)\s*,\s*([A-Za-z_$][\w$]*)\s*,\s*" + _STRING
    + r"\s*,\s*" + _STRING + r"\s*\)"
)
_COUNT_PAGE = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT_PAGE = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_TOTAL_PAGES_TEXT = re.compile(r"共\s*(\d+)\s*页")

_NEXT_WORDS = frozenset({"下一页", "下页", "后一页", "下一页>", "下一页>>", "next", "next>", ">"})
_LAST_WORDS = frozenset({"尾页", "末页", "最后一页", "最末页", "last"})
_PAGE_PARAMS = ("page", "pageno", "pageindex", "pagenum", "curpage", "currentpage", "p", "pn")
_NUMBERED_FILE = re.compile(r"/(index|list|default|more)_(\d+)\.(s?html?|jsp|php|aspx?)$",
                            re.IGNORECASE)


def extract_pagination(markup: str, page_url: str) -> Pagination:
    """The pager of a list page; an empty `Pagination` when the list has one page."""
    trs = trs_pager(markup, page_url)
    if trs is not None:
        return trs
    root = parse_html(markup)
    base = document_base(root, page_url)
    links = _links(root, base)
    next_url = _next_link(links, page_url)
    page_count = _last_page_number(links) or _pages_in_text(visible_text(root))
    if next_url is None:
        next_url = _numbered_next(links, page_url)
    return Pagination(next_url=next_url, page_count=page_count)


def trs_page_urls(page_url: str, count: int, stem: str, extension: str) -> tuple[str, ...]:
    """URLs of the `count` pages TRS publishes as stem.ext, stem_1.ext, stem_2.ext, …"""
    urls = []
    for index in range(count):
        name = f"{stem}.{extension}" if index == 0 else f"{stem}_{index}.{extension}"
        url = normalize_url(name, page_url)
        if url is not None:
            urls.append(url)
    return tuple(urls)


def trs_pager(markup: str, page_url: str) -> Pagination | None:
    """The pager a TRS WCM template writes with createPageHTML (or countPage), if any."""
    call = _TRS_CALL_4.search(markup)
    if call is not None:
        count, current0 = int(call[1]), int(call[2])
        return _trs_pagination(page_url, count, current0, call[3], call[4])
    call = _TRS_CALL_6.search(markup)
    if call is not None:
        count, current1 = int(call[2]), int(call[3])
        return _trs_pagination(page_url, count, current1 - 1, call[4], call[5])
    count_match = _COUNT_PAGE.search(markup)
    if count_match is None:
        return None
    current_match = _CURRENT_PAGE.search(markup)
    current0 = int(current_match[1]) if current_match else 0
    stem, extension = _own_file_name(page_url)
    variable_call = _TRS_CALL_VARS.search(markup)
    if variable_call is not None:
        stem, extension = variable_call[3], variable_call[4]
    return _trs_pagination(page_url, int(count_match[1]), current0, stem, extension)


def _trs_pagination(
    page_url: str, count: int, current0: int, stem: str, extension: str
) -> Pagination:
    if count <= 0 or not stem or not extension:
        return Pagination(page_count=max(count, 0) or None)
    urls = trs_page_urls(page_url, count, stem, extension)
    next_url = urls[current0 + 1] if 0 <= current0 + 1 < len(urls) else None
    return Pagination(
        next_url=next_url, all_page_urls=urls, page_count=count, current_page=current0 + 1
    )


def _own_file_name(page_url: str) -> tuple[str, str]:
    """Stem and extension of the page's own file ("index", "html" for a directory URL)."""
    name = urlsplit(page_url).path.rsplit("/", 1)[-1]
    stem, dot, extension = name.partition(".")
    if not dot or not stem:
        return "index", "html"
    return stem.split("_")[0], extension


def _links(root, base: str) -> list[tuple[str, str]]:
    found = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        url = normalize_url(href, base)
        if url is not None:
            found.append((visible_text(anchor) or (anchor.get("title") or "").strip(), url))
    return found


def _next_link(links: list[tuple[str, str]], page_url: str) -> str | None:
    own = normalize_url(page_url, page_url)
    for text, url in links:
        if text.strip().lower() in _NEXT_WORDS and url != own:
            return url
    return None


def _last_page_number(links: list[tuple[str, str]]) -> int | None:
    for text, url in links:
        if text.strip().lower() in _LAST_WORDS:
            number = _page_number(url)
            if number is not None:
                return number
    return None


def _pages_in_text(text: str) -> int | None:
    match = _TOTAL_PAGES_TEXT.search(text)
    return int(match[1]) if match else None


def _numbered_next(links: list[tuple[str, str]], page_url: str) -> str | None:
    current = _page_number(page_url) or 1
    for _, url in links:
        if _page_number(url) == current + 1 and _same_list(url, page_url):
            return url
    return None


def _page_number(url: str) -> int | None:
    """The 1-based page number a list URL names, or None when it names none."""
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    numbered = _NUMBERED_FILE.search(parts.path)
    if numbered is not None:
        return int(numbered[2]) + 1  # index_1.html is the second page
    return None


def _same_list(url: str, page_url: str) -> bool:
    """True when `url` is another page of the list at `page_url` (same directory)."""
    a, b = urlsplit(url), urlsplit(page_url)
    return a.netloc == b.netloc and a.path.rsplit("/", 1)[0] == b.path.rsplit("/", 1)[0]

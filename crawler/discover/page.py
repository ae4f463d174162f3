"""What one page of a portal tells the discovery walk.

A page is read once: its title, its breadcrumb (当前位置：首页 > 县水利局 > 工作动态), whether
its main block is a column list (the crawler's own strategies: a Hanweb dataproxy
declaration, a list found by `extract_list`, a list its script fetches from an /api/
endpoint, an empty column's 暂无信息, a list drawn by a script), and its navigation links
with the heading each sits under (a hub page lists a unit's columns under the unit's
name). The posts of the list and its pager are not
navigation: the walk never follows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

from lxml import html

from crawler.extract.hanweb import find_hanweb_query, inline_datastore
from crawler.extract.html import (
    class_and_id_words,
    document_base,
    parse_html,
    squash,
    visible_text,
)
from crawler.extract.listing import (
    ListItem,
    breadcrumb_marker,
    extract_list,
    is_furniture,
    link_title,
    shows_empty_list,
)
from crawler.extract.pagination import extract_pagination
from crawler.liststyles.jsonapi import api_list_query
from crawler.liststyles.scripted import draws_list_with_script
from monitor.crawlfacts.urls import is_skipped_href, normalize_url


class ListKind(StrEnum):
    """How a page shows a column list, if it does."""

    STATIC = "static"  # rows in the HTML (TRS, tables, legacy pages)
    HANWEB = "hanweb"  # a Hanweb dataproxy declaration (records fetched by the list script)
    JSONAPI = "jsonapi"  # no rows in the HTML, the script fetches them as JSON from /api/
    SCRIPT = "script"  # no rows in the HTML, a script loads them: needs a browser
    EMPTY = "empty"  # the page says the column has no posts yet
    NONE = "none"  # not a list page


@dataclass(frozen=True)
class NavLink:
    url: str
    text: str
    heading: str | None  # the heading the link sits under, when its block has one


@dataclass(frozen=True)
class PageReport:
    url: str
    title: str
    crumbs: tuple[str, ...]
    list_kind: ListKind
    posts: int
    dated: int
    links: tuple[NavLink, ...]
    # Where the list's posts come from when not from the page itself (the /api/ endpoint).
    list_source: str | None = None


# An undated block whose rows read like names (units, columns) is a menu, not posts:
# post titles are sentences.
_MIN_UNDATED_TITLE = 10
_CRUMB_SEPARATORS = re.compile(r"\s*(?:>|＞|»|›|→|>>|/|\\)\s*")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "dt", "th", "caption", "legend"})
_HEADING_ROLE = re.compile(r"(?:^|[^a-z])(?:title|tit|hd|head|bt|name|lm)(?:[^a-z]|$)")
_MAX_HEADING_TEXT = 24
_MORE = re.compile(r"^(?:更多|more|查看更多)$", re.IGNORECASE)
_MORE_STRIP = "[]【】()（）<>«»›‹+ .…\u3000"
# An empty column's list frame: a pager counting no records, or a list table whose
# header names the date column and that has no other row.
_EMPTY_PAGER = re.compile(r"共\s*0\s*(?:条|篇|项|记录)")
_DATE_HEADER = re.compile(r"发布日期|发布时间|成文日期|日期")


def read_page(markup: str, url: str) -> PageReport:
    """What `markup`, fetched from `url`, shows: list, breadcrumb, navigation links."""
    root = parse_html(markup)
    base = document_base(root, url)
    text = visible_text(root)
    kind, items, source = _list_of(markup, url, root, text)
    skipped = {item.url for item in items} | _pager_urls(markup, url)
    return PageReport(
        url=url,
        title=_title(root),
        crumbs=_crumbs(root),
        list_kind=kind,
        posts=len(items),
        dated=sum(1 for item in items if item.printed_date is not None),
        links=tuple(_nav_links(root, base, skipped)),
        list_source=source,
    )


def _list_of(
    markup: str, url: str, root: html.HtmlElement, text: str
) -> tuple[ListKind, list[ListItem], str | None]:
    """The page's kind of list, the posts its HTML shows, and the endpoint they come from
    when the page does not hold them."""
    if find_hanweb_query(markup, url) is not None:
        inline = inline_datastore(markup, url)
        return ListKind.HANWEB, inline.items if inline is not None else [], None
    items = extract_list(markup, url).items
    if items and _reads_like_posts(items):
        return ListKind.STATIC, items, None
    # Before the empty column's signs, as the crawl tries the styles: an /api/ list with
    # no posts yet is still read through its endpoint.
    api = api_list_query(markup, url, items)
    if api is not None:
        return ListKind.JSONAPI, [], api.url
    if shows_empty_list(text) or _EMPTY_PAGER.search(text) or _empty_list_table(root):
        return ListKind.EMPTY, [], None
    if draws_list_with_script(markup):
        return ListKind.SCRIPT, [], None
    return ListKind.NONE, [], None


def _empty_list_table(root: html.HtmlElement) -> bool:
    for table in root.iter("table"):
        rows = list(table.iter("tr"))
        if len(rows) == 1 and any(_DATE_HEADER.search(visible_text(cell))
                                  for cell in rows[0].iter("th")):
            return True
    return False


def _reads_like_posts(items: list[ListItem]) -> bool:
    if any(item.printed_date is not None for item in items):
        return True
    return median(len(item.title) for item in items) >= _MIN_UNDATED_TITLE


def _pager_urls(markup: str, url: str) -> set[str]:
    pager = extract_pagination(markup, url)
    urls = set(pager.all_page_urls)
    if pager.next_url is not None:
        urls.add(pager.next_url)
    return urls


def _title(root: html.HtmlElement) -> str:
    title = root.find(".//title")
    return squash(title.text_content()) if title is not None else ""


def _crumbs(root: html.HtmlElement) -> tuple[str, ...]:
    """The breadcrumb's parts after its lead-in, or () when the page has none."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "title"):
            continue
        if not (element.text and breadcrumb_marker(element.text)):
            continue
        node: html.HtmlElement = element
        # `<span>当前位置：</span><a>首页</a> > …`: the parts are the lead-in's siblings.
        for _ in range(3):
            parts = _crumb_parts(visible_text(node))
            parent = node.getparent()
            if len(parts) >= 2 or parent is None:
                return parts
            node = parent
        return _crumb_parts(visible_text(node))
    return ()


def _crumb_parts(text: str) -> tuple[str, ...]:
    found = breadcrumb_marker(text)
    if found is None:
        return ()
    rest = text[found.end():].lstrip("：: \u3000")
    return tuple(part.strip() for part in _CRUMB_SEPARATORS.split(rest) if part.strip())


def _nav_links(root: html.HtmlElement, base: str, skipped: set[str]) -> list[NavLink]:
    links: list[NavLink] = []
    seen: set[str] = set()
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href or is_skipped_href(href):
            continue
        url = normalize_url(href, base)
        if url is None or url in skipped or url in seen:
            continue
        text = link_title(anchor)
        if _MORE.match(text.strip(_MORE_STRIP)):
            # A block's 更多 link leads to the column the block previews, named by the
            # block's title (`<div class="hd"><span>工作动态</span><a>更多>></a></div>`).
            text = _block_title(anchor) or ""
            if not text:
                continue
        # Pager and page-tool links (首页, 下一页 …): the start pages are read anyway, and a
        # column's other pages are not columns.
        elif is_furniture(text):
            continue
        seen.add(url)
        links.append(NavLink(url, text, _heading_above(anchor)))
    return links


def _block_title(anchor: html.HtmlElement) -> str | None:
    """The title beside a 更多 link: a short text before it in its bar, or the heading
    above its block."""
    for sibling in anchor.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) and sibling.tag not in ("script", "style"):
            text = visible_text(sibling)
            if 2 <= len(text) <= _MAX_HEADING_TEXT:
                return text
    parent = anchor.getparent()
    if parent is not None and _is_heading(parent):
        own = (parent.text or "").strip()
        if 2 <= len(own) <= _MAX_HEADING_TEXT:
            return own
    return _heading_above(anchor)


def _heading_above(anchor: html.HtmlElement) -> str | None:
    """The text of the heading that opens the block holding `anchor`, if any."""
    node = anchor
    for _ in range(4):
        parent = node.getparent()
        if parent is None or parent.tag == "body":
            return None
        for sibling in node.itersiblings(preceding=True):
            if _is_heading(sibling) or _is_tree_label(node, sibling):
                text = visible_text(sibling)
                return text if 0 < len(text) <= _MAX_HEADING_TEXT else None
        node = parent
    return None


def _is_tree_label(branch: html.HtmlElement, sibling: html.HtmlElement) -> bool:
    """A tree's node label: `<li><a>石门镇</a><ul>…its columns…</ul></li>`."""
    return branch.tag in ("ul", "ol", "dl", "div") and sibling.tag in ("a", "span", "strong",
                                                                        "b", "p")


def _is_heading(element: html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False
    if element.tag in _HEADING_TAGS:
        return True
    if element.tag in ("a", "ul", "ol", "li", "table", "tr", "td", "script", "style"):
        return False
    if element.find(".//li") is not None or len(element.findall(".//a")) > 1:
        return False
    return bool(_HEADING_ROLE.search(class_and_id_words(element)))

"""Finding the posts on a column list page without per-site rules.

A column page lists its posts as a block of sibling rows (`<li>`, `<tr>`, `<div>`), each
with one link to the post and usually a date. Around the block sit the site menu, a
breadcrumb (当前位置：首页 > …), sidebars, a pager and a footer, which are never posts.
Candidate blocks are the (parent, row tag) pairs met on the way up from each link; each
is scored by how many of its rows look like a post (one main link with a title of some
length, a date) and penalised for navigation roles. The best block wins; sibling blocks
of the same kind (lists split into several `<ul>`s) are merged into it.

`ListSelectors` from the column's config (SPEC §2 `list:`) bypasses the detection.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from lxml import etree, html
from lxml.cssselect import CSSSelector

from crawler.extract.dates import ParsedDate, find_date, resolve_short_dates, to_ascii
from crawler.extract.html import (
    class_and_id_words,
    document_base,
    parse_html,
    squash,
    visible_text,
)
from monitor.crawlfacts.plan import ListSelectors
from monitor.crawlfacts.urls import is_skipped_href, normalize_url


@dataclass(frozen=True)
class ListItem:
    """One post as the column list shows it.

    `date` is the calendar date when the list printed a year, or when a short date was
    resolved against a reference date; `printed_date` keeps what was printed so that a
    caller can resolve short dates again with better anchors (an article's PubDate).
    """

    url: str
    title: str
    date: date | None
    raw_date: str | None
    printed_date: ParsedDate | None = None


@dataclass(frozen=True)
class ListPage:
    """The posts found on one list page, in page order (newest first on most portals).

    `found_by`: "selectors" (config), "detected" (automatic), or "none" (no list found,
    or the page says the column is empty: 暂无相关信息; sidebars are then ignored).
    """

    items: list[ListItem] = field(default_factory=list)
    found_by: str = "none"

    @property
    def has_short_dates(self) -> bool:
        return any(item.printed_date is not None and item.printed_date.is_short
                   for item in self.items)


# Link texts of pagers, menus and page furniture; such links are never posts.
_FURNITURE_WORDS = frozenset(
    {
        "首页", "上一页", "下一页", "尾页", "末页", "上页", "下页", "前页", "后页", "前一页",
        "后一页", "第一页", "最后一页", "最末页", "跳转", "转到", "go", "确定", "更多",
        "more", "返回", "返回顶部", "返回首页", "打印", "打印本页", "关闭", "关闭窗口",
        "收藏", "加入收藏", "设为首页", "网站地图", "联系我们", "无障碍", "English", "english",
    }
)
_PAGE_NUMBER = re.compile(r"^(?:第?\s*\d+\s*页?|[<>«»‹›]+|\.\.\.|…)$")
_FURNITURE_STRIP = "[]【】()（）<>«»›‹ \u3000"
# Tokens of class/id values that mark navigation and page furniture.
_NAV_ROLE = re.compile(
    r"(?:^|[^a-z])(?:nav|menu|header|footer|foot|crumb|breadcrumb|position|location|"
    r"daohang|dh|topbar|sitemap|pager|pagination|page-?bar|fenye|yqlj|friend)"
)
# Tokens of blocks that list other pages' posts (sidebars, hot and related news).
_ASIDE_ROLE = re.compile(
    r"(?:^|[^a-z])(?:side|aside|sidebar|hot|rdxx|rdtj|tuijian|recommend|related|xgxx|xgwz)"
)
# What an empty column shows instead of its list (SPEC: status 200, no posts).
_EMPTY_LIST_TEXT = re.compile(
    r"暂无(?:相关)?(?:信息|数据|内容|记录|文章)|没有(?:相关|找到)(?:信息|数据|记录)"
)
_BREADCRUMB_TEXT = re.compile(r"当前位置|您的位置|现在的位置|所在位置|当前的位置")
_ELLIPSIS = ("...", "…", "..", "。。。")
_MAX_LINKS_PER_ROW = 3
_MAX_CLIMB = 6


@dataclass(frozen=True)
class _Row:
    element: html.HtmlElement
    item: ListItem


def extract_list(
    markup: str,
    page_url: str,
    selectors: ListSelectors | None = None,
    reference: date | None = None,
) -> ListPage:
    """The posts listed on a column page.

    With `reference` (the crawl date), short `MM-DD` dates are resolved to a year by
    `resolve_short_dates`; without it they keep `date=None` and only `printed_date`.
    Raises `cssselect.SelectorError` when a configured selector is not valid CSS.
    """
    root = parse_html(markup)
    base = document_base(root, page_url)
    if selectors is not None:
        items, found_by = _items_by_selectors(root, base, selectors), "selectors"
    else:
        # An empty column still has sidebars listing other posts, none of them its own.
        # The marker may also sit in an empty sidebar widget beside a real list, so it
        # does not discard the page: it only demands a block of dated rows.
        empty_marker = bool(_EMPTY_LIST_TEXT.search(visible_text(root)))
        items = _detect_items(root, base, min_dated=2 if empty_marker else 0)
        found_by = "detected" if items else "none"
    items = _dedupe(items)
    if reference is not None:
        items = resolve_list_dates(items, reference)
    return ListPage(items=items, found_by=found_by)


def shows_empty_list(text: str) -> bool:
    """Whether a page's visible text says its column has no posts (暂无相关信息)."""
    return _EMPTY_LIST_TEXT.search(text) is not None


def breadcrumb_marker(text: str) -> re.Match[str] | None:
    """Where a breadcrumb's lead-in (当前位置 …) sits in `text`, if it has one."""
    return _BREADCRUMB_TEXT.search(text)


def resolve_list_dates(
    items: list[ListItem], reference: date, start: date | None = None
) -> list[ListItem]:
    """`items` with short printed dates given a year (see `resolve_short_dates`)."""
    dates = resolve_short_dates([item.printed_date for item in items], reference, start)
    return [
        ListItem(item.url, item.title, day, item.raw_date, item.printed_date)
        for item, day in zip(items, dates, strict=True)
    ]


def items_from_rows(rows: Iterable[html.HtmlElement], base_url: str) -> list[ListItem]:
    """A ListItem for each element that holds one post link (used for Hanweb records)."""
    items = []
    for row in rows:
        read = read_row(row, base_url)
        if read is not None:
            items.append(read)
    return items


# --- automatic detection -------------------------------------------------------------


def _detect_items(root: html.HtmlElement, base: str, min_dated: int) -> list[ListItem]:
    repeated, single = _candidate_blocks(root)
    best = _best_block(repeated, base, min_dated)
    if best is None or _dated_rows(best[3]) < 2:
        # Blocks of one row matter only for a column with a single post; reading them
        # when a dated list is already found would only cost time.
        best = _best_block(repeated + single, base, min_dated)
    if best is None:
        return []
    _, parent, tag, rows = best
    return [row.item for row in _with_sibling_blocks(parent, tag, rows, base)]


_Block = tuple[float, html.HtmlElement, str, list["_Row | None"]]


def _dated_rows(rows: list[_Row | None]) -> int:
    return sum(1 for row in rows if row is not None and row.item.printed_date is not None)


def _best_block(
    candidates: list[tuple[html.HtmlElement, str]], base: str, min_dated: int
) -> _Block | None:
    best: _Block | None = None
    for parent, tag in candidates:
        rows = _read_rows(parent, tag, base)
        score = _score(parent, rows, min_dated)
        if score > 0 and (best is None or score > best[0]):
            best = (score, parent, tag, rows)
    return best


def _candidate_blocks(
    root: html.HtmlElement,
) -> tuple[list[tuple[html.HtmlElement, str]], list[tuple[html.HtmlElement, str]]]:
    """(parent, row tag) pairs above each link: those with repeated rows, and the rest."""
    seen: dict[tuple[html.HtmlElement, str], None] = {}
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href or is_skipped_href(href):
            continue
        node = anchor
        for _ in range(_MAX_CLIMB):
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            seen.setdefault((parent, str(node.tag)), None)
            node = parent
    repeated: list[tuple[html.HtmlElement, str]] = []
    single: list[tuple[html.HtmlElement, str]] = []
    for parent, tag in seen:
        same = sum(1 for child in parent if child.tag == tag)
        (repeated if same > 1 else single).append((parent, tag))
    return repeated, single


def _read_rows(parent: html.HtmlElement, tag: str, base: str) -> list[_Row | None]:
    rows: list[_Row | None] = []
    for child in parent:
        if child.tag != tag:
            continue
        item = read_row(child, base)
        rows.append(_Row(child, item) if item is not None else None)
    return rows


def _score(parent: html.HtmlElement, rows: list[_Row | None], min_dated: int) -> float:
    posts = [row for row in rows if row is not None]
    dated = sum(1 for row in posts if row.item.printed_date is not None)
    if len(posts) < 2 and not (len(posts) == 1 and dated == 1) or dated < min_dated:
        return 0.0
    mean_title = sum(len(row.item.title) for row in posts) / len(posts)
    score = len(posts) * (1.0 + min(mean_title, 30.0) / 10.0) + 3.0 * dated
    score *= 0.5 + 0.5 * len(posts) / len(rows)
    # Short undated link texts are a menu, and blocks in the header, menu, footer or
    # pager are page furniture: never posts, even on an empty column's page where they
    # are the only repeated links left.
    if dated == 0 and mean_title < 6:
        return 0.0
    if _has_role(parent, _NAV_ROLE, ("nav", "header", "footer")):
        return 0.0
    if _has_role(parent, _ASIDE_ROLE, ("aside",)):
        score *= 0.25
    if _BREADCRUMB_TEXT.search(_leading_text(parent)):
        score *= 0.1
    return score


def _leading_text(element: html.HtmlElement, limit: int = 200) -> str:
    """The first `limit` characters of text, read lazily (blocks can be whole pages)."""
    parts: list[str] = []
    size = 0
    for text in element.itertext():
        parts.append(text)
        size += len(text)
        if size >= limit:
            break
    return "".join(parts)[:limit]


def _has_role(element: html.HtmlElement, words: re.Pattern[str], tags: tuple[str, ...]) -> bool:
    node: html.HtmlElement | None = element
    for _ in range(4):
        if node is None or node.tag == "body":
            return False
        if node.tag in tags or words.search(class_and_id_words(node)):
            return True
        node = node.getparent()
    return False


def _with_sibling_blocks(
    parent: html.HtmlElement, tag: str, rows: list[_Row | None], base: str
) -> list[_Row]:
    """Rows of `parent` plus those of its look-alike siblings, in document order."""
    grandparent = parent.getparent()
    if grandparent is None:
        return [row for row in rows if row is not None]
    merged: list[_Row] = []
    for block in grandparent:
        if block is parent:
            merged.extend(row for row in rows if row is not None)
        elif block.tag == parent.tag and block.get("class") == parent.get("class"):
            merged.extend(row for row in _read_rows(block, tag, base) if row is not None)
    return merged


# --- one row -------------------------------------------------------------------------


def read_row(row: html.HtmlElement, base: str) -> ListItem | None:
    """The post in one list row, or None when the row is not a single-post row."""
    links = _post_links(row, base)
    if not links or len({url for url, _ in links}) > _MAX_LINKS_PER_ROW:
        return None
    titled = [(link_title(anchor), url, anchor) for url, anchor in links]
    title, url, anchor = max(titled, key=lambda link: len(link[0]))
    return _item_for(row, anchor, url, title=title)


def _item_for(
    row: html.HtmlElement,
    anchor: html.HtmlElement,
    url: str,
    date_cell: str | None = None,
    title: str | None = None,
) -> ListItem | None:
    title = link_title(anchor) if title is None else title
    if is_furniture(title):
        return None
    printed = find_date(date_cell) if date_cell is not None else _row_date(row, anchor)
    if printed is not None and title.endswith(printed.raw):
        # A date printed inside the link (`<a>title<span>04-29</span></a>`).
        title = title[: -len(printed.raw)].rstrip(" []【】()（）")
    return ListItem(
        url=url,
        title=title,
        date=printed.to_date() if printed is not None else None,
        raw_date=printed.raw if printed is not None else None,
        printed_date=printed,
    )


def _post_links(row: html.HtmlElement, base: str) -> list[tuple[str, html.HtmlElement]]:
    links = []
    for anchor in row.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        url = normalize_url(href, base)
        if url is not None:
            links.append((url, anchor))
            if len(links) > 2 * _MAX_LINKS_PER_ROW:
                break
    return links


_TEXT_OUTSIDE_LINKS = etree.XPath(
    "descendant::text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)]"
)


def _row_date(row: html.HtmlElement, anchor: html.HtmlElement) -> ParsedDate | None:
    # The date cell is text outside the link; the title may itself hold numbers that look
    # like dates ("信访件16-10"), so the link text is read only as a last resort.
    if row is not anchor:
        outside = "".join(_TEXT_OUTSIDE_LINKS(row))
        found = find_date(outside)
        if found is not None:
            return found
    inside = to_ascii(visible_text(anchor)).strip(" []【】()（）")
    found = find_date(inside)
    if found is not None and (inside.endswith(found.raw) or inside.startswith(found.raw)):
        return found
    return None


def link_title(anchor: html.HtmlElement) -> str:
    """The full title of a post link: its text, or its `title` attribute when the text is
    empty or cut short with an ellipsis (lists truncate long titles)."""
    text = visible_text(anchor)
    attribute = squash(anchor.get("title") or "")
    if not text:
        return attribute or _image_alt(anchor)
    if attribute and text.endswith(_ELLIPSIS):
        stem = text.rstrip(".…。 ")
        if len(attribute) >= len(stem):
            return attribute
    return text


def _image_alt(anchor: html.HtmlElement) -> str:
    for image in anchor.iter("img"):
        alt = squash(image.get("alt") or "")
        if alt:
            return alt
    return ""


def is_furniture(title: str) -> bool:
    """True for link texts of pagers, menus and page tools (never a post title)."""
    core = title.strip(_FURNITURE_STRIP)
    if len(core) < 2:
        return True
    return core in _FURNITURE_WORDS or core.lower() in _FURNITURE_WORDS or bool(
        _PAGE_NUMBER.match(core)
    )


def _dedupe(items: list[ListItem]) -> list[ListItem]:
    seen: set[str] = set()
    unique = []
    for item in items:
        if item.url not in seen:
            seen.add(item.url)
            unique.append(item)
    return unique


# --- configured selectors ------------------------------------------------------------


@lru_cache(maxsize=256)
def compile_selector(css: str) -> CSSSelector:
    """A compiled CSS selector; raises `cssselect.SelectorError` for invalid CSS."""
    return CSSSelector(css, translator="html")


def _items_by_selectors(
    root: html.HtmlElement, base: str, selectors: ListSelectors
) -> list[ListItem]:
    items = []
    for row in compile_selector(selectors.item)(root):
        item = _item_by_selectors(row, base, selectors)
        if item is not None:
            items.append(item)
    return items


def _item_by_selectors(
    row: html.HtmlElement, base: str, selectors: ListSelectors
) -> ListItem | None:
    anchor = None
    if selectors.link is not None:
        found = _first(row, selectors.link)
        anchor = found if found is not None and found.get("href") else None
        if anchor is None and found is not None:
            anchor = next(found.iter("a"), None)
        if anchor is None:
            return None
    return _item_with_parts(row, base, selectors, anchor)


def _item_with_parts(
    row: html.HtmlElement,
    base: str,
    selectors: ListSelectors,
    anchor: html.HtmlElement | None,
) -> ListItem | None:
    if anchor is None:
        links = _post_links(row, base)
        if not links:
            return None
        anchor = max(links, key=lambda link: len(link_title(link[1])))[1]
    url = normalize_url(anchor.get("href") or "", base)
    if url is None:
        return None
    date_cell = None
    if selectors.date is not None:
        cell = _first(row, selectors.date)
        date_cell = visible_text(cell) if cell is not None else ""
    item = _item_for(row, anchor, url, date_cell)
    if item is None or selectors.title is None:
        return item
    title_element = _first(row, selectors.title)
    if title_element is None:
        return item
    title = link_title(title_element) or item.title
    return ListItem(item.url, title, item.date, item.raw_date, item.printed_date)


def _first(row: html.HtmlElement, css: str) -> html.HtmlElement | None:
    matches = compile_selector(css)(row)
    return matches[0] if matches else None

"""A legacy GBK site: list.htm, list_2.htm …, [04-29] short dates. The charset is given in
the HTTP header and/or a meta tag, and the two sometimes disagree (the header is right,
as browsers also decide)."""

from __future__ import annotations

import re
from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response
from sampleportal.styles.common import (
    Context,
    MetaFlavour,
    article_page,
    list_page,
    page_count,
    page_slice,
)

FLAVOUR = MetaFlavour(upper=True)
PER_PAGE = 20
TITLE_LIMIT = 24
_PAGE_FILE = re.compile(r"^list(?:_(\d+))?\.htm$")


def article_path(column: Column, post: Post) -> str:
    return f"{column.root}{post.claimed:%Y%m}/{300000 + post.id}.htm"


def gbk(text: str) -> bytes:
    return text.encode("gbk", errors="xmlcharrefreplace")


def _item(column: Column, post: Post) -> str:
    date = "" if column.list_dates is ListDates.NONE else f" [{post.claimed:%m-%d}]"
    href = article_path(column, post)[len(column.root):]
    return f'<li><a href="{href}" target="_blank">{escape(shown_title(post.title))}</a>{date}</li>'


def shown_title(title: str) -> str:
    """Long titles are cut with "..." and no `title=` attribute: only the article page
    has the whole title (a trap for the crawler)."""
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 2] + "..."


def _pager(page: int, pages: int) -> str:
    def name(number: int) -> str:
        return "list.htm" if number == 1 else f"list_{number}.htm"

    links = [f'<a href="{name(1)}">首页</a>']
    if page > 1:
        links.append(f'<a href="{name(page - 1)}">上页</a>')
    if page < pages:
        links.append(f'<a href="{name(page + 1)}">下页</a>')
    links.append(f'<a href="{name(pages)}">尾页</a>')
    return f'<div class="pager">共{pages}页 当前第{page}页 {" ".join(links)}</div>'


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    match = _PAGE_FILE.match(rest or "list.htm")
    if match is None:
        return None
    page = int(match[1] or 1)
    posts = column.live_posts(ctx.now)
    pages = page_count(len(posts), PER_PAGE)
    if page < 1 or page > pages or match[1] == "1":
        return None
    items = "\n".join(_item(column, post) for post in page_slice(posts, page - 1, PER_PAGE))
    body = f'<ul class="newslist">\n{items}\n</ul>\n{_pager(page, pages)}'
    if page == 1:
        # First page: header and meta agree (GBK and its subset GB2312).
        text = list_page(ctx, column.name, unit, body, charset="gb2312")
        return Response(200, gbk(text), "text/html; charset=GBK")
    # Later pages: no charset in the header, only the meta tag tells.
    text = list_page(ctx, column.name, unit, body, charset="gbk")
    return Response(200, gbk(text), "text/html")


def article_response(ctx: Context, unit: Unit, column: Column, post: Post) -> Response:
    # The template's meta still says utf-8 although the server sends GBK: the header wins.
    text = article_page(ctx, unit, column, post, FLAVOUR, charset="utf-8")
    return Response(200, gbk(text), "text/html; charset=GBK")

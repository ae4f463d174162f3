"""Table layout: one row per post with a 2024年04月29日 date, and a 首页/上一页/下一页/尾页
pager of ?page=N links."""

from __future__ import annotations

from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response, html
from sampleportal.styles.common import Context, MetaFlavour, list_page, page_count, page_slice

FLAVOUR = MetaFlavour(empty_site_id=True)
PER_PAGE = 15
TITLE_LIMIT = 24


def article_path(column: Column, post: Post) -> str:
    return f"{column.root}show/{post.id}.html"


def _row(column: Column, post: Post) -> str:
    date = "" if column.list_dates is ListDates.NONE else (
        f"{post.claimed.year}年{post.claimed.month:02d}月{post.claimed.day:02d}日")
    return (
        f'<tr><td class="title"><a href="{article_path(column, post)}" target="_blank">'
        f'{escape(shown_title(post.title))}</a></td><td class="date">{date}</td></tr>'
    )


def shown_title(title: str) -> str:
    """Long titles are cut silently, no ellipsis: the list shows only their beginning
    (a trap for the crawler: the article page has the whole title)."""
    return title[:TITLE_LIMIT]


def _pager(page: int, pages: int, total: int) -> str:
    def link(label: str, target: int, active: bool) -> str:
        return f'<a href="?page={target}">{label}</a>' if active else f"<span>{label}</span>"

    return (
        f'<div class="pager">共{total}条 第{page}/{pages}页 '
        f"{link('首页', 1, page > 1)} {link('上一页', page - 1, page > 1)} "
        f"{link('下一页', page + 1, page < pages)} {link('尾页', pages, page < pages)}</div>"
    )


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    if rest not in ("", "index.html"):
        return None
    posts = column.live_posts(ctx.now)
    pages = page_count(len(posts), PER_PAGE)
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        page = 1
    page = max(1, page)
    rows = "\n".join(_row(column, post) for post in page_slice(posts, page - 1, PER_PAGE))
    body = (
        f'<table class="list-table" width="100%"><tr><th>标题</th><th>发布日期</th></tr>\n'
        f"{rows}\n</table>\n{_pager(page, pages, len(posts))}"
    )
    return html(list_page(ctx, column.name, unit, body))

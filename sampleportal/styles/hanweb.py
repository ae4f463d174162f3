"""Hanweb JCMS style: /col/colNNN/index.html shows no list in its HTML (at most the first
records inline in <script type="text/xml">); the list comes from
/module/web/jpage/dataproxy.jsp (startrecord/endrecord/perpage + form fields) as
<datastore> XML with CDATA records. Article URLs /art/2024/4/9/art_NNN_NNNN.html."""

from __future__ import annotations

from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response, html
from sampleportal.styles.common import Context, MetaFlavour, list_page

FLAVOUR = MetaFlavour(lower_names=True, empty_site_id=True, empty_source=True)
PER_PAGE = 15
GROUP = 45  # records per dataproxy call, as the real jpage script asks
WEBID = "3601"
UNIT_ID = "9527"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def article_path(column: Column, post: Post) -> str:
    day = post.claimed
    return f"/art/{day.year}/{day.month}/{day.day}/art_{column.number}_{900000 + post.id}.html"


def record(column: Column, post: Post) -> str:
    date = "" if column.list_dates is ListDates.NONE else (
        f'<span class="bt-data-time">{post.claimed.isoformat()}</span>')
    return (
        f'<li><a href="{article_path(column, post)}" title="{escape(post.title)}" '
        f'target="_blank">{escape(post.title)}</a>{date}</li>'
    )


def _records(column: Column, posts: list[Post]) -> str:
    return "".join(f"<record><![CDATA[\n{record(column, post)}\n]]></record>\n" for post in posts)


def _inline(column: Column) -> bool:
    # Some JCMS templates inline the first page; others leave the container empty.
    return column.number % 2 == 0


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    if rest not in ("", "index.html"):
        return None
    posts = column.live_posts(ctx.now)
    inline = _records(column, posts[:PER_PAGE]) if _inline(column) else ""
    body = (
        f'<div class="list-title">{escape(column.name)}</div>\n'
        f'<div id="{column.number}"><script type="text/xml"><datastore>\n'
        f"<nextgroup><![CDATA[<a href=\"{DATAPROXY}?page=1&webid={WEBID}&path=/"
        f"&columnid={column.number}&unitid={UNIT_ID}&webname={escape(ctx.portal.site_name)}"
        f'&permissiontype=0"></a>]]></nextgroup>\n<recordset>\n{inline}</recordset>\n'
        f"</datastore></script>\n"
        f'<script type="text/javascript">var jpageConf = {{col: 1, appid: 1, webid: {WEBID}, '
        f"path: '/', columnid: {column.number}, sourceContentType: 1, unitid: '{UNIT_ID}', "
        f"webname: '{ctx.portal.site_name}', permissiontype: 0, perpage: {PER_PAGE}, "
        f"group: {GROUP}}};</script>\n"
        '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script></div>'
    )
    return html(list_page(ctx, column.name, unit, body))


def dataproxy_response(ctx: Context, column: Column, params: dict[str, str]) -> Response:
    posts = column.live_posts(ctx.now)
    start = max(1, _int(params.get("startrecord"), 1))
    end = max(start, _int(params.get("endrecord"), start + GROUP - 1))
    perpage = max(1, _int(params.get("perpage"), PER_PAGE))
    total = len(posts)
    chosen = posts[start - 1:end]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{max(1, -(-total // perpage))}"
        f"</totalpage>\n<recordset>\n{_records(column, chosen)}</recordset>\n</datastore>\n"
    )
    return Response(200, body.encode("utf-8"), "text/xml; charset=utf-8")


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default

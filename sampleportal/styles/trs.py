"""TRS WCM style: static index.html, index_1.html … whose page count is only in the
`createPageHTML(count, current, "index", "html")` call; article URLs
./YYYYMM/tYYYYMMDD_NNNNNN.html; long titles cut with "…" (full title in `title=`)."""

from __future__ import annotations

import re
from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response, html
from sampleportal.styles.common import Context, MetaFlavour, list_page, page_count, page_slice

FLAVOUR = MetaFlavour()
PER_PAGE = 20
TITLE_LIMIT = 22
_PAGE_FILE = re.compile(r"^index(?:_(\d+))?\.html$")

# Our own pager function with the TRS calling convention: pages, current page (0-based),
# file stem and extension. It writes the links with document.write, as TRS templates do.
PAGER_SCRIPT = """<script type="text/javascript">
function createPageHTML(count, current, stem, ext) {
  if (count <= 1) { return; }
  var name = function (n) { return n === 0 ? stem + "." + ext : stem + "_" + n + "." + ext; };
  var out = "<span>共" + count + "页</span> ";
  if (current > 0) { out += "<a href='" + name(0) + "'>首页</a> <a href='" + name(current - 1)
    + "'>上一页</a> "; }
  if (current < count - 1) { out += "<a href='" + name(current + 1) + "'>下一页</a> <a href='"
    + name(count - 1) + "'>尾页</a>"; }
  document.write(out);
}
</script>
"""


def article_path(column: Column, post: Post) -> str:
    day = post.claimed
    return f"{column.root}{day:%Y%m}/t{day:%Y%m%d}_{500000 + post.id}.html"


def shown_title(title: str) -> str:
    return title if len(title) <= TITLE_LIMIT else title[: TITLE_LIMIT - 1] + "…"


def _date_cell(column: Column, post: Post) -> str:
    if column.list_dates is ListDates.NONE:
        return ""
    shown = post.claimed.strftime("%m-%d" if column.list_dates is ListDates.SHORT else "%Y-%m-%d")
    return f'<span class="date">{shown}</span>'


def _item(column: Column, post: Post) -> str:
    href = "./" + article_path(column, post)[len(column.root):]
    return (
        f'<li><a href="{href}" title="{escape(post.title)}" target="_blank">'
        f"{escape(shown_title(post.title))}</a>{_date_cell(column, post)}</li>"
    )


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    match = _PAGE_FILE.match(rest or "index.html")
    if match is None:
        return None
    current = int(match[1] or 0)
    posts = column.live_posts(ctx.now)
    count = page_count(len(posts), PER_PAGE)
    if current >= count:
        return None
    items = "\n".join(_item(column, post) for post in page_slice(posts, current, PER_PAGE))
    body = (
        f'<div class="list-title">{escape(column.name)}</div>\n<ul class="list">\n{items}\n</ul>\n'
        f'<div class="page"><script type="text/javascript">'
        f'createPageHTML({count}, {current}, "index", "html");</script></div>'
    )
    return html(list_page(ctx, column.name, unit, body, head_extra=PAGER_SCRIPT))

"""A JavaScript-rendered list: the HTML holds an empty <ul>; a script fetch()es the
items from a JSON API and draws them. Only a real browser sees the list."""

from __future__ import annotations

import json
from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response, html, json_body
from sampleportal.styles.common import Context, MetaFlavour, list_page, page_count, page_slice

FLAVOUR = MetaFlavour()
PER_PAGE = 10


def article_path(column: Column, post: Post) -> str:
    return f"{column.root}content/post_{post.id}.html"


def api_path(column: Column) -> str:
    return f"/api/{column.unit_slug}/{column.slug}/posts.json"


_SCRIPT = """<script type="text/javascript">
(function () {
  var page = parseInt(new URLSearchParams(location.search).get("page") || "1", 10);
  fetch("%(api)s?page=" + page + "&size=%(size)d")
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var list = document.getElementById("news-list");
      data.items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url; a.title = item.title; a.textContent = item.title;
        li.appendChild(a);
        if (item.date) {
          var span = document.createElement("span");
          span.className = "date"; span.textContent = item.date; li.appendChild(span);
        }
        list.appendChild(li);
      });
      var pager = document.getElementById("pager");
      if (data.page < data.pages) {
        var next = document.createElement("a");
        next.href = "?page=" + (data.page + 1); next.textContent = "下一页";
        pager.appendChild(next);
      }
      list.setAttribute("data-loaded", "true");
    });
})();
</script>"""


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    if rest not in ("", "index.html"):
        return None
    script = _SCRIPT % {"api": api_path(column), "size": PER_PAGE}
    body = (
        f'<div class="list-title">{escape(column.name)}</div>\n'
        '<ul id="news-list" class="list"></ul>\n<div id="pager" class="pager"></div>\n' + script
    )
    return html(list_page(ctx, column.name, unit, body))


def api_response(ctx: Context, column: Column, query: dict[str, str]) -> Response:
    posts = column.live_posts(ctx.now)
    size = max(1, min(100, _int(query.get("size"), PER_PAGE)))
    pages = page_count(len(posts), size)
    page = max(1, _int(query.get("page"), 1))
    items = [
        {
            "id": post.id,
            "title": post.title,
            "url": article_path(column, post),
            "date": "" if column.list_dates is ListDates.NONE else post.claimed.isoformat(),
        }
        for post in page_slice(posts, page - 1, size)
    ]
    document = {"total": len(posts), "page": page, "pages": pages, "size": size, "items": items}
    return json_body(json.dumps(document, ensure_ascii=False))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default

"""A list served as JSON, as newer county CMSs serve theirs: the list page's HTML holds
an empty container and a script that fetches /api/columns/<id>/articles?page=N, answered
{"total", "page", "size", "items": [{"title", "url", "date"}]}, and draws the items.
The dates are ISO (null where the column's list shows none). Article URLs
/<unit>/<column>/art/YYYYMMDD/<id>.html."""

from __future__ import annotations

import json
from html import escape

from sampleportal.model import Column, ListDates, Post, Unit
from sampleportal.responses import Response, html, json_body
from sampleportal.styles.common import Context, MetaFlavour, list_page, page_slice

FLAVOUR = MetaFlavour()
PER_PAGE = 12


def article_path(column: Column, post: Post) -> str:
    return f"{column.root}art/{post.claimed:%Y%m%d}/{700000 + post.id}.html"


def api_path(column: Column) -> str:
    return f"/api/columns/{column.number}/articles"


_SCRIPT = """<script type="text/javascript">
(function () {
  var page = parseInt(new URLSearchParams(location.search).get("page") || "1", 10);
  fetch("%(api)s?page=" + page)
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var box = document.getElementById("article-list");
      data.items.forEach(function (item) {
        var row = document.createElement("div");
        row.className = "article-row";
        var a = document.createElement("a");
        a.href = item.url; a.textContent = item.title; row.appendChild(a);
        if (item.date) {
          var time = document.createElement("time");
          time.textContent = item.date; row.appendChild(time);
        }
        box.appendChild(row);
      });
    });
})();
</script>"""


def list_response(
    ctx: Context, unit: Unit, column: Column, rest: str, query: dict[str, str]
) -> Response | None:
    if rest not in ("", "index.html"):
        return None
    body = (
        f'<div class="list-title">{escape(column.name)}</div>\n'
        f'<div id="article-list" data-column="{column.number}"></div>\n'
        + _SCRIPT % {"api": api_path(column)}
    )
    return html(list_page(ctx, column.name, unit, body))


def api_response(ctx: Context, column: Column, query: dict[str, str]) -> Response:
    posts = column.live_posts(ctx.now)
    page = max(1, _int(query.get("page"), 1))
    items = [
        {
            "title": post.title,
            "url": article_path(column, post),
            "date": None if column.list_dates is ListDates.NONE else post.claimed.isoformat(),
        }
        for post in page_slice(posts, page - 1, PER_PAGE)
    ]
    document = {"total": len(posts), "page": page, "size": PER_PAGE, "items": items}
    return json_body(json.dumps(document, ensure_ascii=False))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default

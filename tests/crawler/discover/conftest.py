"""A small fictional county portal (安澜县) in the two layouts discovery meets most:

- a TRS WCM site: home page, 政务公开 page, the 部门信息公开 directory (a table of
  departments by their short names), each department's 信息公开 page (a left tree of
  columns beside a dated list of all its posts) and TRS column lists (table rows,
  `MM-DD` dates, `./YYYYMM/tYYYYMMDD_N.html` links, the `createPageHTML` pager);
- a Hanweb JCMS 信息公开 tree under /col/ (the 乡镇 grouping, each township with its
  columns nested below it, column pages declaring a `dataproxy.jsp` list), linked from
  nowhere on the TRS site: an entry given with `--also`.

Written for these tests from the layouts' well-known conventions; served on 127.0.0.1.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

SITE = "安澜县人民政府"

# Department directory: (short name shown in the directory, full name, path, columns).
DEPARTMENTS = (
    ("水利局", "安澜县水利局", "slj", (("gzdt", "工作动态"), ("tzgg", "通知公告"),
                                     ("zcjd", "政策解读"), ("ndbg", "年度报告"))),
    ("发展和改革委员会", "安澜县发展和改革委员会", "fgw",
     (("jgzn", "机构职能"), ("ghjh", "规划计划"), ("gzdt", "工作动态"))),
)
# Hanweb townships: (name in the tree, name in the breadcrumb, unit col, columns).
TOWNSHIPS = (
    ("石门镇", "石门镇人民政府", 210, ((211, "乡镇动态"), (212, "通知公告"),
                                   (213, "政府信息公开年度报告"))),
    ("河口乡", "河口乡人民政府", 220, ((221, "乡镇动态"), (222, "财政预决算"))),
)
HANWEB_TREE = "/col/col200/index.html"
PRIVATE_COLUMN = "/bm/private/lm/"  # forbidden by robots.txt


def _page(title: str, crumbs: list[tuple[str, str | None]], body: str, head: str = "") -> str:
    trail = " &gt; ".join(f'<a href="{href}">{text}</a>' if href else text
                          for text, href in crumbs)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{title}</title>{head}</head><body>"
        '<div class="top"><ul class="nav"><li><a href="/">首页</a></li>'
        '<li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>'
        f'<div class="location"><span>您的位置：</span>{trail}</div>{body}'
        '<div class="footer"><a href="/wzdt/">网站地图</a> <a href="/lxwm/">联系我们</a>'
        f"<p>{SITE}办公室主办</p></div></body></html>"
    )


def _home() -> str:
    news = "".join(
        f'<li><a href="/xwzx/yw/202404/t2024041{day}_90{day}.html">安澜县召开第{day}次'
        f"县政府常务会议研究部署近期重点工作</a><span>2024-04-1{day}</span></li>"
        for day in range(1, 6))
    body = (f'<div class="news"><div class="hd"><a href="/xwzx/yw/">要闻</a></div><ul>{news}</ul>'
            '<a href="/xwzx/yw/">更多</a></div>')
    return _page(f"首页_{SITE}", [], body)


def _zwgk() -> str:
    body = ('<div class="entries"><a href="/zwgk/bmxxgk/">部门信息公开</a>'
            '<a href="/zwgk/xxgkzn/">政府信息公开指南</a>'
            f'<a href="{PRIVATE_COLUMN}">内部栏目</a></div>')
    return _page(f"政务公开_{SITE}", [("首页", "/"), ("政务公开", None)], body)


def _directory() -> str:
    cells = "".join(f'<td><a href="../../bm/{path}/" target="_blank">{short}</a></td>'
                    for short, _full, path, _columns in DEPARTMENTS)
    body = (f'<div class="bmxxgk"><div class="title">县直部门</div>'
            f'<table class="bmlist"><tr>{cells}</tr></table></div>')
    return _page(f"部门信息公开_{SITE}",
                 [("首页", "/"), ("政务公开", "/zwgk/"), ("部门信息公开", None)], body)


def _rows(prefix: str, count: int, month_day: int = 26) -> str:
    return "".join(
        f'<tr><td class="bt"><a href="./202404/t202404{month_day - n:02d}_{7000 + n}.html" '
        f'target="_blank">{prefix}关于做好二〇二四年第{n + 1}批重点工作落实情况的通报</a></td>'
        f'<td class="rq">04-{month_day - n:02d}</td></tr>'
        for n in range(count))


def _tree(path: str, columns: tuple[tuple[str, str], ...]) -> str:
    links = "".join(f'<li><a href="/bm/{path}/{slug}/">{name}</a></li>' for slug, name in columns)
    return f'<div class="left"><h3>信息公开目录</h3><ul class="tree">{links}</ul></div>'


def _department(short: str, full: str, path: str,
                columns: tuple[tuple[str, str], ...]) -> str:
    body = (_tree(path, columns) + '<div class="right"><table class="xxgk-list">'
            f"{_rows(short, 8)}</table></div>")
    return _page(f"{full}_{SITE}", [("首页", "/"), ("政务公开", "/zwgk/"),
                                   ("部门信息公开", "/zwgk/bmxxgk/"), (full, None)], body)


def _trs_column(full: str, path: str, columns: tuple[tuple[str, str], ...], name: str) -> str:
    body = (_tree(path, columns) + f'<div class="right"><div class="lm-title">{name}</div>'
            f'<table class="list">{_rows(name, 15)}</table><div class="page">'
            '<script>createPageHTML(3, 0, "index", "html");</script></div></div>')
    head = ("<script>function createPageHTML(n, c, s, e) { document.write('共' + n + '页'); }"
            "</script>")
    return _page(f"{name}_{full}_{SITE}",
                 [("首页", "/"), ("政务公开", "/zwgk/"), ("部门信息公开", "/zwgk/bmxxgk/"),
                  (full, f"/bm/{path}/"), (name, None)], body, head)


def _hanweb_tree() -> str:
    branches = "".join(
        f'<li><a href="/col/col{number}/index.html">{name}</a><ul>'
        + "".join(f'<li><a href="/col/col{column}/index.html">{title}</a></li>'
                  for column, title in columns)
        + "</ul></li>"
        for name, _full, number, columns in TOWNSHIPS)
    body = (f'<div class="xxgk-tree"><div class="tit">乡镇</div><ul>{branches}</ul></div>'
            '<div class="xxgk-main"><p>请在左侧选择乡镇及栏目。</p></div>')
    return _page(f"乡镇信息公开_{SITE}", [("首页", "/"), ("乡镇信息公开", None)], body)


def _hanweb_list(column: int) -> str:
    return (
        f'<div id="{column}"><script type="text/xml"><datastore><nextgroup><![CDATA['
        f'<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=5&path=/&columnid={column}'
        '&unitid=9001&webname=安澜县&permissiontype=0"></a>]]></nextgroup><recordset>'
        "</recordset></datastore></script>"
        '<script src="/module/web/jpage/jpage.js"></script></div>'
    )


def _hanweb_unit(name: str, full: str, number: int) -> str:
    return _page(f"{full}_{SITE}", [("首页", "/"), ("乡镇信息公开", HANWEB_TREE), (full, None)],
                 _hanweb_list(number))


def _hanweb_column(full: str, number: int, column: int, title: str) -> str:
    return _page(f"{title}_{full}_{SITE}",
                 [("首页", "/"), ("乡镇信息公开", HANWEB_TREE),
                  (full, f"/col/col{number}/index.html"), (title, None)],
                 _hanweb_list(column))


def _yw() -> str:
    rows = _rows("县政府", 12)
    return _page(f"要闻_{SITE}", [("首页", "/"), ("新闻中心", None), ("要闻", None)],
                 f'<table class="list">{rows}</table>')


def portal_pages() -> dict[str, str]:
    pages = {"/": _home(), "/zwgk/": _zwgk(), "/zwgk/bmxxgk/": _directory(), "/xwzx/yw/": _yw(),
             "/zwgk/xxgkzn/": _page(f"政府信息公开指南_{SITE}", [("首页", "/")],
                                    "<p>本指南说明本县政府信息公开的范围和方式。</p>"),
             PRIVATE_COLUMN: _trs_column("安澜县水利局", "slj", (), "内部栏目"),
             HANWEB_TREE: _hanweb_tree()}
    for short, full, path, columns in DEPARTMENTS:
        pages[f"/bm/{path}/"] = _department(short, full, path, columns)
        for slug, name in columns:
            pages[f"/bm/{path}/{slug}/"] = _trs_column(full, path, columns, name)
    for _name, full, number, columns in TOWNSHIPS:
        pages[f"/col/col{number}/index.html"] = _hanweb_unit(_name, full, number)
        for column, title in columns:
            pages[f"/col/col{column}/index.html"] = _hanweb_column(full, number, column, title)
    return pages


@dataclass
class FixturePortal:
    base_url: str
    requested: list[str]
    # What the pages hold, for the tests' expectations.
    departments: tuple = DEPARTMENTS
    townships: tuple = TOWNSHIPS
    hanweb_tree: str = HANWEB_TREE
    private_column: str = PRIVATE_COLUMN

    def url(self, path: str) -> str:
        return self.base_url + path


def _handler(pages: dict[str, str], requested: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = unquote(urlsplit(self.path).path)
            requested.append(path)
            if path == "/robots.txt":
                self._answer(200, f"User-agent: *\nDisallow: {PRIVATE_COLUMN}\n",
                             "text/plain; charset=utf-8")
            elif path in pages:
                self._answer(200, pages[path], "text/html")
            else:
                self._answer(404, "<html><body>404</body></html>", "text/html")

        def _answer(self, status: int, text: str, content_type: str) -> None:
            body = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture(scope="module")
def fixture_portal() -> Iterator[FixturePortal]:
    requested: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(portal_pages(), requested))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FixturePortal(f"http://127.0.0.1:{server.server_address[1]}", requested)
    finally:
        server.shutdown()
        server.server_close()

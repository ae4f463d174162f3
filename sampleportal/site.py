"""The portal's routing: which page answers a path at the simulated now.

Nothing here knows about sockets; `server.py` turns requests into `Site.respond` calls.
Indexes are built once (article paths → posts); pages are rendered per request, so even
the large portal starts in seconds.
"""

from __future__ import annotations

import re
import struct
import zlib
from html import escape

from sampleportal.clock import SimulatedClock
from sampleportal.model import Column, Hosts, ListStyle, Portal, Post, Unit
from sampleportal.responses import Response, html, not_found
from sampleportal.styles import (
    api_path,
    api_response,
    article_path,
    article_response,
    hanweb,
    list_response,
)
from sampleportal.styles.common import Context, footer, header
from sampleportal.traps import MINIMAL_PDF, TrapResponder

_POST_IMAGE = re.compile(r"^/uploads/image/\d{6}/W0\d+\.png$")
_POST_FILE = re.compile(r"^/uploads/file/\d{6}/P0\d+\.pdf$")
JPAGE_JS = b"/* list paging for /module/web/jpage/dataproxy.jsp */\n"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header_chunk = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x30\x30")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header_chunk) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


PNG = _png()


class Site:
    def __init__(self, portal: Portal, hosts: Hosts, clock: SimulatedClock) -> None:
        self.portal = portal
        self.hosts = hosts
        self.clock = clock
        self.traps = TrapResponder()
        self._roots: dict[str, tuple[Unit, Column]] = {}
        self._numbers: dict[str, tuple[Unit, Column]] = {}
        self._apis: dict[str, tuple[Unit, Column]] = {}
        self._articles: dict[str, tuple[Unit, Column, Post]] = {}
        for unit in portal.units:
            for column in unit.columns:
                self._index(unit, column)

    def _index(self, unit: Unit, column: Column) -> None:
        self._roots[column.root] = (unit, column)
        self._numbers[str(column.number)] = (unit, column)
        api = api_path(column)
        if api is not None:
            self._apis[api] = (unit, column)
        for post in column.posts:
            self._articles[article_path(column, post)] = (unit, column, post)

    def context(self) -> Context:
        return Context(self.portal, self.hosts, self.clock.now())

    def respond(self, method: str, path: str, params: dict[str, str]) -> Response:
        """Answer a request to the portal itself; `path` is percent-decoded."""
        ctx = self.context()
        if path in ("/", "/index.html"):
            return html(self._home(ctx))
        if path == "/zwgk/index.html":
            return html(self._home(ctx, title="政务公开"))
        trap = self.traps.site(path, method)
        if trap is not None:
            return trap
        found = self._content(ctx, path, params)
        return found if found is not None else not_found()

    def _content(self, ctx: Context, path: str, params: dict[str, str]) -> Response | None:
        if path == hanweb.DATAPROXY:
            owner = self._numbers.get(params.get("columnid", ""))
            if owner is None or owner[1].style is not ListStyle.HANWEB:
                return Response(400, b"columnid required", "text/plain")
            return hanweb.dataproxy_response(ctx, owner[1], params)
        if path == "/module/web/jpage/jpage.js":
            return Response(200, JPAGE_JS, "application/javascript")
        if path in self._apis:
            return api_response(ctx, self._apis[path][1], params)
        if path in self._articles:
            unit, column, post = self._articles[path]
            return article_response(ctx, unit, column, post) if post.live_at(ctx.now) else None
        if _POST_IMAGE.match(path):
            return Response(200, PNG, "image/png")
        if _POST_FILE.match(path):
            return Response(200, MINIMAL_PDF, "application/pdf")
        directory, _, rest = path.rpartition("/")
        owner = self._roots.get(directory + "/")
        if owner is None:
            return None
        return list_response(ctx, owner[0], owner[1], rest, params)

    def _home(self, ctx: Context, title: str = "首页") -> str:
        blocks = []
        for unit in self.portal.units:
            links = "".join(f'<li><a href="{column.list_path}">{escape(column.name)}</a></li>'
                            for column in unit.columns)
            blocks.append(f'<div class="unit"><h3>{escape(unit.name)}</h3><ul>{links}</ul></div>')
        news = self._home_news(ctx) if self.portal.home_news else ""
        return (
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{title}_{escape(self.portal.site_name)}</title></head><body>\n"
            f"{header(ctx)}\n{news}<div class=\"units\">{''.join(blocks)}</div>\n{footer(ctx)}\n"
            "</body></html>\n"
        )

    def _home_news(self, ctx: Context) -> str:
        rows = "".join(
            f'<li><a href="{article_path(column, post)}">{escape(post.title)}</a>'
            f'<span class="date">{post.claimed.isoformat()}</span></li>'
            for column, post in self.portal.newest_dynamics(ctx.now))
        return f'<div class="news"><h3>最新动态</h3><ul>{rows}</ul></div>\n'

"""A hostile portal whose browser-rendered pages reach for private addresses: an image, a
stylesheet, an iframe, a `fetch()`, a list page that redirects to a private address, and a
static page auto-rendered because it calls `fetch(`. Private listeners on 127.0.0.2 and
[::1] record every request: none arrives. The portal itself is on 127.0.0.1 (its own
origin is always allowed); every other loopback address is forbidden.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


class _V6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


@dataclass
class Listener:
    """An HTTP server that records every request it gets."""

    host: str
    seen: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        seen = self.seen

        class Record(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                seen.append(self.path)
                body = b"<ul class='news'><li><a href='/x.html'>x</a><span>2024-05-01</span></li></ul>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        server_class = _V6Server if ":" in self.host else ThreadingHTTPServer
        self.server = server_class((self.host, 0), Record)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.server_address[1]
        return f"http://[{self.host}]:{port}" if ":" in self.host else f"http://{self.host}:{port}"

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


def list_page(head: str, script: str) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>工作动态</title>{head}"
            f"</head><body><ul class='news'></ul>{script}</body></html>").encode()


def hostile_portal(private: str, private_v6: str) -> type[BaseHTTPRequestHandler]:
    drawn = ("<script>document.querySelector('ul.news').innerHTML = "
             "\"<li><a href='/js/1.html'>关于防汛工作的通知</a><span>2024-05-08</span></li>\";"
             f"fetch('{private}/fetched').catch(() => null);</script>")
    subresources = (f"<link rel='stylesheet' href='{private_v6}/style.css'>"
                    f"<img src='{private}/pixel.png'>"
                    f"<iframe src='{private}/frame.html'></iframe>")
    pages = {
        "/": list_page("", ""),
        "/js/": list_page("", subresources + drawn),
        "/auto/": list_page("", f"<script>fetch('{private}/auto-data').then(r => r.text())"
                                ".catch(() => null);</script>"),
        "/js/1.html": ("<!doctype html><html><head><meta charset='utf-8'><title>通知</title>"
                       "</head><body><h1>关于防汛工作的通知</h1><p>发布时间：2024-05-08</p>"
                       "<p>正文。</p></body></html>").encode(),
    }

    class Portal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/moved/":
                self.send_response(302)
                self.send_header("Location", f"{private}/list/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Portal


CONFIG = """\
site: {{name: 测试门户, url: "{base}/"}}
crawl: {{browser: "{chromium}", delay_seconds: 0, check_external_links: false}}
units:
  - name: 县水利局
    group: 县直单位
    columns:
      - {{name: 工作动态, url: "{base}/js/", category: dynamics, cycle: weekly, render: browser,
          list: {{item: "ul.news li", title: "a", link: "a", date: "span"}}}}
      - {{name: 通知公告, url: "{base}/moved/", category: notice, cycle: monthly,
          render: browser, list: {{item: "ul.news li", title: "a", link: "a", date: "span"}}}}
      - {{name: 政策文件, url: "{base}/auto/", category: policy, cycle: monthly,
          list: {{item: "ul.news li", title: "a", link: "a", date: "span"}}}}
"""


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    started = [Listener("127.0.0.2")]
    if ipv6_loopback():
        started.append(Listener("::1"))
    for listener in started:
        listener.start()
    yield started
    for listener in started:
        listener.stop()


def test_the_browser_sends_nothing_to_private_addresses_and_a_redirected_list_is_unreachable(
    listeners: list[Listener], chromium: str, tmp_path: Path
) -> None:
    private = listeners[0].url
    private_v6 = listeners[-1].url
    portal = ThreadingHTTPServer(("127.0.0.1", 0), hostile_portal(private, private_v6))
    threading.Thread(target=portal.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{portal.server_address[1]}"
    config = tmp_path / "portal.yaml"
    config.write_text(CONFIG.format(base=base, chromium=chromium), encoding="utf-8")
    database = tmp_path / "monitor.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MONITOR_CONFIG": str(config),
           "MONITOR_DB": f"sqlite:///{database}", "MONITOR_NOW": "2024-05-10T02:00:00+08:00"}
    try:
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        crawl = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--json"], env=env,
                               capture_output=True, text=True, timeout=300)
    finally:
        portal.shutdown()
        portal.server_close()
    assert crawl.returncode in (0, 1), crawl.stderr[-3000:]
    assert json.loads(crawl.stdout)
    assert {listener.host: listener.seen for listener in listeners} == {
        listener.host: [] for listener in listeners}
    with sqlite3.connect(database) as connection:
        outcomes = dict(connection.execute(
            "SELECT portal_column.name, column_crawl.outcome || ':' || "
            "coalesce(column_crawl.reason, '') "
            "FROM column_crawl JOIN portal_column ON portal_column.id = column_crawl.column_id"))
        posts = connection.execute("SELECT title FROM post").fetchall()
    assert outcomes["工作动态"] == "ok:" and posts == [("关于防汛工作的通知",)]  # list was drawn
    assert outcomes["通知公告"] == "unreachable:private_target"  # never ok with 0 posts

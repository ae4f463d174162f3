"""The browser's guard proxy on its own: what it lets through and what it refuses."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.browser_guard import BROWSER_SERVICE, REFUSED_HEADER, BrowserGuard, running_guard


class _Page(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[int, int]]:
    _Page.seen = []
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    private = ThreadingHTTPServer(("127.0.0.2", 0), _Page)
    for server in (site, private):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site.server_address[1], private.server_address[1]
    for server in (site, private):
        server.shutdown()
        server.server_close()


def get_through(proxy_port: int, url: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=10)
    connection.request("GET", url)
    return connection.getresponse()


def test_the_site_passes_and_another_loopback_address_is_refused_unsent(
    servers: tuple[int, int]
) -> None:
    site_port, private_port = servers
    site = f"http://127.0.0.1:{site_port}/"
    with running_guard(site, allow_private=False) as guard:
        allowed = get_through(guard.port, f"{site}list/")
        refused = get_through(guard.port, f"http://127.0.0.2:{private_port}/secret")
        assert (allowed.status, allowed.read()) == (200, b"ok")
        assert refused.status == 502 and refused.getheader(REFUSED_HEADER) == "private_target"
    assert _Page.seen == ["/list/"]
    assert guard.refused == [(f"http://127.0.0.2:{private_port}/secret", "private_target")]


def test_a_tunnel_to_a_private_address_is_refused(servers: tuple[int, int]) -> None:
    site_port, private_port = servers
    with running_guard(f"http://127.0.0.1:{site_port}/", allow_private=False) as guard:
        connection = http.client.HTTPConnection("127.0.0.1", guard.port, timeout=10)
        connection.set_tunnel("127.0.0.2", private_port)
        with pytest.raises(OSError, match="403"):
            connection.request("GET", "/")
    assert _Page.seen == []


def test_chromium_services_are_refused_without_a_lookup() -> None:
    guard = BrowserGuard("http://127.0.0.1:8000/", allow_private=True)
    for url in ("https://update.googleapis.com/service/update2/json",
                "https://accounts.google.com/ListAccounts", "http://clients2.google.com/time"):
        assert guard.refusal(url) == BROWSER_SERVICE
    assert guard.refusal("http://127.0.0.2:9/") is None  # allowed when private targets are

"""A small trap server on 127.0.0.1 and a helper that runs the link checker against it
in a subprocess (a Twisted reactor cannot be restarted inside the test process).
Tests reach everything here through fixtures (the suite imports test modules by path)."""

from __future__ import annotations

import functools
import gzip
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
CHINESE_PATH = "/公开/年度 报告.html"
ENCODED_CHINESE_PATH = quote(CHINESE_PATH.encode("utf-8"), safe="/")
SLOW_SECONDS = 5.0


def page(title: str, text: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><div class='nav'>首页 政务公开 工作动态</div><p>{text}</p></body></html>"
    ).encode()


@functools.cache
def gzip_bomb() -> bytes:
    """A page's head and then 64 MiB of spaces, some 64 KiB on the wire."""
    return gzip.compress(page("县水利局工作动态", "水利局召开防汛工作会议。")
                         + b" " * (64 * 1024 * 1024), 9)


@dataclass
class Seen:
    method: str
    path: str
    at: float


@dataclass
class TrapLog:
    requests: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict[str, int] = field(default_factory=dict)

    def record(self, method: str, path: str) -> int:
        with self.lock:
            self.requests.append(Seen(method, path, time.monotonic()))
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]

    def of(self, path: str, method: str | None = None) -> list[Seen]:
        with self.lock:
            return [s for s in self.requests if s.path == path and method in (None, s.method)]


Answer = tuple[int, dict[str, str], bytes]


def trap_answer(method: str, path: str, nth: int) -> Answer:
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path in ("/ok.html", "/dedupe.html"):
        return 200, html, page("县水利局工作动态", "水利局召开防汛工作会议。")
    if path == "/missing.html" or path.endswith("/missing.png") or path.endswith("missing.pdf"):
        return 404, html, page("404 Not Found", "Not Found")
    if path == "/img/ok.png":
        return 200, {"Content-Type": "image/png"}, PNG_1X1
    if path == "/img/html.jpg":
        return 200, {"Content-Type": "image/jpeg"}, page("首页", "欢迎访问")
    if path == "/img/empty.gif":
        return 200, {"Content-Type": "image/gif"}, b""
    if path == "/files/ok.pdf":
        return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n" + b"0" * 200_000
    if path == "/files/head405.doc":
        if method == "HEAD":
            return 405, html, b""
        return 200, {"Content-Type": "application/msword"}, b"\xd0\xcf\x11\xe0" + b"0" * 100
    if path == "/rate-limited.html":
        if nth == 1:
            return 429, {"Retry-After": "1", **html}, page("请求过多", "请稍后再试")
        return 200, html, page("通知公告", "关于做好春季防火工作的通知")
    if path == "/flaky.html":
        if nth == 1:
            return 500, html, page("500", "Internal Server Error")
        return 200, html, page("政策文件", "县政府关于印发实施方案的通知")
    if path.startswith("/redirect/to?u="):
        return 302, {"Location": unquote(path.split("=", 1)[1])}, b""
    if path == "/redirect/good":
        return 302, {"Location": "/redirect/good2"}, b""
    if path == "/redirect/good2":
        return 301, {"Location": "/ok.html"}, b""
    if path == "/redirect/loop-a":
        return 302, {"Location": "/redirect/loop-b"}, b""
    if path == "/redirect/loop-b":
        return 302, {"Location": "/redirect/loop-a"}, b""
    if path.startswith("/redirect/hops/"):
        _, _, _, total, step = path.split("/")
        if int(step) < int(total):
            return 302, {"Location": f"/redirect/hops/{total}/{int(step) + 1}"}, b""
        return 200, html, page("链接终点", "跳转结束")
    if path == "/soft404.html":
        return 200, html, page("页面不存在", "您访问的页面不存在或已被删除")
    if path == "/slow.html":
        time.sleep(SLOW_SECONDS)
        return 200, html, page("慢", "慢")
    if path == "/waf.html":
        body = b"<html><head><script>var $_ts=window['$_ts'];if(!$_ts)$_ts={};</script>"
        return 412, html, body + b"</head><body></body></html>"
    if path == ENCODED_CHINESE_PATH:
        return 200, html, page("年度报告", "2023年政府信息公开工作年度报告")
    if path == "/gzip/soft404.html":
        body = gzip.compress(page("页面不存在", "您访问的页面不存在或已被删除"))
        return 200, {**html, "Content-Encoding": "gzip"}, body
    if path == "/gzip/bomb.html":
        return 200, {**html, "Content-Encoding": "gzip"}, gzip_bomb()
    if path == "/brotli/logo.png":
        # Not asked for and not decoded: judged on its status alone.
        return 200, {"Content-Type": "image/png", "Content-Encoding": "br"}, b"\x1b\x03\x00"
    if path == "/secret.html":
        return 200, html, page("内部", "内部管理页面")
    return 404, html, page("404", "Not Found")


class TrapHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log: TrapLog

    def _answer(self, with_body: bool) -> None:
        nth = self.log.record(self.command, self.path)
        status, headers, body = trap_answer(self.command, self.path, nth)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        # One request per connection: a reused connection that the server drops is
        # retried by Twisted itself, which would blur the request counts tests assert.
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The checker hangs up on slow answers and cut-off bodies by design.
        pass


@dataclass
class TrapServer:
    url: str
    log: TrapLog


def start_server() -> tuple[QuietServer, TrapServer]:
    log = TrapLog()
    handler = type("BoundTrapHandler", (TrapHandler,), {"log": log})
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, TrapServer(f"http://127.0.0.1:{server.server_address[1]}", log)


@pytest.fixture(scope="module")
def site() -> Iterator[TrapServer]:
    server, trap = start_server()
    yield trap
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def other_service() -> Iterator[TrapServer]:
    """Another service on another loopback port: what the SSRF guard protects."""
    server, trap = start_server()
    yield trap
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone.html"


Results = dict[tuple[str, str], dict]
RunCheck = Callable[..., Results]


def run_check(
    workdir: Path, targets: list[tuple[str, str]], site_url: str, *options: str
) -> Results:
    targets_file = workdir / "targets.json"
    out = workdir / "results.jsonl"
    targets_file.write_text(
        json.dumps([{"url": u, "kind": k} for u, k in targets], ensure_ascii=False),
        encoding="utf-8",
    )
    command = [
        sys.executable, "-m", "crawler.linkcheck.run",
        "--targets", str(targets_file), "--out", str(out), "--site-url", site_url,
        "--timeout", "2", "--delay", "0", "--backoff", "0.2", "--confirm-delay", "0.2",
        *options,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return {(row["url"], row["kind"]): row for row in rows}


@pytest.fixture(scope="module")
def check() -> Callable[..., Results]:
    """`check(workdir, [(url, kind), ...], site_url, *cli_options)` -> results by (url, kind)."""
    return run_check


@pytest.fixture(scope="module")
def chinese_path() -> tuple[str, str]:
    """A path with Chinese characters and a space, and how a browser sends it."""
    return CHINESE_PATH, ENCODED_CHINESE_PATH

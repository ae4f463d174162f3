"""The SSRF guard for the browser: every request Chromium makes goes through this proxy.

The downloader middleware (`crawler.middlewares.ssrf_guard`) sees only the requests
Scrapy makes. A page rendered in Chromium makes its own: images, stylesheets, frames,
`fetch()` calls, and the hops of a redirect, which Playwright's route handlers never see.
So Chromium is launched with this proxy as its only way out (loopback included, see
`launch_args`), and the proxy applies the same rule to every request and every redirect
hop — each hop is a request of its own here: scheme, the addresses the name resolves to,
`crawl.allow_private_targets` and the site's own origin.

A refused plain-HTTP request gets a 502 answer marked with the `REFUSED_HEADER`, so a
list page that lands on a forbidden address is recognised as refused (the column is
unreachable, never empty); a refused HTTPS tunnel is answered 403, which Chromium reports
as a failed load. Nothing is sent to a refused address. Each refusal is logged and kept
in `refused`.

The proxy runs in a thread of its own with its own event loop, for the life of a crawl.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.browser import VENDOR_SERVICE_DOMAINS
from crawler.linkcheck.ssrf import target_refusal

REFUSED_HEADER = "X-Monitor-Refused"
BROWSER_SERVICE = "browser_service"
# A request head larger than this is not a browser's: the connection is dropped.
MAX_HEAD_BYTES = 64 * 1024
CONNECT_TIMEOUT = 15.0
PIPE_CHUNK = 64 * 1024
# What one response may bring into the browser (the crawl's DOWNLOAD_MAXSIZE): a larger
# one is cut off, so a page cannot fill the browser's memory either.
MAX_RESPONSE_BYTES = 20 * 1024 * 1024

logger = logging.getLogger(__name__)


@dataclass
class BrowserGuard:
    site_url: str | None
    allow_private: bool
    refused: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0

    def refusal(self, url: str) -> str | None:
        host = (urlsplit(url).hostname or "").rstrip(".")
        if any(host == domain or host.endswith("." + domain)
               for domain in VENDOR_SERVICE_DOMAINS):
            # Chromium's own services: refused without even looking the name up.
            return BROWSER_SERVICE
        return target_refusal(url, self.site_url, self.allow_private)

    def record(self, url: str, reason: str) -> None:
        self.refused.append((url, reason))
        if reason == BROWSER_SERVICE:
            logger.debug("browser service request refused: %s", url)
        else:
            logger.warning("browser request refused (%s): %s", reason, url)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        try:
            await self._forward(head, reader, writer)
        except (TimeoutError, ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _forward(self, head: bytes, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> None:
        request_line, _, rest = head.partition(b"\r\n")
        method, target, version = request_line.decode("latin-1").split(" ", 2)
        if method.upper() == "CONNECT":
            url = f"https://{target}/"
        else:
            url = target
        parts = urlsplit(url)
        reason = await asyncio.to_thread(self.refusal, url)
        if reason is not None or not parts.hostname:
            self.record(url, reason or "no_host")
            await _refuse(writer, method.upper() == "CONNECT", reason or "no_host")
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        upstream_reader, upstream_writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, port), CONNECT_TIMEOUT)
        try:
            if method.upper() == "CONNECT":
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
            else:
                path = parts.path or "/"
                if parts.query:
                    path += "?" + parts.query
                upstream_writer.write(_origin_form(method, path, version, rest))
                await upstream_writer.drain()
            await _pipe_both(reader, writer, upstream_reader, upstream_writer)
        finally:
            upstream_writer.close()


def _origin_form(method: str, path: str, version: str, rest: bytes) -> bytes:
    """The request as the origin server expects it: its path, no proxy headers, and one
    request per connection (so every request, and every redirect hop, is checked)."""
    headers = [line for line in rest.split(b"\r\n") if line and not line.lower().startswith(
        (b"proxy-connection:", b"proxy-authorization:", b"connection:", b"keep-alive:"))]
    lines = [f"{method} {path} {version}".encode("latin-1"), *headers, b"Connection: close"]
    return b"\r\n".join(lines) + b"\r\n\r\n"


async def _refuse(writer: asyncio.StreamWriter, tunnel: bool, reason: str) -> None:
    if tunnel:
        writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
    else:
        body = f"refused: {reason}".encode()
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\n"
                     + f"{REFUSED_HEADER}: {reason}\r\n".encode("latin-1")
                     + b"Content-Type: text/plain\r\nConnection: close\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode("latin-1") + body)
    await writer.drain()


async def _pipe_both(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     upstream_reader: asyncio.StreamReader,
                     upstream_writer: asyncio.StreamWriter) -> None:
    """Both directions until either ends; then both connections close, so the browser can
    never send a second, unchecked request down the same connection."""
    tasks = [asyncio.ensure_future(_pipe(reader, upstream_writer)),
             asyncio.ensure_future(_pipe(upstream_reader, writer, MAX_RESPONSE_BYTES))]
    _done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter,
                limit: int | None = None) -> None:
    passed = 0
    with contextlib.suppress(ConnectionError, OSError):
        while chunk := await source.read(PIPE_CHUNK):
            passed += len(chunk)
            if limit is not None and passed > limit:
                logger.warning("browser response cut off after %d bytes", limit)
                return
            sink.write(chunk)
            await sink.drain()


@contextlib.contextmanager
def running_guard(site_url: str | None, allow_private: bool) -> Iterator[BrowserGuard]:
    """The guard proxy listening on a free loopback port, for the duration of the block."""
    guard = BrowserGuard(site_url, allow_private)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    server: asyncio.AbstractServer | None = None

    async def start() -> None:
        nonlocal server
        server = await asyncio.start_server(guard.handle, "127.0.0.1", 0,
                                            limit=MAX_HEAD_BYTES)
        guard.port = server.sockets[0].getsockname()[1]

    def run() -> None:
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="browser-guard", daemon=True)
    thread.start()
    started.wait()
    try:
        yield guard
    finally:
        async def stop() -> None:
            if server is not None:
                server.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)

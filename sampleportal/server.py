"""A threaded HTTP/1.1 server for the sample portal on 127.0.0.1, with a request log.

Two listening ports: the portal itself and a second one that plays an external site
(so off-site links never leave the machine). A third port is reserved and closed, so
links to it meet a refused connection.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, unquote, urlsplit

from sampleportal.clock import SimulatedClock, parse_instant
from sampleportal.model import Hosts, Portal
from sampleportal.responses import Response, json_body
from sampleportal.site import Site

HOST = "127.0.0.1"
CONTROL_CLOCK = "/__control__/clock"
CONTROL_LOG = "/__control__/log"


class RequestLog:
    """What the server was asked: counts per (method, path), totals, peak connections."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()
        # Per (method, request target as sent, with its query; a POST's form too): what
        # tells a URL asked for twice from two pages of one list.
        self._exact: Counter[tuple[str, str]] = Counter()
        self._total = 0
        self._open = 0
        self._max_open = 0
        # Requests being worked on at once (received, answer not yet sent): what a polite
        # crawler's concurrency bounds. Open connections can exceed it: a keep-alive
        # client keeps idle connections beside its busy ones.
        self._in_flight = 0
        self._max_in_flight = 0

    def record(self, method: str, path: str) -> None:
        with self._lock:
            self._counts[(method, path)] += 1
            self._total += 1

    def record_exact(self, method: str, target: str) -> None:
        with self._lock:
            self._exact[(method, target)] += 1

    def exact_counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._exact)

    def request_started(self) -> None:
        with self._lock:
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)

    def request_finished(self) -> None:
        with self._lock:
            self._in_flight -= 1

    @property
    def max_concurrent_requests(self) -> int:
        with self._lock:
            return self._max_in_flight

    def connection_opened(self) -> None:
        with self._lock:
            self._open += 1
            self._max_open = max(self._max_open, self._open)

    def connection_closed(self) -> None:
        with self._lock:
            self._open -= 1

    def count(self, path: str, method: str | None = None) -> int:
        """Requests for `path` (percent-decoded, without query), of one method or all."""
        with self._lock:
            return sum(n for (verb, seen), n in self._counts.items()
                       if seen == path and method in (None, verb))

    @property
    def total(self) -> int:
        with self._lock:
            return self._total

    @property
    def max_concurrent_connections(self) -> int:
        with self._lock:
            return self._max_open

    def counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._exact.clear()
            self._total = 0
            self._max_open = self._open
            self._max_in_flight = self._in_flight


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RuiheCMS/2.1"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients would wait
    # for the delayed ACK (~40 ms) on every request.
    disable_nagle_algorithm = True
    sys_version = ""
    # Set on the subclass made for each listening port.
    site: Site
    log: RequestLog
    # Connections and requests of every port of the host together (`RunningPortal.host_log`).
    host_log: RequestLog
    external: bool = False
    # Time every answer takes, like a real CMS; politeness tests make requests overlap.
    latency_seconds: float = 0.0

    def setup(self) -> None:
        super().setup()
        self.log.connection_opened()
        self.host_log.connection_opened()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            # Before the socket is closed: a client that sees the close sees it counted.
            self.log.connection_closed()
            self.host_log.connection_closed()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: the request log counts requests; printing each one would be the bottleneck."""

    def do_GET(self) -> None:
        self._handle("GET")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST":
            params.update(self._form())
        self.log.record(method, path)
        form = "&".join(f"{k}={v}" for k, v in sorted(params.items())) if method == "POST" else ""
        self.log.record_exact(method, self.path + (f" {form}" if form else ""))
        self.log.request_started()
        self.host_log.request_started()
        try:
            response = self._respond(method, path, params)
            if response.delay_seconds:
                time.sleep(response.delay_seconds)
            if self.latency_seconds:
                time.sleep(self.latency_seconds)
        finally:
            # Counted until the answer starts to go out: once the client has it, it may
            # send its next request before this thread runs again, which would count
            # one request twice.
            self.log.request_finished()
            self.host_log.request_finished()
        self._send(method, response)

    def _respond(self, method: str, path: str, params: dict[str, str]) -> Response:
        if self.external:
            return self.site.traps.external(path, method)
        if path == CONTROL_CLOCK:
            return _clock_control(self.site.clock, method, params)
        if path == CONTROL_LOG:
            return _log_document(self.log)
        return self.site.respond(method, path, params)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))

    def _send(self, method: str, response: Response) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(response.body)


def _clock_control(clock: SimulatedClock, method: str, params: dict[str, str]) -> Response:
    if method == "POST":
        try:
            clock.set(parse_instant(params.get("now", "")))
        except ValueError as bad:
            return Response(400, f"bad now: {bad}".encode(), "text/plain; charset=utf-8")
    return json_body(json.dumps({"now": clock.now().isoformat()}))


def _log_document(log: RequestLog) -> Response:
    counts = [{"method": method, "path": path, "count": count}
              for (method, path), count in sorted(log.counts().items())]
    document = {"total": log.total, "max_concurrent_connections": log.max_concurrent_connections,
                "requests": counts}
    return json_body(json.dumps(document, ensure_ascii=False))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128


def closed_port() -> int:
    """A loopback port nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _listener(port: int, site: Site, log: RequestLog, host_log: RequestLog, external: bool,
              latency_seconds: float = 0.0) -> _Server:
    handler = type("PortalHandler", (_Handler,), {
        "site": site, "log": log, "host_log": host_log, "external": external,
        "latency_seconds": latency_seconds})
    return _Server((HOST, port), handler)


class RunningPortal:
    """A portal being served. Use as a context manager, or call `stop()`.

    `base_url` is the site root without a trailing slash (http://127.0.0.1:PORT).
    `host_log` counts the connections and requests of all its ports together (all ports
    of 127.0.0.1: one host); portals given one `host_log` are counted together.
    """

    def __init__(self, portal: Portal, port: int = 0, now: datetime | None = None,
                 external_port: int = 0, latency_seconds: float = 0.0,
                 files_host: bool = False, host_log: RequestLog | None = None) -> None:
        self.portal = portal
        self.clock = SimulatedClock(now or portal.default_now)
        self.log = RequestLog()
        self._external_log = RequestLog()
        self.host_log = host_log if host_log is not None else RequestLog()
        placeholder = Hosts("", "", "")
        site = Site(portal, placeholder, self.clock)
        self._main = _listener(port, site, self.log, self.host_log, external=False,
                               latency_seconds=latency_seconds)
        self._external = _listener(external_port, site, self._external_log, self.host_log,
                                   external=True)
        self._site = site
        # The attachment server: the same site on a port of its own, stopped and started
        # apart from the portal (`stop_files`, `start_files`).
        self._files = (_listener(0, site, RequestLog(), self.host_log, external=False)
                       if files_host else None)
        files_port = self._files.server_address[1] if self._files else None
        self.hosts = Hosts(
            site=f"http://{HOST}:{self._main.server_address[1]}",
            external=f"http://{HOST}:{self._external.server_address[1]}",
            refused=f"http://{HOST}:{closed_port()}",
            files=f"http://{HOST}:{files_port}" if files_port else "",
        )
        site.hosts = self.hosts
        self._threads: list[threading.Thread] = []
        self._files_thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return self.hosts.site

    @property
    def external_log(self) -> RequestLog:
        return self._external_log

    def url(self, path: str) -> str:
        return self.hosts.site + path

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def set_now(self, now: datetime) -> None:
        self.clock.set(now)

    def start(self) -> RunningPortal:
        for server in (self._main, self._external):
            self._threads.append(_serve(server))
        if self._files is not None:
            self._files_thread = _serve(self._files)
        return self

    def stop_files(self) -> None:
        """The attachment server stops answering: its port refuses every connection."""
        if self._files is not None and self._files_thread is not None:
            self._files.shutdown()
            self._files.server_close()
            self._files_thread.join(timeout=5)
            self._files_thread = None

    def start_files(self) -> None:
        """The attachment server answers again, on the same port."""
        if self._files is not None and self._files_thread is None:
            port = self._files.server_address[1]
            self._files = _listener(port, self._site, RequestLog(), self.host_log,
                                    external=False)
            self._files_thread = _serve(self._files)

    def stop(self) -> None:
        self.stop_files()
        for server in (self._main, self._external):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> RunningPortal:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def _serve(server: _Server) -> threading.Thread:
    # A short poll keeps stop() quick; tests start and stop many servers.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                              name="sampleportal", daemon=True)
    thread.start()
    return thread


def serve_portal(portal: Portal, port: int = 0, now: datetime | None = None,
                 external_port: int = 0, latency_seconds: float = 0.0,
                 files_host: bool = False, host_log: RequestLog | None = None) -> RunningPortal:
    """Start serving `portal` in background threads; port 0 picks a free port.
    `files_host`: serve the articles' attachments from a port of their own.
    `host_log`: shared by portals served on one host (see `RunningPortal`)."""
    return RunningPortal(portal, port, now, external_port, latency_seconds,
                         files_host, host_log).start()

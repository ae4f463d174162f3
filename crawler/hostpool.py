"""Scrapy's downloads with at most `CONCURRENT_REQUESTS_PER_DOMAIN` connections open to
one host, over all its ports.

Scrapy's downloader slots count requests per host name, ports together; but the Twisted
connection pool under them keeps up to that many idle keep-alive connections per
(scheme, host, port): a crawl whose columns sit on two ports of one server kept both
ports' connections open. `HostBoundPool` gives every host a budget of connections, taken
when one is opened and given back once it is gone; a request that needs a new connection
while the budget is spent closes the host's oldest idle connection (to another port, as a
rule) and waits for it to be gone. Connections are ended by sending our end
(`loseWriteConnection`) and waiting for the server to close its own, so the server has
counted one out before the next is opened (reset after `LINGER_SECONDS`).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler
from twisted.internet import defer
from twisted.internet.interfaces import IStreamClientEndpoint
from twisted.python.failure import Failure
from twisted.web.client import HTTPConnectionPool

# How long a server gets to close its side of a connection we ended.
LINGER_SECONDS = 2.0


def host_of(key: Hashable) -> str:
    """The host of a pool key: Twisted's agents key by (scheme, host, port, ...)."""
    host = key[1] if isinstance(key, tuple) and len(key) > 1 else key
    return (host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)).lower()


class HostBoundPool(HTTPConnectionPool):
    def __init__(self, reactor: Any, per_host: int):
        super().__init__(reactor, persistent=True)
        self.maxPersistentPerHost = per_host
        self._per_host = per_host
        self._open: dict[str, int] = {}
        self._waiting: dict[str, list[defer.Deferred[None]]] = {}
        # `closeCachedConnections` callers, told once no connection is open.
        self._closing: list[defer.Deferred[None]] = []

    def _newConnection(self, key: Hashable, endpoint: IStreamClientEndpoint) -> Any:
        host = host_of(key)
        if self._open.get(host, 0) < self._per_host:
            self._open[host] = self._open.get(host, 0) + 1
            opened = super()._newConnection(key, endpoint)
            opened.addCallbacks(self._watch, self._not_opened,
                                callbackArgs=(host,), errbackArgs=(host,))
            return opened
        self._close_oldest_idle(host)
        waiter: defer.Deferred[None] = defer.Deferred(
            lambda cancelled: self._stop_waiting(host, cancelled))
        self._waiting.setdefault(host, []).append(waiter)
        # Then as if asked anew: an idle connection of this origin, or a new one.
        return waiter.addCallback(lambda _: self.getConnection(key, endpoint))

    def _stop_waiting(self, host: str, waiter: defer.Deferred[None]) -> None:
        """A request given up (its download timed out) while it waited for the host."""
        if waiter in (waiting := self._waiting.get(host, [])):
            waiting.remove(waiter)

    def _watch(self, protocol: Any, host: str) -> Any:
        lost = protocol.connectionLost

        def connection_lost(reason: Failure) -> None:
            try:
                lost(reason)
            finally:
                self._give_back(host)

        # The protocol is Scrapy's (built by the pool's factory): its loss is the budget's.
        protocol.connectionLost = connection_lost
        return protocol

    def _not_opened(self, failure: Failure, host: str) -> Failure:
        self._give_back(host)
        return failure

    def _give_back(self, host: str) -> None:
        self._open[host] -= 1
        if not self._open[host]:
            del self._open[host]
        self._wake(host)
        if not self._open:
            for closing in self._closing:
                if not closing.called:  # Scrapy stops waiting after its own timeout
                    closing.callback(None)
            self._closing.clear()

    def closeCachedConnections(self) -> defer.Deferred[None]:
        """End every idle connection politely; fires once the servers have closed them all.
        (Twisted's aborts them: the server would count them out only after the link check
        that follows the crawl had opened its own.)"""
        idle = [connection for connections in self._connections.values()
                for connection in connections]
        for timeout in self._timeouts.values():
            timeout.cancel()
        self._connections, self._timeouts = {}, {}
        for connection in idle:
            self._end(connection)
        if not self._open:
            return defer.succeed(None)
        closing: defer.Deferred[None] = defer.Deferred()
        self._closing.append(closing)
        return closing

    def _wake(self, host: str) -> None:
        # On the reactor's next turn: a connection is put back from inside its own
        # protocol (before it has let go of the answer just read), and a request sent on
        # it from there would be cut off.
        self._reactor.callLater(0, self._go_on, host)

    def _go_on(self, host: str) -> None:
        for waiter in self._waiting.pop(host, []):
            waiter.callback(None)

    def _close_oldest_idle(self, host: str) -> None:
        """Close the connection to `host` (any port) idle the longest, if there is one."""
        oldest = None
        for key, idle in self._connections.items():
            if idle and host_of(key) == host and (
                    oldest is None or self._timeouts[idle[0]].getTime()
                    < self._timeouts[self._connections[oldest][0]].getTime()):
                oldest = key
        if oldest is None:
            return  # every connection is in use or closing: one will be back or gone
        connection = self._connections[oldest].pop(0)
        self._timeouts.pop(connection).cancel()
        self._end(connection)

    def _end(self, connection: Any) -> None:
        transport = connection.transport
        try:
            transport.loseWriteConnection()
        except (AttributeError, NotImplementedError):
            transport.loseConnection()
            return
        self._reactor.callLater(LINGER_SECONDS, self._reset, transport)

    @staticmethod
    def _reset(transport: Any) -> None:
        if getattr(transport, "connected", False):
            transport.abortConnection()

    def _removeConnection(self, key: Hashable, connection: Any) -> None:
        # Idle too long (`cachedConnectionTimeout`): ended the same polite way.
        self._connections[key].remove(connection)
        del self._timeouts[connection]
        self._end(connection)

    def _putConnection(self, key: Hashable, connection: Any) -> None:
        super()._putConnection(key, connection)
        # Back in the pool: a request waiting for the host may take or close it now.
        self._wake(host_of(key))


def bind_to_hosts(handler: HTTP11DownloadHandler, crawler: Crawler) -> None:
    """Put `handler` (Scrapy's HTTP/1.1 handler or one built on it) on a `HostBoundPool`."""
    # Imported here, as Scrapy does: the reactor is installed once the crawl starts.
    from twisted.internet import reactor

    pool = HostBoundPool(reactor, crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
    # The protocol factory Scrapy chose (its lenient parser).
    pool._factory = handler._pool._factory
    handler._pool = pool
    # How long the handler waits for its connections to close at the crawl's end: long
    # enough for a server to close its side (`LINGER_SECONDS`).
    handler._disconnect_timeout = int(LINGER_SECONDS) + 1


class HostBoundDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler on a `HostBoundPool`."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        bind_to_hosts(self, crawler)


class HostBoundPlaywrightHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, whose requests without a browser page go through
    Scrapy's HTTP/1.1 handler, on a `HostBoundPool` too."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        bind_to_hosts(self, crawler)

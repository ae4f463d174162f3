"""The link checker's connections: at most `concurrency_per_host` open to one host, over
all its ports.

aiohttp's own `limit_per_host` counts per origin (host, port, TLS) and counts only the
connections in use: a run whose targets sit on five ports of one server kept up to five
times the allowance open, most of them idle keep-alive connections. Here every connection
takes a unit of its host's budget when it is opened and gives it back only once it is
closed; a request that needs a new connection while the budget is spent closes the host's
oldest idle connection (to another port, as a rule) and waits for it to be gone.

"Gone" means the server has seen it go: a connection is closed by ending our side of it
(`write_eof`) and waiting for the server to close its own, so the next connection is
opened only after the server has counted the last one out. A server that does not close
its side within `LINGER_SECONDS` has the connection reset. (TLS connections cannot be
half-closed; theirs is closed at once.)
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

from aiohttp import ClientRequest, ClientTimeout, TCPConnector
from aiohttp.client_proto import ResponseHandler
from aiohttp.tracing import Trace

# How long a server gets to close its side of a connection we ended.
LINGER_SECONDS = 2.0


class HalfClosingTransport(asyncio.Transport):
    """What a `HostResponseHandler` hands aiohttp's `close()` (the one call it makes on
    it): ending the connection sends our end of it and leaves the rest to the server
    (reset after `LINGER_SECONDS`)."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        super().__init__()
        self._transport = transport
        self._loop = loop

    def close(self) -> None:
        transport = self._transport
        if transport.is_closing() or not transport.can_write_eof():
            transport.close()
            return
        try:
            transport.write_eof()
        except OSError:
            transport.abort()
            return
        self._loop.call_later(LINGER_SECONDS, self._reset)

    def _reset(self) -> None:
        if not self._transport.is_closing():
            self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()


class HostResponseHandler(ResponseHandler):
    """aiohttp's protocol, closing half-way (`HalfClosingTransport`) and telling
    `on_lost` when the connection is gone."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        super().__init__(loop)
        self.on_lost: Callable[[], None] | None = None
        self.gone = False

    def close(self) -> None:
        transport = self.transport
        if isinstance(transport, asyncio.Transport):
            self.transport = HalfClosingTransport(transport, self._loop)
        super().close()

    def connection_lost(self, exc: BaseException | None) -> None:
        self.gone = True
        try:
            super().connection_lost(exc)
        finally:
            if self.on_lost is not None:
                on_lost, self.on_lost = self.on_lost, None
                on_lost()


def host_response_handler(loop: asyncio.AbstractEventLoop) -> ResponseHandler:
    """The connector's protocol factory (typed as aiohttp's, which it replaces)."""
    return HostResponseHandler(loop)


class HostBoundConnector(TCPConnector):
    """A `TCPConnector` keeping at most `per_host` connections open to a host, whatever
    its ports (see the module's docstring)."""

    def __init__(self, per_host: int, **options: Any):
        super().__init__(limit=0, limit_per_host=per_host, **options)
        self._per_host = per_host
        self._open: dict[str, int] = {}
        self._changed: dict[str, asyncio.Event] = {}
        self._factory = functools.partial(host_response_handler, loop=self._loop)

    async def _create_connection(self, req: ClientRequest, traces: list[Trace],
                                 timeout: ClientTimeout) -> ResponseHandler:
        host = req.connection_key.host.lower()
        await self._reserve(host)
        try:
            proto = await super()._create_connection(req, traces, timeout)
        except BaseException:
            self._give_back(host)
            raise
        if isinstance(proto, HostResponseHandler) and not proto.gone:
            proto.on_lost = functools.partial(self._give_back, host)
        else:
            self._give_back(host)
        return proto

    async def _reserve(self, host: str) -> None:
        while self._open.get(host, 0) >= self._per_host:
            changed = self._changed.setdefault(host, asyncio.Event())
            changed.clear()
            self._close_oldest_idle(host)
            await changed.wait()
        self._open[host] = self._open.get(host, 0) + 1

    def _close_oldest_idle(self, host: str) -> None:
        """Close the connection to `host` (any port) idle the longest, if there is one."""
        oldest = None
        for key, idle in self._conns.items():
            if key.host.lower() == host and idle and (
                    oldest is None or idle[0][1] < self._conns[oldest][0][1]):
                oldest = key
        if oldest is None:
            return  # every connection is in use or closing: one will be back or gone
        proto, _ = self._conns[oldest].popleft()
        if not self._conns[oldest]:
            del self._conns[oldest]
        proto.close()

    def _give_back(self, host: str) -> None:
        self._open[host] -= 1
        if not self._open[host]:
            del self._open[host]
        self._wake(host)

    def _wake(self, host: str) -> None:
        if (changed := self._changed.get(host)) is not None:
            changed.set()

    def _release(self, key: Any, protocol: ResponseHandler, *,
                 should_close: bool = False) -> None:
        super()._release(key, protocol, should_close=should_close)
        # Back in the pool: a request waiting for the host may close it now.
        self._wake(key.host.lower())

    async def wait_all_closed(self) -> None:
        """Until every connection is gone (after `close()`), bounded by the linger."""
        deadline = self._loop.time() + LINGER_SECONDS + 1.0
        while self._open and self._loop.time() < deadline:
            await asyncio.sleep(0.01)

"""Naming a failed aiohttp request: the `reason` of a broken target when no answer came.

The same words as `crawler.linkcheck.errors` gives the column crawl's (Twisted) failures:
'dns', 'timeout', 'refused', 'reset', 'tls', 'unreachable' or 'network'.
"""

from __future__ import annotations

import asyncio
import socket
import ssl

import aiohttp


def client_error_reason(error: BaseException) -> str:
    if isinstance(error, asyncio.TimeoutError | TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    if isinstance(error, aiohttp.ClientSSLError | ssl.SSLError):
        return "tls"
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error
        if isinstance(cause, socket.gaierror) or isinstance(
            error, getattr(aiohttp, "ClientConnectorDNSError", ())
        ):
            return "dns"
        if isinstance(cause, ConnectionRefusedError):
            return "refused"
        if isinstance(cause, TimeoutError):
            return "timeout"
        return "unreachable"
    if isinstance(error, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError
                  | ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return "reset"
    if isinstance(error, aiohttp.ClientOSError):
        if isinstance(error.__cause__, ConnectionResetError) or error.errno in (104, 32):
            return "reset"
        return "unreachable"
    return "network"

"""Naming a failed download: the `reason` of a broken target when no answer came."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.web._newclient import ResponseFailed

# Most specific first: Twisted's timeout and refusal errors subclass its ConnectError.
_REASONS: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((CannotResolveHostError, net.DNSLookupError), "dns"),
    ((DownloadTimeoutError, net.TimeoutError, net.TCPTimedOutError, TimeoutError), "timeout"),
    ((DownloadConnectionRefusedError, net.ConnectionRefusedError, ConnectionRefusedError),
     "refused"),
    (
        (
            ResponseDataLossError,
            net.ConnectionLost,
            net.ConnectionDone,
            net.ConnectionAborted,
            ConnectionResetError,
            ConnectionAbortedError,
            BrokenPipeError,
        ),
        "reset",
    ),
    ((net.NoRouteError, net.ConnectError, OSError), "unreachable"),
)


def _is_tls(error: BaseException) -> bool:
    module = type(error).__module__
    return module.startswith(("OpenSSL", "ssl")) or "SSL" in type(error).__name__


def error_reason(error: BaseException) -> str:
    """'dns', 'timeout', 'refused', 'reset', 'tls', 'unreachable' or 'network'.

    Scrapy wraps Twisted's errors (the original is `__cause__`) and Twisted wraps the
    transport's in ResponseFailed; the innermost known cause names the failure.
    """
    if _is_tls(error):
        return "tls"
    if isinstance(error, ResponseFailed):
        causes = [getattr(f, "value", f) for f in error.reasons]
        if any(_is_tls(c) for c in causes):
            return "tls"
        return error_reason(causes[0]) if causes else "reset"
    for kinds, reason in _REASONS:
        if isinstance(error, kinds):
            return reason
    if error.__cause__ is not None:
        return error_reason(error.__cause__)
    return "network"

"""Downloader middleware holding requests back while their server asked to wait.

Scrapy's RetryMiddleware retries a 429/503 at once; this one reads `Retry-After` on those
answers and pauses every later request to the same origin (scheme, host, port: the
header is one server's instruction) until the time has passed. It also holds a request
until its own `backoff_until` meta (a `time.monotonic()` deadline), which the link
checker sets for its retries.

Settings: RETRY_AFTER_ENABLED (default True), RETRY_AFTER_MAX_SECONDS (default 120: a
server asking for hours is not waited for; the next answer is judged as it comes).
Register it above 550 so that its process_response sees answers before RetryMiddleware.
Waiting uses asyncio, which the project's reactor setting provides.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.linkcheck.retry_after import parse_retry_after
from crawler.linkcheck.urls import origin

BACKOFF_UNTIL_META = "backoff_until"
RETRY_AFTER_STATUSES = frozenset({429, 503})


def seconds_to_wait(now: float, origin_paused_until: float | None, own: float | None) -> float:
    """How long a request must still wait, all times on the monotonic clock."""
    deadlines = [d for d in (origin_paused_until, own) if d is not None]
    return max([0.0, *(d - now for d in deadlines)])


class RetryAfterMiddleware:
    def __init__(self, max_seconds: float):
        self.max_seconds = max_seconds
        self._paused_until: dict[tuple[str, str, int], float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        settings = crawler.settings
        if not settings.getbool("RETRY_AFTER_ENABLED", True):
            raise NotConfigured("RETRY_AFTER_ENABLED is off")
        return cls(settings.getfloat("RETRY_AFTER_MAX_SECONDS", 120.0))

    async def process_request(self, request: Request) -> None:
        key = origin(request.url)
        # Loop: another answer may extend the pause while this request sleeps.
        while True:
            wait = seconds_to_wait(
                time.monotonic(),
                self._paused_until.get(key),
                request.meta.get(BACKOFF_UNTIL_META),
            )
            if wait <= 0:
                return None
            await asyncio.sleep(wait)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status in RETRY_AFTER_STATUSES:
            header = response.headers.get("Retry-After")
            value = header.decode("latin-1") if header else None
            seconds = parse_retry_after(value, datetime.now(UTC))
            if seconds is not None:
                self.pause(origin(request.url), min(seconds, self.max_seconds))
        return response

    def pause(self, key: tuple[str, str, int], seconds: float) -> None:
        until = time.monotonic() + seconds
        self._paused_until[key] = max(until, self._paused_until.get(key, 0.0))

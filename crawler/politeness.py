"""Per-host politeness settings shared by every crawl the product runs."""

from __future__ import annotations

# Scrapy 2.19's downloader takes every queued request for a host at once when the delay
# is zero (a request counts against the host's concurrency only once its download task
# has started), so `CONCURRENT_REQUESTS_PER_DOMAIN` would not hold. Any non-zero delay
# makes it hand out one request at a time; one millisecond costs nothing measurable.
MIN_DOWNLOAD_DELAY = 0.001


def download_delay(configured_seconds: float) -> float:
    return max(configured_seconds, MIN_DOWNLOAD_DELAY)


def user_agent(configured: str | None, contact: str | None, version: str) -> str:
    """The User-Agent of every request the product makes to the portal: the configured one,
    else one naming the monitor and, when given, the office's contact address."""
    suffix = f"; +mailto:{contact}" if contact else ""
    return configured or f"portal-monitor/{version} (政务公开监测{suffix})"

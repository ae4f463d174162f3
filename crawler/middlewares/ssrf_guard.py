"""Downloader middleware refusing requests to private addresses (SPEC §2
`crawl.allow_private_targets`), so that neither the link check nor the column crawl can
be steered by a page at the office's internal network.

Settings: SSRF_GUARD_ENABLED (default True), SSRF_SITE_URL (the configured site, always
allowed), SSRF_ALLOW_PRIVATE (default False). The decision is
`crawler.linkcheck.ssrf.target_refusal`; the name is resolved in a thread so that the
reactor keeps serving other requests. The check happens before the connection, so a
name that changes its address between the check and the connection is not caught.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.linkcheck.ssrf import needs_lookup, target_refusal


class ForbiddenTarget(IgnoreRequest):
    """Raised for a request the guard refuses; `reason` is e.g. 'private_target'."""

    def __init__(self, url: str, reason: str):
        self.url = url
        self.reason = reason
        super().__init__(f"{reason}: {url}")


class SsrfGuardMiddleware:
    def __init__(self, site_url: str | None, allow_private: bool):
        self.site_url = site_url
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SsrfGuardMiddleware:
        settings = crawler.settings
        if not settings.getbool("SSRF_GUARD_ENABLED", True):
            raise NotConfigured("SSRF_GUARD_ENABLED is off")
        return cls(settings.get("SSRF_SITE_URL"), settings.getbool("SSRF_ALLOW_PRIVATE"))

    async def process_request(self, request: Request) -> None:
        if needs_lookup(request.url, self.site_url, self.allow_private):
            reason = await maybe_deferred_to_future(
                deferToThread(target_refusal, request.url, self.site_url, self.allow_private)
            )
        else:
            # Most requests go to the site itself: no name to resolve, no thread to wait for.
            reason = target_refusal(request.url, self.site_url, self.allow_private)
        if reason is not None:
            raise ForbiddenTarget(request.url, reason)

"""The link checker (SPEC §4.5): requests each distinct target once per run and yields a
`LinkCheckResult` for every target it was given.

Redirects are followed here, not by Scrapy, so that the chain is recorded and a loop is
recognised; retries are decided here (`crawler.linkcheck.policy`), so that a broken
target is confirmed by a second try before it is reported. Every answer reaches the
callbacks (`handle_httpstatus_all`), and failures reach `on_error`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Headers, Response
from twisted.python.failure import Failure

from crawler.linkcheck.classify import classify
from crawler.linkcheck.errors import error_reason
from crawler.linkcheck.model import CheckResult, LinkCheckResult, LinkTarget
from crawler.linkcheck.policy import (
    RetryPolicy,
    body_budget,
    first_method,
    head_is_conclusive,
    retry_delay,
)
from crawler.linkcheck.redirects import REDIRECT_STATUSES, follow, method_after_redirect
from crawler.linkcheck.urls import request_url, same_host, skip_reason
from crawler.middlewares.early_stop import STOP_AFTER_BYTES_META
from crawler.middlewares.retry_after import BACKOFF_UNTIL_META
from crawler.middlewares.ssrf_guard import ForbiddenTarget
from monitor.domain import LinkKind, LinkStatus

TargetKey = tuple[str, LinkKind]
_PROBE_META = "linkcheck_probe"


@dataclass(frozen=True, slots=True)
class Probe:
    """One try at one target: `chain` is the URLs requested in this try, in order."""

    url: str
    kind: LinkKind
    method: str
    attempt: int
    chain: tuple[str, ...]

    @property
    def key(self) -> TargetKey:
        return self.url, self.kind


def plain_headers(headers: Headers) -> dict[str, str]:
    """Lower-case names; repeated headers (Set-Cookie) joined with newlines."""
    return {
        name.decode("latin-1").lower(): "\n".join(v.decode("latin-1") for v in values)
        for name, values in headers.items()
    }


class LinkCheckSpider(Spider):
    name = "linkcheck"
    custom_settings = {
        # Redirects and retries are the spider's own decisions (see module docstring).
        "RETRY_ENABLED": False,
        "REDIRECT_ENABLED": False,
        "METAREFRESH_ENABLED": False,
        # The SSRF guard, Retry-After and early-stop components come from crawler/settings.
        # Bodies are cut by the early-stop extension, not by a size error.
        "DOWNLOAD_WARNSIZE": 0,
        # Targets are fetched as they are, never rendered: Scrapy's own HTTP handler, so
        # the check starts no Playwright driver (two Node processes, some 250 MB).
        "DOWNLOAD_HANDLERS": {
            "http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
            "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
        },
    }

    def __init__(
        self,
        targets: Iterable[LinkTarget],
        site_url: str,
        allow_private: bool = False,
        soft404_patterns: Iterable[str] = (),
        check_external: bool = True,
        retry_policy: RetryPolicy | None = None,
        recorder: Any = None,
        progress_display: Any = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        # Carried for the store pipeline when run by `monitor crawl`; unused here.
        self.recorder = recorder
        self.progress_display = progress_display
        self.targets = list(targets)
        self.site_url = site_url
        self.allow_private = allow_private
        self.soft404_patterns = tuple(soft404_patterns)
        self.check_external = check_external
        self.retry_policy = retry_policy or RetryPolicy()
        self._waiting: dict[TargetKey, list[LinkTarget]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> LinkCheckSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The SSRF guard reads these; the spider's arguments are their one source here.
        crawler.settings.set("SSRF_SITE_URL", spider.site_url, priority="spider")
        crawler.settings.set("SSRF_ALLOW_PRIVATE", spider.allow_private, priority="spider")
        return spider

    async def start(self) -> AsyncIterator[Request | LinkCheckResult]:
        for target in self.targets:
            for output in self._admit(target):
                yield output

    def _admit(self, target: LinkTarget) -> Iterator[Request | LinkCheckResult]:
        reason = skip_reason(target.url)
        if reason is None and not self.check_external:
            reason = None if same_host(target.url, self.site_url) else "external_not_checked"
        if reason is not None:
            yield LinkCheckResult.of(target, CheckResult(LinkStatus.UNCHECKED, reason), 0)
            return
        url = request_url(target.url)
        key = (url, target.kind)
        if key in self._waiting:
            self._waiting[key].append(target)
            return
        self._waiting[key] = [target]
        method = first_method(target.kind)
        yield self._request(Probe(url, target.kind, method, 1, (url,)))

    def _request(self, probe: Probe, delay: float = 0.0) -> Request:
        meta: dict[str, Any] = {
            _PROBE_META: probe,
            "handle_httpstatus_all": True,
            "dont_redirect": True,
            "dont_retry": True,
            "download_maxsize": 0,
        }
        if probe.method == "GET":
            meta[STOP_AFTER_BYTES_META] = body_budget(probe.kind)
        if delay > 0:
            meta[BACKOFF_UNTIL_META] = time.monotonic() + delay
        return Request(
            probe.chain[-1],
            method=probe.method,
            meta=meta,
            # A cut-off compressed body cannot be read; an uncompressed prefix can.
            headers={"Accept-Encoding": "identity"},
            callback=self.on_response,
            errback=self.on_error,
            dont_filter=True,
        )

    def on_response(self, response: Response) -> Iterator[Request | LinkCheckResult]:
        probe: Probe = response.meta[_PROBE_META]
        headers = plain_headers(response.headers)
        if response.status in REDIRECT_STATUSES:
            step = follow(probe.chain, headers.get("location"))
            if step.next_url is not None:
                yield from self._follow(probe, response.status, step.next_url)
                return
            result = CheckResult(
                LinkStatus.BROKEN, step.reason, response.status, probe.chain[-1], probe.chain
            )
        elif probe.method == "HEAD" and head_is_conclusive(response.status, headers):
            result = classify(
                probe.kind, response.status, headers, None, probe.chain[-1], probe.chain, None
            )
        elif probe.method == "HEAD":
            result = None
        else:
            result = classify(
                probe.kind,
                response.status,
                headers,
                response.body,
                probe.chain[-1],
                probe.chain,
                None,
                self.soft404_patterns,
            )
        yield from self._conclude(probe, result)

    def _follow(
        self, probe: Probe, status: int, next_url: str
    ) -> Iterator[Request | LinkCheckResult]:
        chain = (*probe.chain, next_url)
        reason = skip_reason(next_url)
        if reason is not None:
            result = CheckResult(LinkStatus.UNCHECKED, reason, status, next_url, chain)
            yield from self._report(probe, result)
            return
        method = method_after_redirect(status, probe.method)
        yield self._request(replace(probe, method=method, chain=chain))

    def on_error(self, failure: Failure) -> Iterator[Request | LinkCheckResult]:
        probe: Probe = failure.request.meta[_PROBE_META]
        error = failure.value
        if isinstance(error, ForbiddenTarget):
            result = CheckResult(LinkStatus.UNCHECKED, error.reason, None, None, probe.chain)
            yield from self._report(probe, result)
            return
        result = classify(
            probe.kind, None, {}, None, probe.chain[-1], probe.chain, error_reason(error)
        )
        yield from self._conclude(probe, result)

    def _conclude(
        self, probe: Probe, result: CheckResult | None
    ) -> Iterator[Request | LinkCheckResult]:
        """`result` None: a HEAD answer that settles nothing."""
        if probe.method == "HEAD" and (result is None or result.status is not LinkStatus.OK):
            # A failing HEAD is confirmed with GET, from the start of the chain.
            yield self._request(replace(probe, method="GET", chain=(probe.url,)))
            return
        assert result is not None
        delay = retry_delay(result, probe.attempt, self.retry_policy)
        if delay is None:
            yield from self._report(probe, result)
            return
        retry = replace(probe, method="GET", attempt=probe.attempt + 1, chain=(probe.url,))
        yield self._request(retry, delay)

    def _report(self, probe: Probe, result: CheckResult) -> Iterator[LinkCheckResult]:
        for target in self._waiting.pop(probe.key, []):
            yield LinkCheckResult.of(target, result, probe.attempt)

"""The portal's crawl settings, for Scrapy and for the link checker: one builder.

`crawler.settings` holds what never varies; what an office sets in its config (per-host
concurrency, delay, timeout, User-Agent, the SSRF guard's site) is put over it here, the
same way in every process that reads a portal: a single-process crawl, a worker
(`crawler.worker`, with its share of the per-host limits), a scrapyd job
(`crawler.spiders.portal_job`) and the discovery walk.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.settings import Settings

from crawler.browser import launch_args
from crawler.linkcheck.checker import CheckerSettings
from crawler.linkcheck.policy import RetryPolicy
from crawler.politeness import download_delay, user_agent
from crawler.shards import worker_share
from monitor import __version__
from monitor.config import PortalConfig


def column_schemes(config: PortalConfig) -> set[str]:
    """The URL schemes of the site and its columns (http, https)."""
    urls = [config.site.url] + [column.url for unit in config.units for column in unit.columns]
    return {urlsplit(url).scheme for url in urls}


def crawl_settings(config: PortalConfig, browser: str | None, shards: int = 1,
                   browser_args: list[str] | None = None) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    apply_crawl_settings(settings, config, browser, shards, browser_args)
    return settings


def apply_crawl_settings(settings: Settings, config: PortalConfig, browser: str | None,
                         shards: int = 1, browser_args: list[str] | None = None) -> None:
    """Put the portal's crawl settings over the project's (`crawler.settings`): here, in a
    worker, or in a scrapyd job's crawler before its settings are frozen."""
    crawl = config.crawl
    share = worker_share(crawl.concurrency_per_host, crawl.delay_seconds, shards)
    settings.setdict({
        "CONCURRENT_REQUESTS_PER_DOMAIN": share.concurrency_per_host,
        "CONCURRENT_REQUESTS": max(16, share.concurrency_per_host * 4),
        "DOWNLOAD_DELAY": download_delay(share.delay_seconds),
        "DOWNLOAD_TIMEOUT": crawl.timeout_seconds,
        "USER_AGENT": user_agent(crawl.user_agent, config.site.contact, __version__),
        "ITEM_PIPELINES": {"crawler.pipelines.store.StorePipeline": 300},
        # We judge HTTP statuses ourselves: a 404 list page is an unreachable column and
        # a 412 challenge a blocked one, not a dropped response.
        "HTTPERROR_ALLOW_ALL": True,
        "SSRF_SITE_URL": config.site.url,
        "SSRF_ALLOW_PRIVATE": crawl.allow_private_targets,
    }, priority="cmdline")
    if browser is not None:
        # Only for the schemes the site's columns use: each handler starts its own
        # Playwright driver (a Node process of some 125 MB). The other schemes keep the
        # project's handler.
        settings.set("DOWNLOAD_HANDLERS", {
            **settings.getdict("DOWNLOAD_HANDLERS"),
            **{scheme: "crawler.hostpool.HostBoundPlaywrightHandler"
               for scheme in column_schemes(config)},
        }, priority="project")
        settings.setdict({
            "PLAYWRIGHT_BROWSER_TYPE": "chromium",
            "PLAYWRIGHT_LAUNCH_OPTIONS": {
                "executable_path": browser, "headless": True,
                "args": browser_args if browser_args is not None else launch_args(),
            },
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": crawl.timeout_seconds * 1000,
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": share.concurrency_per_host,
        }, priority="cmdline")


def checker_settings(config: PortalConfig, shards: int = 1) -> CheckerSettings:
    crawl = config.crawl
    share = worker_share(crawl.concurrency_per_host, crawl.delay_seconds, shards)
    return CheckerSettings(
        site_url=config.site.url, allow_private=crawl.allow_private_targets,
        soft404_patterns=tuple(crawl.soft404_patterns),
        check_external=crawl.check_external_links, retry_policy=RetryPolicy(),
        concurrency_per_host=share.concurrency_per_host, delay_seconds=share.delay_seconds,
        timeout_seconds=crawl.timeout_seconds,
        user_agent=user_agent(crawl.user_agent, config.site.contact, __version__),
    )

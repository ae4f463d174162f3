from __future__ import annotations

from scrapy.settings import Settings

from crawler.portal_settings import checker_settings, crawl_settings
from crawler.spiders.columns import ColumnSpider
from monitor.config import PortalConfig

CONFIG = PortalConfig.model_validate({
    "site": {"name": "瑞河县人民政府门户网站", "url": "http://127.0.0.1:8000/"},
    "units": [{"name": "县水利局", "group": "县直单位", "columns": [
        {"name": "工作动态", "url": "http://127.0.0.1:8000/slj/gzdt/", "category": "dynamics",
         "cycle": "weekly"}]}],
    "crawl": {"concurrency_per_host": 4, "delay_seconds": 0.5},
})
PLAYWRIGHT = "crawler.hostpool.HostBoundPlaywrightHandler"
HOST_BOUND = "crawler.hostpool.HostBoundDownloadHandler"


def _for(spider: type, settings: Settings) -> Settings:
    settings = settings.copy()
    spider.update_settings(settings)
    return settings


def test_the_column_spider_downloads_through_the_browser() -> None:
    settings = crawl_settings(CONFIG, "/usr/bin/chromium")
    assert _for(ColumnSpider, settings).getdict("DOWNLOAD_HANDLERS")["http"] == PLAYWRIGHT


def test_workers_divide_the_per_host_limits() -> None:
    settings = crawl_settings(CONFIG, None, shards=2)
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0


def test_the_browser_handles_only_the_schemes_the_columns_use() -> None:
    # Each browser handler starts a Playwright driver of its own: none for https here.
    handlers = _for(ColumnSpider, crawl_settings(CONFIG, "/usr/bin/chromium"))
    assert handlers.getdict("DOWNLOAD_HANDLERS").get("https") == HOST_BOUND


def test_every_handler_bounds_the_connections_open_to_a_host() -> None:
    for browser in (None, "/usr/bin/chromium"):
        handlers = _for(ColumnSpider, crawl_settings(CONFIG, browser)).getdict(
            "DOWNLOAD_HANDLERS")
        assert {handlers["http"], handlers["https"]} <= {HOST_BOUND, PLAYWRIGHT}


def test_workers_divide_the_link_checkers_per_host_limits_too() -> None:
    alone, shared = checker_settings(CONFIG), checker_settings(CONFIG, shards=2)
    assert (alone.concurrency_per_host, alone.delay_seconds) == (4, 0.5)
    assert (shared.concurrency_per_host, shared.delay_seconds) == (2, 1.0)
    assert shared.site_url == "http://127.0.0.1:8000/" and not shared.allow_private

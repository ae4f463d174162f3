"""Run the discovery walk in this process, with the crawl's politeness and guards.

The settings are the column crawl's (`crawl_settings`: per-host concurrency, delay,
timeout, User-Agent, the SSRF guard and Retry-After middlewares), with robots.txt obeyed
unless the office says otherwise: discovery reads pages nobody configured yet.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from scrapy.crawler import CrawlerProcess

from crawler.discover.spider import DiscoverSpider
from crawler.discover.walk import Walk
from crawler.portal_settings import crawl_settings
from monitor.config import PortalConfig


class DiscoverProgress:
    """Pages read of the page budget, and the list pages met, on stderr."""

    def __init__(self, budget: int, console: Console | None = None):
        self._bar = Progress(
            TextColumn("discover"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("pages · {task.fields[detail]}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
        )
        self._task = self._bar.add_task("discover", total=budget, detail="starting")

    def __enter__(self) -> DiscoverProgress:
        self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()

    def page_read(self, walk: Walk) -> None:
        lists = sum(1 for visit in walk.visits.values()
                    if visit.report is not None and visit.report.list_kind != "none")
        self._bar.update(self._task, completed=walk.pages_read,
                         detail=f"{lists} list pages · {len(walk.visits)} queued")


def run_walk(walk: Walk, config: PortalConfig, obey_robots: bool, progress: Any = None) -> None:
    """Walk the portal (blocking); `config` gives the politeness and the site."""
    settings = crawl_settings(config, None)
    settings.setdict({
        "ROBOTSTXT_OBEY": obey_robots,
        # Nothing is stored: the walk keeps what it reads.
        "ITEM_PIPELINES": {},
    }, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(DiscoverSpider, walk=walk, progress=progress)
    process.start()

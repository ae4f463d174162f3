"""Run a crawl: plan from the database, crawl, record, summarise.

One Twisted reactor per process: `monitor crawl` calls this once; the scheduler starts
`monitor crawl` as a subprocess for every run. With `crawl.workers` > 1 the reading is
done by worker processes (`crawler.pool`), each running `crawl_in_process` on its part.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import select
from twisted.internet import defer
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.browser import LAUNCH_ARGS, find_browser
from crawler.linkcheck.model import LinkTarget as CheckTarget
from crawler.plan import CrawlPlan
from crawler.politeness import download_delay, user_agent
from crawler.pool import WorkerPool
from crawler.progress import CrawlProgress
from crawler.shards import worker_count, worker_share
from crawler.spiders.columns import ColumnSpider
from crawler.spiders.linkcheck import LinkCheckSpider
from monitor import __version__
from monitor.app import App
from monitor.config import PortalConfig
from monitor.services.link_problems import refresh_link_problems
from monitor.units import find_unit
from storage import migrations
from storage.crawl_store import CrawlRecorder, RunCounts, plan_columns, start_run
from storage.models import Unit
from storage.sync import sync_config


@dataclass(frozen=True)
class CrawlSummary:
    run_id: int
    columns: int
    counts: RunCounts
    browser_path: str | None


def run_crawl(app: App, unit_names: list[str], trigger: str = "cli",
              show_progress: bool = True, workers: int | None = None) -> CrawlSummary:
    """Crawl the columns (of the named units, else all), check the link targets due, and
    record the run. `workers` overrides `crawl.workers`."""
    config = app.config
    units = [find_unit(config, name).name for name in unit_names]
    migrations.require_current(app.engine)
    now = app.clock.now()
    with app.sessions.begin() as session:
        site_id = sync_config(session, config).site_id
        unit_ids = None
        if units:
            unit_ids = list(session.scalars(
                select(Unit.id).where(Unit.site_id == site_id, Unit.name.in_(units))))
        jobs = plan_columns(session, site_id, unit_ids, config.crawl.first_crawl_since)
    with app.sessions() as session:
        run_id = start_run(session, site_id, units, trigger, now)
    # Looked for even without browser columns: a static column whose list turns out to
    # be drawn by a script falls back to the browser (`crawl.browser: off` disables it).
    browser = find_browser(config.crawl.browser, app.environment.browser_path)
    recorder = CrawlRecorder(app.sessions, run_id, now, urlsplit(config.site.url).hostname or "",
                             timedelta(days=config.crawl.recheck_ok_days))
    progress = CrawlProgress(len(jobs)) if show_progress else None
    shards = worker_count(workers or config.crawl.workers, config.crawl.concurrency_per_host,
                          len(jobs))
    try:
        with progress if progress is not None else nullcontext():
            if shards == 1:
                plan = CrawlPlan(run_id, tuple(jobs), app.clock.today(),
                                 config.crawl.max_pages_per_column, browser, config.site.url)
                crawl_in_process(config, browser, recorder, progress, plan,
                                 recorder.due_link_targets)
            else:
                pool = WorkerPool(app, site_id, run_id, now, browser, shards)
                pool.crawl([job.column_id for job in jobs], recorder, progress)
    except BaseException as error:
        # Recorded and raised again: a run that stopped must not stay "running".
        recorder.finish(app.clock.now(), "failed", str(error) or type(error).__name__)
        raise
    recorder.finish(app.clock.now(), "finished")
    # Link problems follow every target's last verdict, at the run's instant (when the
    # targets were checked); a failed run leaves them as they were.
    with app.sessions.begin() as session:
        refresh_link_problems(session, now)
    return CrawlSummary(run_id, len(jobs), recorder.counts, browser)


def crawl_in_process(
    config: PortalConfig,
    browser: str | None,
    recorder: CrawlRecorder,
    progress: Any,
    plan: CrawlPlan | None,
    link_targets: Callable[[], Sequence[CheckTarget]] | None,
    shards: int = 1,
) -> None:
    """Run Scrapy here: the column crawl of `plan`, then the link check of the targets
    `link_targets` gives once the columns are read. `shards`: how many processes share
    the per-host limits. Raises what stopped the crawl."""
    process = CrawlerProcess(crawl_settings(config, browser, shards))

    @defer.inlineCallbacks
    def columns_then_links() -> Generator[Deferred[None], None, None]:
        # One reactor, two crawls in sequence: the link targets to check are known only
        # once the columns' new articles have been read.
        if plan is not None:
            yield process.crawl(ColumnSpider, plan=plan, recorder=recorder,
                                progress_display=progress)
        targets = link_targets() if link_targets is not None else ()
        if targets:
            yield process.crawl(
                LinkCheckSpider, targets=targets, site_url=config.site.url,
                allow_private=config.crawl.allow_private_targets,
                soft404_patterns=config.crawl.soft404_patterns,
                check_external=config.crawl.check_external_links,
                recorder=recorder, progress_display=progress,
            )

    def stop(result: object) -> object:
        # Imported here: importing the reactor before Scrapy installs the asyncio one
        # would install Twisted's default reactor instead.
        from twisted.internet import reactor

        if reactor.running:
            reactor.stop()
        return result

    failures: list[Failure] = []
    columns_then_links().addErrback(failures.append).addBoth(stop)
    process.start(stop_after_crawl=False)
    recorder.flush()
    if failures:
        failures[0].raiseException()


def column_schemes(config: PortalConfig) -> set[str]:
    """The URL schemes of the site and its columns (http, https)."""
    urls = [config.site.url] + [column.url for unit in config.units for column in unit.columns]
    return {urlsplit(url).scheme for url in urls}


def crawl_settings(config: PortalConfig, browser: str | None, shards: int = 1) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
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
        # At project priority, so that the link check spider's own handlers (it never
        # renders) take precedence; every other setting here is the command line's.
        # Only for the schemes the site's columns use: each handler starts its own
        # Playwright driver (a Node process of some 125 MB).
        settings.set("DOWNLOAD_HANDLERS", {
            scheme: "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
            for scheme in column_schemes(config)
        }, priority="project")
        settings.setdict({
            "PLAYWRIGHT_BROWSER_TYPE": "chromium",
            "PLAYWRIGHT_LAUNCH_OPTIONS": {
                "executable_path": browser, "headless": True, "args": list(LAUNCH_ARGS),
            },
            "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": crawl.timeout_seconds * 1000,
            "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": share.concurrency_per_host,
        }, priority="cmdline")
    return settings

"""The spider scrapyd runs for one crawl (`crawl.backend: scrapyd`).

scrapyd starts `scrapy crawl portal_job -a spec=…` from the project's egg. The spider is
the column spider, planned from the shared database for the run the opening process
started (`crawler.job.JobSpec`), with the portal's crawl settings put on its crawler as a
local crawl puts them on its own. Once the columns are read it checks the link targets
due, as a local crawl does after its reactor stops, and logs its counts for the opening
process, which judges and closes the run (`monitor.services.crawl`).
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from typing import Any

from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred
from twisted.internet.threads import deferToThread

from crawler.browser import find_browser, launch_args
from crawler.browser_guard import running_guard
from crawler.job import JOB_SPIDER, JobSpec, job_database_url
from crawler.portal_settings import apply_crawl_settings
from crawler.process import check_link_targets, recorder_for, targets_to_check
from crawler.shards import counts_line
from crawler.spiders.columns import ColumnSpider
from monitor.clock import Clock
from monitor.crawlfacts.plan import CrawlPlan
from monitor.domain import RunStatus
from monitor.errors import CrawlError
from monitor.rules.outage import PortalHosts
from monitor.settings import Environment
from storage.crawl_store import plan_columns
from storage.models import CrawlRun
from storage.session import create_db_engine, session_factory

log = logging.getLogger("crawler.job")


class PortalJobSpider(ColumnSpider):
    name = JOB_SPIDER

    def __init__(self, spec: str, **kwargs: Any):
        job = JobSpec.decode(spec)
        # Which code runs: the egg scrapyd was given, or an installation found before it.
        log.info("run %s read from %s", job.run_id, __file__)
        config = job.portal_config()
        environment = Environment.from_environ()
        sessions = session_factory(create_db_engine(
            job_database_url(job.db_url, environment.db_url)))
        with sessions() as session:
            run = session.get(CrawlRun, job.run_id)
            if run is None or run.site_id != job.site_id or run.status is not RunStatus.RUNNING:
                # Another database (the job machine's MONITOR_DB names the wrong one), or a
                # run already closed: writing would mix two crawls' rows.
                raise CrawlError(f"run {job.run_id} of site {job.site_id} is not running in "
                                 "the job's database")
            jobs = plan_columns(session, job.site_id, None, config.crawl.first_crawl_since,
                                column_ids=job.column_ids)
        self.config = config
        self.portal = PortalHosts.of(config.site.url, [column.url for column in jobs])
        self.browser = find_browser(config.crawl.browser, environment.browser_path)
        # Every request of the browser goes through the SSRF guard proxy, as locally.
        self._guard = ExitStack()
        self.browser_args: list[str] | None = None
        if self.browser is not None:
            guard = self._guard.enter_context(
                running_guard(config.site.url, config.crawl.allow_private_targets))
            self.browser_args = launch_args(guard.port, environment.browser_netlog)
        crawl = config.crawl
        plan = CrawlPlan(job.run_id, tuple(jobs), Clock(job.now).today(),
                         crawl.max_pages_per_column, self.browser, config.site.url,
                         soft404_patterns=tuple(crawl.soft404_patterns),
                         max_items_per_page=crawl.max_items_per_page)
        super().__init__(plan=plan, recorder=recorder_for(sessions, config, job.run_id, job.now),
                         **kwargs)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> PortalJobSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The crawler's settings are frozen only once the spider exists.
        apply_crawl_settings(crawler.settings, spider.config, spider.browser, 1,
                             spider.browser_args)
        return spider

    def closed(self, reason: str) -> Deferred[None] | None:
        self._guard.close()
        self.recorder.flush()
        self.recorder.settle_answered_targets()
        if reason != "finished":
            # Stopped (scrapyd's cancel, a shutdown): no counts, so the run is not judged.
            log.error("the crawl stopped before its end (%s)", reason)
            return None
        # The link check runs its own event loop, which cannot run in the reactor's thread.
        return deferToThread(self._check_links)

    def _check_links(self) -> None:
        targets = targets_to_check(self.recorder, self.portal)
        if targets:
            check_link_targets(self.config, targets, self.recorder, None)
        log.info("%s", counts_line(self.recorder.counts))

"""Run a crawl: plan from the database, crawl, record, summarise.

One Twisted reactor per process: `monitor crawl` calls this once; the scheduler starts
`monitor crawl` as a subprocess for every run. With `crawl.workers` > 1 the reading is
done by worker processes (`crawler.pool`), each running `crawl_in_process` on its part.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from twisted.python.failure import Failure

from crawler.browser import find_browser, launch_args
from crawler.browser_guard import running_guard
from crawler.linkcheck.checker import CheckerSettings, check_links
from crawler.linkcheck.policy import RetryPolicy
from crawler.politeness import download_delay, user_agent
from crawler.pool import WorkerPool
from crawler.progress import CrawlProgress
from crawler.shards import worker_count, worker_share
from crawler.spiders.columns import ColumnSpider
from monitor import __version__
from monitor.app import App
from monitor.config import PortalConfig
from monitor.crawlfacts.links import LinkCheckResult
from monitor.crawlfacts.links import LinkTarget as CheckTarget
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan
from monitor.domain import CrawlOutcome, LinkStatus, RunStatus
from monitor.errors import CrawlInterrupted, CrawlLockError
from monitor.i18n import _
from monitor.rules.outage import PortalHosts
from monitor.services.link_problems import NOT_ANSWERED, refresh_link_problems
from monitor.services.outage import (
    RunOutage,
    judge_run,
    on_hosts,
    portal_down_so_far,
    record_outage,
)
from monitor.units import find_unit
from storage import migrations
from storage.crawl_store import (
    CrawlRecorder,
    RunCounts,
    close_stale_runs,
    plan_columns,
    start_run,
)
from storage.lease import DatabaseLease
from storage.models import Unit
from storage.sync import sync_config

log = logging.getLogger("crawler.runner")


@dataclass(frozen=True)
class CrawlSummary:
    run_id: int
    columns: int
    counts: RunCounts
    browser_path: str | None
    outage: RunOutage

    @property
    def columns_failed(self) -> int:
        return self.counts.columns_failed


@dataclass(frozen=True)
class RunStart:
    """What a reader of the columns gets from the run that has just been opened."""

    app: App
    site_id: int
    run_id: int
    now: datetime
    jobs: tuple[ColumnJob, ...]
    browser: str | None
    shards: int


# Reads the run's columns and checks the link targets due (`link_targets`), recording
# through the recorder, whose counts it completes. The local reader runs Scrapy here or in
# worker processes; another backend (monitor.services.crawl_backends) may run it elsewhere.
ColumnReader = Callable[
    [RunStart, CrawlRecorder, Any, Callable[[], Sequence[CheckTarget]]], None]


def run_crawl(app: App, unit_names: list[str], trigger: str = "cli",
              show_progress: bool = True, workers: int | None = None,
              reader: ColumnReader | None = None) -> CrawlSummary:
    """Crawl the columns (of the named units, else all), check the link targets due, and
    record the run. `workers` overrides `crawl.workers`; `reader` replaces the local
    reading of the columns (the run is opened, judged and closed here all the same). One
    crawl per portal at a time: raises CrawlLockError when another is running. A signal
    (SIGTERM, Ctrl-C) stops the run, recorded as interrupted, and raises
    CrawlInterrupted."""
    config = app.config
    units = [find_unit(config, name).name for name in unit_names]
    migrations.require_current(app.engine)
    with app.sessions.begin() as session:
        site_id = sync_config(session, config).site_id
    with portal_lease(app, site_id):
        return _run_locked(app, site_id, units, trigger, show_progress, workers,
                           reader or read_locally)


def read_locally(start: RunStart, recorder: CrawlRecorder, progress: Any,
                 link_targets: Callable[[], Sequence[CheckTarget]]) -> None:
    """Read the columns in this process, or in `start.shards` worker processes."""
    app = start.app
    config = app.config
    if start.shards == 1:
        plan = CrawlPlan(start.run_id, start.jobs, app.clock.today(),
                         config.crawl.max_pages_per_column, start.browser, config.site.url,
                         soft404_patterns=tuple(config.crawl.soft404_patterns),
                         max_items_per_page=config.crawl.max_items_per_page)
        crawl_in_process(config, start.browser, recorder, progress, plan, link_targets,
                         browser_netlog=app.environment.browser_netlog)
    else:
        pool = WorkerPool(app, start.site_id, start.run_id, start.now, start.browser,
                          start.shards)
        pool.crawl([job.column_id for job in start.jobs], recorder, progress, link_targets)


def _open_run(session: Session, site_id: int, units: list[str], now: datetime
              ) -> list[int] | None:
    """Before a run starts, under the portal's lease: close a run still `running` (it was
    cut short: kill -9, power cut); the ids of the named units, or None for all."""
    close_stale_runs(session, site_id, now)
    if not units:
        return None
    return list(session.scalars(
        select(Unit.id).where(Unit.site_id == site_id, Unit.name.in_(units))))


def run_recorder(app: App, run_id: int, now: datetime) -> CrawlRecorder:
    return recorder_for(app.sessions, app.config, run_id, now)


def recorder_for(sessions: sessionmaker[Session], config: PortalConfig, run_id: int,
                 now: datetime) -> CrawlRecorder:
    """The recorder of run `run_id`: in the process that starts the run, in a worker, or in
    a scrapyd job (which has the config but no `App`)."""
    return CrawlRecorder(sessions, run_id, now, urlsplit(config.site.url).hostname or "",
                         timedelta(days=config.crawl.recheck_ok_days))


@contextmanager
def portal_lease(app: App, site_id: int) -> Iterator[None]:
    """One crawl or link re-check per portal at a time (the second raises CrawlLockError);
    the lease is renewed while the block runs, and a signal inside it raises
    CrawlInterrupted."""
    lease = DatabaseLease(app.sessions, CRAWL_LEASE_STALE, f"crawl:{site_id}",
                          _("crawl of this portal"), CrawlLockError)
    lease.acquire()
    try:
        with kept_alive(lease), interruptible():
            yield
    finally:
        lease.release()


def _run_locked(app: App, site_id: int, units: list[str], trigger: str, show_progress: bool,
                workers: int | None, reader: ColumnReader) -> CrawlSummary:
    config = app.config
    now = app.clock.now()
    with app.sessions.begin() as session:
        unit_ids = _open_run(session, site_id, units, now)
        jobs = plan_columns(session, site_id, unit_ids, config.crawl.first_crawl_since)
    with app.sessions() as session:
        run_id = start_run(session, site_id, units, trigger, now)
    # Looked for even without browser columns: a static column whose list turns out to
    # be drawn by a script falls back to the browser (`crawl.browser: off` disables it).
    browser = find_browser(config.crawl.browser, app.environment.browser_path)
    recorder = run_recorder(app, run_id, now)
    progress = CrawlProgress(len(jobs)) if show_progress else None
    shards = worker_count(workers or config.crawl.workers, config.crawl.concurrency_per_host,
                          len(jobs))
    portal = PortalHosts.of(config.site.url, [job.url for job in jobs])

    def link_targets() -> Sequence[CheckTarget]:
        return targets_to_check(recorder, config.site.url, portal)

    start = RunStart(app, site_id, run_id, now, tuple(jobs), browser, shards)
    try:
        with progress if progress is not None else nullcontext():
            reader(start, recorder, progress, link_targets)
    except CrawlInterrupted as stop:
        recorder.not_reached([job.column_id for job in jobs])
        # A column whose list was read but whose undated posts wait for their articles is
        # not read either: its figures would miss those posts.
        recorder.outcome_changed(recorder.read_without_dates(), CrawlOutcome.NOT_REACHED)
        recorder.finish(app.clock.now(), RunStatus.INTERRUPTED, str(stop))
        raise
    except BaseException as error:
        # Recorded and raised again: a run that stopped must not stay "running".
        recorder.not_reached([job.column_id for job in jobs])
        recorder.finish(app.clock.now(), RunStatus.FAILED, str(error) or type(error).__name__)
        raise
    recorder.not_reached([job.column_id for job in jobs])
    outage = judge_run(recorder.counts, config.site.url, portal)
    record_run_outage(recorder, outage)
    recorder.finish(app.clock.now(), RunStatus.FINISHED)
    # Link problems follow every target's last verdict, at the run's instant (when the
    # targets were checked); a failed run leaves them as they were.
    with app.sessions.begin() as session:
        record_outage(session, outage, recorder.counts, now)
        refresh_link_problems(session, now)
    return CrawlSummary(run_id, len(jobs), recorder.counts, browser, outage)


def targets_to_check(recorder: CrawlRecorder, site_url: str, portal: PortalHosts
                     ) -> list[CheckTarget]:
    """The link targets due, but none of the portal's when the portal did not answer the
    columns: those are recorded unchecked for this run (SPEC §4.5), not requested."""
    targets = recorder.due_link_targets()
    if not portal_down_so_far(recorder.counts, site_url):
        return targets
    recorder.mark_unchecked([t.url for t in targets if portal.owns(t.url)], NOT_ANSWERED)
    return [target for target in targets if not portal.owns(target.url)]


def record_run_outage(recorder: CrawlRecorder, outage: RunOutage) -> None:
    """What the run says of the columns and targets the portal did not answer for."""
    if outage.portal_down:
        recorder.outcome_changed(outage.silent_columns, CrawlOutcome.SITE_UNREACHABLE)
    if outage.silent_hosts:
        refused = on_hosts(recorder.checked_now(LinkStatus.BROKEN), outage.silent_hosts)
        recorder.mark_unchecked(refused, NOT_ANSWERED)


@dataclass(frozen=True)
class RecheckSummary:
    run_id: int
    # Verdicts of this run by status (ok, broken, blocked, unchecked).
    by_status: dict[str, int]

    @property
    def checked(self) -> int:
        return sum(self.by_status.values())


def recheck_links(app: App, unit_names: list[str], trigger: str = "cli") -> RecheckSummary:
    """Check again the link targets that are due (SPEC §3 `links recheck`): broken and
    blocked ones, and ok ones past their re-check date; of the named units' articles, or
    all. No column is read. The link problems then follow the new verdicts."""
    config = app.config
    units = [find_unit(config, name).name for name in unit_names]
    migrations.require_current(app.engine)
    with app.sessions.begin() as session:
        site_id = sync_config(session, config).site_id
    with portal_lease(app, site_id):
        return _recheck_locked(app, site_id, units, trigger)


def _recheck_locked(app: App, site_id: int, units: list[str], trigger: str) -> RecheckSummary:
    config = app.config
    now = app.clock.now()
    with app.sessions.begin() as session:
        unit_ids = _open_run(session, site_id, units, now)
    with app.sessions() as session:
        run_id = start_run(session, site_id, units, trigger, now)
    recorder = run_recorder(app, run_id, now)
    targets = recorder.due_link_targets(unit_ids)
    by_status: dict[str, int] = {}

    def record(result: LinkCheckResult) -> None:
        by_status[result.status.value] = by_status.get(result.status.value, 0) + 1
        recorder.link_result(result)

    try:
        if targets:
            check_links(targets, checker_settings(config), record)
    except CrawlInterrupted as stop:
        recorder.finish(app.clock.now(), RunStatus.INTERRUPTED, str(stop))
        raise
    except BaseException as error:
        recorder.finish(app.clock.now(), RunStatus.FAILED, str(error) or type(error).__name__)
        raise
    recorder.finish(app.clock.now(), RunStatus.FINISHED)
    with app.sessions.begin() as session:
        refresh_link_problems(session, now)
    return RecheckSummary(run_id, by_status)


def crawl_in_process(
    config: PortalConfig,
    browser: str | None,
    recorder: CrawlRecorder,
    progress: Any,
    plan: CrawlPlan | None,
    link_targets: Callable[[], Sequence[CheckTarget]] | None,
    shards: int = 1,
    browser_netlog: Path | None = None,
) -> None:
    """The column crawl of `plan` (Scrapy), then the link check of the targets
    `link_targets` gives once the columns are read (asyncio). `shards`: how many processes
    share the per-host limits. Raises what stopped the crawl (`CrawlInterrupted` on a
    signal, once what was read is written)."""
    if plan is not None:
        read_columns(config, browser, recorder, progress, plan, shards, browser_netlog)
        recorder.settle_answered_targets()
    targets = link_targets() if link_targets is not None else ()
    if targets:
        check_link_targets(config, targets, recorder, progress, shards)


def read_columns(config: PortalConfig, browser: str | None, recorder: CrawlRecorder,
                 progress: Any, plan: CrawlPlan, shards: int = 1,
                 browser_netlog: Path | None = None) -> None:
    if browser is None:
        _read_columns(config, None, recorder, progress, plan, shards)
        return
    # Every request of the browser goes through the SSRF guard proxy for the whole crawl.
    with running_guard(config.site.url, config.crawl.allow_private_targets) as guard:
        _read_columns(config, browser, recorder, progress, plan, shards,
                      launch_args(guard.port, browser_netlog))


def _read_columns(config: PortalConfig, browser: str | None, recorder: CrawlRecorder,
                  progress: Any, plan: CrawlPlan, shards: int,
                  browser_args: list[str] | None = None) -> None:
    process = CrawlerProcess(crawl_settings(config, browser, shards, browser_args))
    signals_received: list[int] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Scrapy's own handlers would end the crawl as if it were complete; here the
        # first signal stops the spiders gracefully (what was read is written) and the
        # run is then recorded as interrupted; a second one stops at once.
        from twisted.internet import reactor

        signals_received.append(signum)
        if len(signals_received) == 1:
            reactor.callFromThread(process.stop)
        else:
            # The reactor is typed as its interface, whose methods have no `self`.
            reactor.callFromThread(reactor.stop)  # type: ignore[misc]

    failures: list[Failure] = []
    process.crawl(ColumnSpider, plan=plan, recorder=recorder,
                  progress_display=progress).addErrback(failures.append)
    with signal_handler(on_signal):
        process.start(install_signal_handlers=False)
    recorder.flush()
    if signals_received:
        raise CrawlInterrupted(signal.Signals(signals_received[0]).name)
    if failures:
        failures[0].raiseException()


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


def check_link_targets(config: PortalConfig, targets: Sequence[CheckTarget],
                       recorder: CrawlRecorder, progress: Any, shards: int = 1) -> None:
    """Check `targets` and hand each verdict to `recorder` (written before returning,
    interrupted or not)."""

    def record(result: LinkCheckResult) -> None:
        recorder.link_result(result)
        if progress is not None:
            progress.link_checked()

    try:
        check_links(targets, checker_settings(config, shards), record)
    finally:
        recorder.flush()


# Another crawl's lease is taken over when silent this long (at once when its process is
# known to have ended); the holder renews it every `CRAWL_HEARTBEAT_SECONDS`.
CRAWL_LEASE_STALE = timedelta(minutes=10)
CRAWL_HEARTBEAT_SECONDS = 30.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def signal_handler(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """`handler` for SIGINT and SIGTERM inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def interruptible() -> AbstractContextManager[None]:
    """SIGINT and SIGTERM raise CrawlInterrupted (outside the reactor, which handles them
    itself in `_read_columns`; the link check and the parent of worker processes rely on
    this)."""
    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise CrawlInterrupted(signal.Signals(signum).name)

    return signal_handler(interrupt)


@contextmanager
def kept_alive(lease: DatabaseLease) -> Iterator[None]:
    """Renew `lease` in a background thread while the block runs."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(CRAWL_HEARTBEAT_SECONDS):
            try:
                lease.heartbeat()
            except OperationalError as busy:  # a database busy with the crawl's writes
                log.warning("crawl lock heartbeat failed: %s", busy)

    thread = threading.Thread(target=beat, name="crawl-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


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
        # Playwright driver (a Node process of some 125 MB).
        settings.set("DOWNLOAD_HANDLERS", {
            scheme: "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
            for scheme in column_schemes(config)
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

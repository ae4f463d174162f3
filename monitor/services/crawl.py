"""Run a crawl: plan from the database, crawl, record, summarise.

One Twisted reactor per process: `monitor crawl` calls this once; the scheduler starts
`monitor crawl` as a subprocess for every run. The run is opened, judged and closed here,
under the portal's lease; its columns are read by `crawler.process` in this process or,
with `crawl.workers` > 1, in worker processes (`crawler.pool`), or by a scrapyd job
(`monitor.services.crawl_backends`).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from crawler.browser import find_browser
from crawler.linkcheck.checker import check_links
from crawler.pool import WorkerPool
from crawler.portal_settings import checker_settings
from crawler.process import crawl_in_process, recorder_for, targets_to_check
from crawler.progress import CrawlProgress
from crawler.shards import worker_count
from monitor.app import App
from monitor.crawlfacts.links import LinkCheckResult
from monitor.crawlfacts.links import LinkTarget as CheckTarget
from monitor.crawlfacts.plan import ColumnJob, CrawlPlan
from monitor.domain import CrawlOutcome, LinkStatus, RunStatus
from monitor.errors import CrawlInterrupted, CrawlLockError
from monitor.i18n import _
from monitor.rules.outage import NOT_ANSWERED, PortalHosts
from monitor.services.link_problems import refresh_link_problems
from monitor.services.outage import RunOutage, judge_run, on_hosts, record_outage
from monitor.stopping import on_stop_signals
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

log = logging.getLogger("monitor.services.crawl")


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
        pool = WorkerPool(app.config_path, app.db_url, start.site_id, start.run_id,
                          start.now, start.browser, start.shards)
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
        return targets_to_check(recorder, portal)

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
        record_outage(session, site_id, outage, recorder.counts, now)
        refresh_link_problems(session, site_id, now)
    return CrawlSummary(run_id, len(jobs), recorder.counts, browser, outage)


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
        refresh_link_problems(session, site_id, now)
    return RecheckSummary(run_id, by_status)


# Another crawl's lease is taken over when silent this long (at once when its process is
# known to have ended); the holder renews it every `CRAWL_HEARTBEAT_SECONDS`.
CRAWL_LEASE_STALE = timedelta(minutes=10)
CRAWL_HEARTBEAT_SECONDS = 30.0


def interruptible() -> AbstractContextManager[None]:
    """SIGINT and SIGTERM raise CrawlInterrupted (outside the reactor, which handles them
    itself in `crawler.process`; the link check and the parent of worker processes rely on
    this)."""
    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise CrawlInterrupted(signal.Signals(signum).name)

    return on_stop_signals(interrupt)


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

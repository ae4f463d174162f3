"""`monitor schedule`: APScheduler in the foreground, one per database, stopped by signals.

Jobs live in the database (APScheduler's SQLAlchemy job store). At start the stored jobs
are reconciled with the config: a job whose trigger and arguments did not change keeps its
stored next run time, so a restart neither skips a run (a 02:00 crawl missed while the
machine rebooted runs late, within the misfire grace) nor repeats one (APScheduler moves
the next run time forward before it starts a run). Coalescing turns several missed runs
into one, and `max_instances=1` never lets a job overlap itself.

With a directory of portals one scheduler serves them all (SPEC §7): every portal's jobs,
its crawl staggered over the crawl window, the crawls of portals sharing a host or an
address one after another (`monitor.scheduler.portals`). Each job is its own child
process, so one portal's failure is logged and the others run on.
"""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED

from monitor.app import App
from monitor.clock import SHANGHAI
from monitor.config.portals import Portals
from monitor.errors import SchedulerLockError
from monitor.i18n import _
from monitor.scheduler.jobs import (
    CHILDREN,
    PlannedJob,
    planned_portal_jobs,
    run_job,
)
from monitor.scheduler.lock import SchedulerLease
from monitor.scheduler.portals import group_of, politeness_groups, portal_addresses
from monitor.stopping import StopHandler, on_stop_signals
from storage import migrations

log = logging.getLogger("monitor.scheduler")

# How long running children get to stop on SIGTERM before they are killed.
CHILD_STOP_GRACE_SECONDS = 20


@dataclass(frozen=True)
class JobListing:
    name: str
    description: str
    enabled: bool
    trigger: str
    next_run: datetime | None
    # False: the scheduler has not stored the job yet; next_run is what the trigger gives.
    stored: bool


class _Scheduler(BackgroundScheduler):
    def _process_jobs(self) -> float | None:
        # APScheduler's loop wakes once more after shutdown and would then move due jobs'
        # next run times forward without running them (the executor is gone): a lost run.
        if self.state == STATE_STOPPED:
            return None
        return super()._process_jobs()


def scheduled_jobs(app: App) -> list[PlannedJob]:
    """The jobs of every configured portal (one portal: its jobs as they always were);
    of the `--portal` one alone when it is given."""
    portals = app.portals
    if app.portal_option is not None:
        portals = Portals(portals.source, (app.portal,))
    groups: dict[str, str] = {}
    if portals.several:
        addresses = {portal.name: portal_addresses(portal.config) for portal in portals.members}
        groups = group_of(politeness_groups(addresses))
        for members in politeness_groups(addresses):
            log.info("host group %s: %s", members[0], ", ".join(members))
    return planned_portal_jobs(portals, app.db_url, groups)


def misfire_grace(portals: Portals) -> int:
    return max(portal.config.schedule.misfire_grace_seconds for portal in portals.members)


def lock_stale(portals: Portals) -> int:
    return min(portal.config.schedule.lock_stale_seconds for portal in portals.members)


def make_scheduler(app: App, workers: int) -> BackgroundScheduler:
    grace = misfire_grace(app.portals)
    return _Scheduler(
        timezone=SHANGHAI,
        jobstores={"default": SQLAlchemyJobStore(engine=app.engine)},
        executors={"default": ThreadPoolExecutor(max_workers=max(1, workers))},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
    )


def reconcile(scheduler: BackgroundScheduler, jobs: list[PlannedJob], grace: int) -> None:
    """Make the stored jobs those of the config, keeping unchanged jobs' next run times."""
    wanted = {job.name: job for job in jobs if job.runs}
    for stored in scheduler.get_jobs():
        if stored.id not in wanted:
            scheduler.remove_job(stored.id)
            log.info("job %s removed (disabled or unknown)", stored.id)
    for job in wanted.values():
        stored = scheduler.get_job(job.name)
        if stored is not None and (
            str(stored.trigger) == str(job.trigger)
            and tuple(stored.args) == job.args
            and stored.misfire_grace_time == grace
        ):
            continue
        scheduler.add_job(run_job, trigger=job.trigger, args=job.args, id=job.name,
                          name=job.description, replace_existing=True)
        log.info("job %s %s", job.name, "updated" if stored is not None else "added")


def list_jobs(app: App) -> list[JobListing]:
    """The configured jobs with their next run times, stored or (if never stored) planned."""
    migrations.require_current(app.engine)
    jobs = scheduled_jobs(app)
    scheduler = make_scheduler(app, 1)
    scheduler.start(paused=True)
    try:
        stored = {job.id: job for job in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
    now = datetime.now(SHANGHAI)
    listings = []
    for job in jobs:
        kept = stored.get(job.name)
        if kept is not None and str(kept.trigger) == str(job.trigger):
            next_run = kept.next_run_time
        else:
            next_run = job.trigger.get_next_fire_time(None, now) if job.runs else None
        listings.append(JobListing(job.name, job.description, job.enabled,
                                   job.when, next_run, kept is not None))
    return listings


def run_scheduler(app: App) -> None:
    """Run until SIGINT or SIGTERM. Raises SchedulerLockError when another scheduler runs."""
    migrations.require_current(app.engine)
    jobs = scheduled_jobs(app)
    stale_seconds = lock_stale(app.portals)
    lease = SchedulerLease(app.sessions, timedelta(seconds=stale_seconds))
    lease.acquire()
    stop = threading.Event()
    scheduler = make_scheduler(app, len(jobs))
    scheduler.add_listener(_log_missed, EVENT_JOB_MISSED)
    with on_stop_signals(_stop_on_signal(stop)):
        _serve(scheduler, jobs, app, lease, stop, stale_seconds)


def _serve(scheduler: BackgroundScheduler, jobs: list[PlannedJob], app: App,
           lease: SchedulerLease, stop: threading.Event, stale_seconds: int) -> None:
    try:
        scheduler.start(paused=True)
        reconcile(scheduler, jobs, misfire_grace(app.portals))
        scheduler.resume()
        log.info("scheduler started as %s", lease.holder)
        for job in scheduler.get_jobs():
            log.info("job %s: %s, next run %s", job.id, job.name,
                     job.next_run_time.isoformat() if job.next_run_time else "never")
        _keep_lease(lease, stop, heartbeat_seconds(stale_seconds))
    finally:
        scheduler.pause()
        stopped = CHILDREN.terminate_all(CHILD_STOP_GRACE_SECONDS)
        if stopped:
            log.warning("stopped %d running job(s); they run again at their next time", stopped)
        scheduler.shutdown(wait=True)
        lease.release()
        log.info("scheduler stopped")


def heartbeat_seconds(stale_seconds: int) -> float:
    # Several heartbeats fit in the stale period, so one slow database write is harmless.
    return max(1.0, stale_seconds / 5)


def _keep_lease(lease: SchedulerLease, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        if not lease.heartbeat():
            raise SchedulerLockError(
                _("the scheduler lock was taken over by another scheduler; stopping this one")
            )


def _log_missed(event: JobExecutionEvent) -> None:
    log.warning("job %s missed its run at %s (later than the misfire grace)",
                event.job_id, event.scheduled_run_time)


def _stop_on_signal(stop: threading.Event) -> StopHandler:
    def handle(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s, stopping", signal.Signals(signum).name)
        stop.set()

    return handle

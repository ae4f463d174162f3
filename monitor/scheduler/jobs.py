"""The scheduled jobs: what each one runs, when by default, and how a run is carried out.

Every run is a `monitor` command in a child process. A crawl must be: the Twisted reactor
cannot be restarted within one process. The other jobs are too, so that a job that hangs
or leaks memory cannot take the scheduler down, and so that each run reads the config
afresh. APScheduler stores the jobs in the database, pickled, so a job is a module-level
function whose arguments are plain strings (`run_job(name, config_path, db_url)`).

With a directory of portals (SPEC §7) every portal has its own jobs, their ids ending in
`@` and the portal file's stem; each portal's crawl starts at its offset in the crawl
window, and the crawling jobs of portals that share a host or an address (`politeness
groups`, monitor.scheduler.portals) take their group's lock, so they run one at a time.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import make_url

from monitor.clock import SHANGHAI
from monitor.config import PortalConfig
from monitor.config.models import JobSchedule
from monitor.config.portals import PortalFile, Portals
from monitor.errors import MonitorError
from monitor.i18n import N_
from monitor.scheduler.portals import crawl_offsets

log = logging.getLogger("monitor.scheduler")

# Lines of a run's output kept in the log: every command ends with a one-line summary.
SUMMARY_LINES = 1


@dataclass(frozen=True)
class JobDefinition:
    name: str
    description: str
    default_cron: str | None = None
    default_every_seconds: float | None = None


DEFINITIONS: tuple[JobDefinition, ...] = (
    JobDefinition("crawl", N_("nightly crawl of every column"), default_cron="0 2 * * *"),
    JobDefinition("link_recheck", N_("re-check links whose re-check is due"),
                  default_cron="0 4 * * *"),
    JobDefinition("probe", N_("availability probe of the home and key pages"),
                  default_every_seconds=1800),
    JobDefinition("due_soon_reminders", N_("remind units whose weekly column is due soon"),
                  default_cron="0 15 * * thu"),
    JobDefinition("weekly_alerts", N_("weekly staleness alerts and the office digest"),
                  default_cron="30 8 * * mon"),
    JobDefinition("outbox", N_("retry e-mails and chat messages not yet accepted"),
                  default_every_seconds=900),
    JobDefinition("monthly_report", N_("monthly report of the previous month"),
                  default_cron="0 7 1 * *"),
)
DEFINITIONS_BY_NAME = {definition.name: definition for definition in DEFINITIONS}


def previous_month(today: date) -> str:
    last_day = today.replace(day=1) - timedelta(days=1)
    return f"{last_day.year:04d}-{last_day.month:02d}"


def command_for(name: str, today: date, report_dir: str) -> list[str]:
    """The `monitor` arguments (after the global options) that a run of job `name` executes."""
    commands = {
        "crawl": ["crawl"],
        "link_recheck": ["links", "recheck"],
        "probe": ["probe"],
        "due_soon_reminders": ["alerts", "due-soon"],
        "weekly_alerts": ["alerts", "weekly"],
        "outbox": ["alerts", "send"],
        "monthly_report": ["report", "monthly", "--month", previous_month(today),
                           "--out", report_dir],
    }
    return commands[name]


def effective(definition: JobDefinition, schedule: JobSchedule) -> tuple[str | None, float | None]:
    """The configured cron line or interval, or the job's default when neither is given."""
    if schedule.cron is None and schedule.every_seconds is None:
        return definition.default_cron, definition.default_every_seconds
    return schedule.cron, schedule.every_seconds


def trigger_for(definition: JobDefinition, schedule: JobSchedule) -> BaseTrigger:
    cron, every = effective(definition, schedule)
    if cron is not None:
        return CronTrigger.from_crontab(cron, timezone=SHANGHAI)
    assert every is not None
    return IntervalTrigger(seconds=every, timezone=SHANGHAI)


def describe_schedule(definition: JobDefinition, schedule: JobSchedule) -> str:
    cron, every = effective(definition, schedule)
    return f"cron {cron}" if cron is not None else f"every {every:g} s"


class OffsetTrigger(BaseTrigger):
    """A trigger firing `minutes` after each time of another one: 02:00 + 36 min."""

    def __init__(self, base: BaseTrigger, minutes: int) -> None:
        self.base = base
        self.minutes = minutes

    def get_next_fire_time(self, previous_fire_time: datetime | None,
                           now: datetime) -> datetime | None:
        shift = timedelta(minutes=self.minutes)
        previous = None if previous_fire_time is None else previous_fire_time - shift
        base_time = self.base.get_next_fire_time(previous, now - shift)
        return None if base_time is None else base_time + shift

    def __str__(self) -> str:
        return f"{self.base} + {self.minutes} min"


# The jobs that read the portal's host (and so take their politeness group's lock).
CRAWLING_JOBS = frozenset({"crawl", "link_recheck"})


@dataclass(frozen=True)
class PlannedJob:
    """A job as the config wants it; compared with the stored job to keep its next run."""

    name: str
    description: str
    enabled: bool
    trigger: BaseTrigger
    when: str
    args: tuple[str, ...]

    @property
    def runs(self) -> bool:
        return self.enabled


def planned_jobs(config: PortalConfig, config_path: Path, db_url: str) -> list[PlannedJob]:
    jobs: list[PlannedJob] = []
    for definition in DEFINITIONS:
        schedule: JobSchedule = getattr(config.schedule, definition.name)
        jobs.append(PlannedJob(
            name=definition.name,
            description=definition.description,
            enabled=schedule.enabled,
            trigger=trigger_for(definition, schedule),
            when=describe_schedule(definition, schedule),
            args=(definition.name, str(config_path.resolve()), db_url),
        ))
    return jobs


def planned_portal_jobs(portals: Portals, db_url: str,
                        groups: dict[str, str]) -> list[PlannedJob]:
    """Every portal's jobs. One portal: its jobs as they always were. Several: ids end in
    `@stem`, crawls start at their offsets, crawling jobs carry their group's name."""
    if not portals.several:
        only = portals.members[0]
        return planned_jobs(only.config, only.path, db_url)
    offsets = crawl_offsets([portal.name for portal in portals.members],
                            window_minutes(portals))
    jobs: list[PlannedJob] = []
    for portal in portals.members:
        for job in planned_jobs(portal.config, portal.path, db_url):
            jobs.append(_for_portal(job, portal, offsets[portal.name], groups[portal.name]))
    return jobs


def window_minutes(portals: Portals) -> int:
    """The crawl window of an installation: the narrowest any portal asks for."""
    return min(portal.config.schedule.crawl_window_minutes for portal in portals.members)


def _for_portal(job: PlannedJob, portal: PortalFile, offset: int, group: str) -> PlannedJob:
    trigger, when = job.trigger, job.when
    if job.name == "crawl" and offset:
        trigger, when = OffsetTrigger(trigger, offset), f"{when} + {offset} min"
    # The job's id in its first argument, so its log lines name the portal.
    name = f"{job.name}@{portal.stem}"
    args = (name, *job.args[1:])
    if job.name in CRAWLING_JOBS:
        args = (*args, group)
    return PlannedJob(name=name, description=job.description,
                      enabled=job.enabled, trigger=trigger, when=when, args=args)


def job_kind(job_id: str) -> str:
    """The definition a job id stands for: `crawl@ruihe` is a crawl."""
    return job_id.partition("@")[0]


class _GroupLocks:
    """One lock per politeness group: its crawling jobs run one after another."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def of(self, group: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(group, threading.Lock())


GROUP_LOCKS = _GroupLocks()


def command_words(name: str) -> list[str]:
    """The command and subcommand a job runs, without options: `report monthly`."""
    words = []
    for word in command_for(name, date(2000, 1, 1), "."):
        if word.startswith("-"):
            break
        words.append(word)
    return words


class _Children:
    """Child processes of running jobs, so that stopping the scheduler can stop them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()

    def add(self, child: subprocess.Popen[str]) -> None:
        with self._lock:
            self._running.add(child)

    def discard(self, child: subprocess.Popen[str]) -> None:
        with self._lock:
            self._running.discard(child)

    def terminate_all(self, grace_seconds: float) -> int:
        with self._lock:
            running = list(self._running)
        for child in running:
            child.terminate()
        deadline = time.monotonic() + grace_seconds
        for child in running:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        return len(running)


CHILDREN = _Children()


def run_job(name: str, config_path: str, db_url: str, group: str = "") -> None:
    """One run of job `name`: the `monitor` command in a child process, logged. A job of a
    politeness `group` waits for the group's other crawls to finish first."""
    if not group:
        _run_job(name, config_path, db_url)
        return
    lock = GROUP_LOCKS.of(group)
    if not lock.acquire(blocking=False):
        log.info("job %s (%s) waits for another crawl of its host group %s", name,
                 config_path, group)
        lock.acquire()
    try:
        _run_job(name, config_path, db_url)
    finally:
        lock.release()


def _run_job(name: str, config_path: str, db_url: str) -> None:
    # Imported here: a job run reads the config afresh, and so does the date it runs for.
    from monitor.app import App

    app = App(config_option=Path(config_path), db_option=db_url)
    try:
        arguments = command_for(job_kind(name), app.clock.today(),
                                app.config.schedule.report_dir)
    except MonitorError as err:
        # A config edited into an invalid state: say so in the log, keep the schedule.
        log.error("job %s not run: %s", name, one_line_error(err))
        return
    argv = [sys.executable, "-m", "monitor", "--config", config_path, "--db", db_url,
            *arguments]
    shown = " ".join(["monitor", *arguments])
    started = time.monotonic()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8", errors="replace")
    CHILDREN.add(child)
    log.info("job %s started: %s (pid %d, database %s)", name, shown, child.pid,
             make_url(db_url).render_as_string(hide_password=True))
    try:
        stdout, stderr = child.communicate()
    finally:
        CHILDREN.discard(child)
    elapsed = time.monotonic() - started
    if child.returncode == 0:
        log.info("job %s finished in %.1f s (pid %d): %s", name, elapsed, child.pid,
                 summary_of(stdout) or "no output")
    elif child.returncode < 0:
        log.warning("job %s stopped by signal %d after %.1f s (pid %d)", name,
                    -child.returncode, elapsed, child.pid)
    else:
        log.error("job %s failed in %.1f s (pid %d, exit %d): %s", name, elapsed, child.pid,
                  child.returncode, summary_of(stderr) or summary_of(stdout) or "no output")


def one_line_error(err: MonitorError) -> str:
    return " | ".join(line.strip() for line in str(err).splitlines() if line.strip())


def summary_of(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " | ".join(lines[-SUMMARY_LINES:])

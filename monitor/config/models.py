"""Typed, strict models of the portal config file (SPEC §2).

Every model forbids unknown keys and is frozen: the config is loaded once and then only
read. Field-level checks live here; checks that span several units or columns
(duplicates, aliases) live in `monitor.config.checks` so they can name the exact key.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from monitor.domain import Category, Cycle, Render

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_DEADLINE = re.compile(r"^(\d{2})-(\d{2})$")


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{value}' is not an http(s) URL (write e.g. http://www.example.gov.cn/)")
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an e-mail address")
    return value


def _mailbox(value: str) -> str:
    """'政务公开办 <gkb@example.gov.cn>' or a bare address."""
    _name, address = parseaddr(value)
    if not address or not _EMAIL.match(address):
        raise ValueError(
            f"'{value}' is not an e-mail address (write e.g. 政务公开办 <gkb@example.gov.cn>)"
        )
    return value


def _deadline(value: str) -> str:
    match = _DEADLINE.match(value)
    if not match:
        raise ValueError(f"'{value}' is not a MM-DD date (write e.g. \"03-31\")")
    try:
        date(2024, int(match[1]), int(match[2]))  # a leap year admits 02-29
    except ValueError:
        raise ValueError(f"'{value}' is not a day of the year") from None
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
Email = Annotated[str, AfterValidator(_email)]
Mailbox = Annotated[str, AfterValidator(_mailbox)]
Deadline = Annotated[str, AfterValidator(_deadline)]
# Enums come from YAML as strings; strict mode would demand enum instances.
CategoryField = Annotated[Category, Field(strict=False)]
CycleField = Annotated[Cycle, Field(strict=False)]
RenderField = Annotated[Render, Field(strict=False)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SiteConfig(StrictModel):
    name: str = Field(min_length=1)
    url: HttpUrl
    # Put in the crawler's User-Agent so a site's administrators can reach the office.
    contact: Email | None = None


class CrawlConfig(StrictModel):
    concurrency_per_host: int = Field(default=4, ge=1, le=64)
    delay_seconds: float = Field(default=0.25, ge=0, le=60)
    # The national rule measures availability with a 15-second limit.
    timeout_seconds: float = Field(default=15, gt=0, le=300)
    first_crawl_since: date | None = None
    check_external_links: bool = True
    allow_private_targets: bool = False
    browser: str = "auto"
    max_pages_per_column: int = Field(default=500, ge=1, le=100_000)
    recheck_ok_days: int = Field(default=7, ge=1, le=365)
    soft404_patterns: list[str] = Field(default_factory=list)
    user_agent: str | None = None

    @model_validator(mode="after")
    def _browser_is_known(self) -> CrawlConfig:
        if self.browser not in ("auto", "off") and not Path(self.browser).is_file():
            raise ValueError(
                f"browser: '{self.browser}' is neither auto, off nor an existing Chromium "
                "executable (install one with 'apt-get install chromium' or "
                "'playwright install chromium')"
            )
        return self


class CalendarConfig(StrictModel):
    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(default_factory=list)
    # Years whose holidays and workdays the lists above give completely: the official
    # calendar package stops at 2026, and later years must come from here.
    covered_years: list[int] = Field(default_factory=list)


class WeeklyRuleConfig(StrictModel):
    categories: list[CategoryField] = Field(
        default_factory=lambda: [Category.DYNAMICS], min_length=1
    )
    min_posts: int = Field(default=1, ge=1, le=100)


class RulesConfig(StrictModel):
    weekly: WeeklyRuleConfig = Field(default_factory=WeeklyRuleConfig)
    due_soon_workdays: int = Field(default=2, ge=0, le=10)
    backdate_days: int = Field(default=3, ge=1, le=60)


class SmtpConfig(StrictModel):
    host: str = Field(min_length=1)
    port: int = Field(default=25, ge=1, le=65535)
    user: str | None = None
    # The name of the environment variable holding the password, never the password.
    password_env: str | None = Field(default=None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    starttls: bool = False
    ssl: bool = False

    @model_validator(mode="after")
    def _one_tls_mode(self) -> SmtpConfig:
        if self.starttls and self.ssl:
            raise ValueError("starttls and ssl exclude each other: choose one")
        return self


class EmailConfig(StrictModel):
    smtp: SmtpConfig
    sender: Mailbox
    office: list[Email] = Field(default_factory=list)


class ListSelectors(StrictModel):
    item: str = Field(min_length=1)
    title: str | None = None
    link: str | None = None
    date: str | None = None


class ColumnConfig(StrictModel):
    name: str = Field(min_length=1)
    url: HttpUrl
    category: CategoryField
    cycle: CycleField = Cycle.NONE
    deadline: Deadline | None = None
    render: RenderField = Render.STATIC
    list: ListSelectors | None = None

    @model_validator(mode="after")
    def _deadline_fits_cycle(self) -> ColumnConfig:
        if self.deadline is not None and self.cycle is not Cycle.YEARLY:
            raise ValueError(
                f"deadline is only for yearly columns (this one is {self.cycle.value}): "
                "remove it or set cycle: yearly"
            )
        # The annual report (年度报告) has a legal deadline; without one it is never overdue.
        if self.cycle is Cycle.YEARLY and self.category is Category.REPORT and not self.deadline:
            raise ValueError(
                "a yearly report column needs a deadline (write e.g. deadline: \"01-31\")"
            )
        return self


class UnitConfig(StrictModel):
    name: str = Field(min_length=1)
    group: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    annual_target: int | None = Field(default=None, ge=0)
    contacts: list[Email] = Field(default_factory=list)
    columns: list[ColumnConfig] = Field(min_length=1)


def _crontab(value: str) -> str:
    """A five-field cron line; days of the week by name, because APScheduler numbers them
    from Monday = 0 while crontab numbers them from Sunday = 0."""
    fields = value.split()
    if len(fields) != 5:
        raise ValueError(
            f"'{value}' is not a cron line of five fields: minute hour day month weekday "
            "(write e.g. \"30 8 * * mon\")"
        )
    if re.search(r"\d", fields[4]):
        raise ValueError(
            f"'{value}': write the weekday by name (mon, tue, … sun), not by number"
        )
    try:
        CronTrigger.from_crontab(value)
    except ValueError as err:
        raise ValueError(f"'{value}' is not a valid cron line: {err}") from None
    return value


CronLine = Annotated[str, AfterValidator(_crontab)]


class JobSchedule(StrictModel):
    """When one scheduled job runs. Neither `cron` nor `every_seconds`: the job's default."""

    enabled: bool = True
    cron: CronLine | None = None
    every_seconds: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if self.cron is not None and self.every_seconds is not None:
            raise ValueError("cron and every_seconds exclude each other: choose one")
        return self


class ScheduleConfig(StrictModel):
    crawl: JobSchedule = Field(default_factory=JobSchedule)
    link_recheck: JobSchedule = Field(default_factory=JobSchedule)
    probe: JobSchedule = Field(default_factory=JobSchedule)
    due_soon_reminders: JobSchedule = Field(default_factory=JobSchedule)
    weekly_alerts: JobSchedule = Field(default_factory=JobSchedule)
    outbox: JobSchedule = Field(default_factory=JobSchedule)
    monthly_report: JobSchedule = Field(default_factory=JobSchedule)
    # A run missed by less than this (the machine was off at 02:00) still happens late.
    misfire_grace_seconds: int = Field(default=3600, ge=1)
    # A scheduler whose heartbeat is older than this is taken for dead; its lock is taken over.
    lock_stale_seconds: int = Field(default=300, ge=5)
    report_dir: str = Field(default="var/reports", min_length=1)


class ProbeConfig(StrictModel):
    # Probed besides the site's home page.
    key_pages: list[HttpUrl] = Field(default_factory=list)
    # The national rule: a page that does not open within 15 seconds counts as unreachable.
    timeout_seconds: float = Field(default=15, gt=0, le=300)
    window_days: int = Field(default=7, ge=1, le=90)
    min_probes_per_day: int = Field(default=20, ge=1, le=1440)
    fail_ratio: float = Field(default=0.05, gt=0, le=1)


class PortalConfig(StrictModel):
    site: SiteConfig
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    email: EmailConfig | None = None
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    probe: ProbeConfig = Field(default_factory=ProbeConfig)
    units: list[UnitConfig] = Field(min_length=1)

    def unit_names(self) -> list[str]:
        return [unit.name for unit in self.units]

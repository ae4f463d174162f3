"""Typed, strict models of the portal config file (SPEC §2).

Every model forbids unknown keys and is frozen: the config is loaded once and then only
read. Field-level checks live here; checks that span several units or columns
(duplicates, aliases) live in `monitor.config.checks` so they can name the exact key.
"""

from __future__ import annotations

import ipaddress
import os
import re
from datetime import date
from email.utils import parseaddr
from pathlib import Path
from string import Formatter
from typing import Annotated, Literal
from urllib.parse import urlsplit

from apscheduler.triggers.cron import CronTrigger
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from monitor.domain import Category, Cycle, ListStyle, Render
from monitor.i18n import N_, _

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_DEADLINE = re.compile(r"^(\d{2})-(\d{2})$")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# What a Chromium executable is called: Debian's chromium, Playwright's chrome or
# headless_shell, Google's google-chrome.
_CHROMIUM_NAME = re.compile(r"chrom|headless_shell", re.IGNORECASE)




def _http_url(value: str) -> str:
    """An http(s) URL the crawler can request: a host, a port from 1 to 65535, an IPv6
    address only in brackets (`http://[2001:db8::1]:8000/`), and no user name or password."""
    try:
        parts = urlsplit(value)
    except ValueError as bad:
        raise ValueError(_not_requestable(value, _url_problem(value, bad))) from None
    if parts.username is not None or parts.password is not None:
        # Not echoed: the value holds a password.
        raise ValueError(
            _("the URL carries a user name or password: remove it — the config file is no "
              "place for secrets (give them through environment variables, as "
              "email.smtp.password_env does)"))
    try:
        port = parts.port
    except ValueError as bad:
        raise ValueError(_not_requestable(value, _url_problem(value, bad))) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(_("'{value}' is not an http(s) URL (write e.g. "
                           "http://www.example.gov.cn/)").format(value=value))
    if port == 0:
        raise ValueError(_not_requestable(value, _("port 0 is out of range 1-65535")))
    if parts.netloc.rpartition("@")[2].startswith("[") and not parts.netloc.endswith("]") \
            and port is None:
        raise ValueError(_not_requestable(value, _(
            "text after the IPv6 address (write e.g. http://[2001:db8::1]:8000/)")))
    return value


def _not_requestable(value: str, problem: str) -> str:
    return _("'{value}' is not a URL that can be requested: {problem}").format(
        value=value, problem=problem)


def _url_problem(value: str, error: ValueError) -> str:
    message = str(error)
    if "out of range" in message:
        return _("port out of range 1-65535")
    if "IPv6" in message or "does not appear to be an IPv4 or IPv6" in message:
        return _("malformed IPv6 address (write it in brackets, e.g. "
                 "http://[2001:db8::1]:8000/)")
    if "Port could not be cast" in message:
        if value.count(":") > 2:
            return _("an IPv6 address must be in brackets (e.g. http://[2001:db8::1]:8000/)")
        return _("the port is not a number")
    return message


def _no_control(value: str) -> str:
    """A value that goes into a mail header or a command line: one line, no controls."""
    if _CONTROL.search(value):
        raise ValueError(_("'{value}' holds a line break or a control character; write it "
                           "on one line").format(value=_visible(value)))
    return value


def _visible(value: str) -> str:
    return _CONTROL.sub(lambda match: repr(match[0])[1:-1], value)


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(_("'{value}' is not an e-mail address").format(value=value))
    return value


def _mailbox(value: str) -> str:
    """'政务公开办 <gkb@example.gov.cn>' or a bare address."""
    _no_control(value)
    _name, address = parseaddr(value)
    if not address or not _EMAIL.match(address):
        raise ValueError(
            _("'{value}' is not an e-mail address (write e.g. 政务公开办 "
              "<gkb@example.gov.cn>)").format(value=value)
        )
    return value


def _deadline(value: str) -> str:
    match = _DEADLINE.match(value)
    if not match:
        raise ValueError(_("'{value}' is not a MM-DD date (write e.g. \"03-31\")")
                         .format(value=value))
    try:
        date(2024, int(match[1]), int(match[2]))  # a leap year admits 02-29
    except ValueError:
        raise ValueError(_("'{value}' is not a day of the year").format(value=value)) from None
    return value


_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")
# The outbox keys a chat delivery by its URL as written (storage.models.CHANNEL_LENGTH).
CHAT_URL_LENGTH = 500
# The robots the monitor posts to itself (monitor.alerts.chatpost), in the forms it reads.
_ROBOT_URLS = {
    "dingtalk": (re.compile(r"^dingtalk://([^@/?#]+@)?[^@/?#]+/?(\?secret=[^&#]+)?$"),
                 "a 钉钉 robot is written dingtalk://${SECRET}@${TOKEN}/ (or dingtalk://${TOKEN}/ "
                 "without 加签)"),
    "wecombot": (re.compile(r"^wecombot://([^/?#]+/?|/?\?key=[^&#]+)$"),
                 "a 企业微信 group robot is written wecombot://${KEY}"),
}


def variables_of(template: str) -> list[str]:
    """The environment variables a chat URL names (`${NAME}`), in order."""
    return _VARIABLE.findall(template)


def _chat_url(value: str) -> str:
    """An apprise URL whose secret parts are `${NAME}` references to environment variables.
    Only the names are in the file; the values are put in when a message is sent."""
    _no_control(value)
    if len(value) > CHAT_URL_LENGTH:
        raise ValueError(_("a chat URL is at most {length} characters long").format(
            length=CHAT_URL_LENGTH))
    if not _SCHEME.match(value):
        # Not echoed: the value may hold a token.
        raise ValueError(_("not a notification URL of the form scheme://… (write e.g. "
                           "dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/)"))
    names = variables_of(value)
    bad = [name for name in names if not _VARIABLE_NAME.match(name)]
    if bad:
        raise ValueError(_("'{variable}' is not an environment variable name (capitals, "
                           "digits and _, e.g. ${{DINGTALK_TOKEN}})").format(
            variable=f"${{{bad[0]}}}"))
    if not names:
        # Not echoed: the value may hold a token.
        raise ValueError(_("the URL names no environment variable: a chat URL carries a "
                           "token, which belongs in the environment, not in the config file — "
                           "write it as ${NAME} (e.g. wecombot://${WECOM_KEY})"))
    shape, form = _ROBOT_URLS.get(value.partition("://")[0], (None, ""))
    if shape is not None and not shape.match(value):
        raise ValueError(form)
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
ChatUrl = Annotated[str, AfterValidator(_chat_url)]
Email = Annotated[str, AfterValidator(_email)]
Mailbox = Annotated[str, AfterValidator(_mailbox)]
Deadline = Annotated[str, AfterValidator(_deadline)]
OneLine = Annotated[str, AfterValidator(_no_control)]
# Enums come from YAML as strings; strict mode would demand enum instances.
CategoryField = Annotated[Category, Field(strict=False)]
CycleField = Annotated[Cycle, Field(strict=False)]
RenderField = Annotated[Render, Field(strict=False)]
ListStyleField = Annotated[ListStyle, Field(strict=False)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SiteConfig(StrictModel):
    name: str = Field(min_length=1, description="The portal's name, shown in reports and e-mails.")
    url: HttpUrl = Field(description="The portal's home page (http or https).")
    # Put in the crawler's User-Agent so a site's administrators can reach the office.
    contact: Email | None = Field(
        default=None,
        description=(
            "An address put in the crawler's User-Agent, so the site's administrators can"
            " reach the office."
        ),
    )


class CrawlConfig(StrictModel):
    concurrency_per_host: int = Field(
        default=4, ge=1, le=64,
        description="Parallel requests to one host, and connections open to it (idle "
                    "keep-alive ones included), all its ports counted together.",
    )
    delay_seconds: float = Field(
        default=0.25, ge=0, le=60,
        description="Pause between requests to one host.",
    )
    # The national rule measures availability with a 15-second limit.
    timeout_seconds: float = Field(
        default=15, gt=0, le=300,
        description="Time limit of one request (the national rule's figure is 15 s).",
    )
    first_crawl_since: date | None = Field(
        default=None,
        description="How far back pagination goes on a column's first crawl.",
    )
    check_external_links: bool = Field(
        default=True,
        description="Also check links that lead to other sites.",
    )
    allow_private_targets: bool = Field(
        default=False,
        description=(
            "Request link targets on loopback or private addresses other than the site's "
            "own host (an SSRF guard when false)."
        ),
    )
    browser: str = Field(
        default="auto",
        description=(
            "Chromium for columns drawn by JavaScript: auto (look for one), off, or the "
            "executable's path."
        ),
    )
    max_pages_per_column: int = Field(
        default=500, ge=1, le=100_000,
        description=(
            "At most this many list pages per column (a guard against endless "
            "pagination)."
        ),
    )
    max_items_per_page: int = Field(
        default=1000, ge=10, le=100_000,
        description=(
            "At most this many posts are read from one list page (a guard against a list "
            "of a hundred thousand items); reported when reached."
        ),
    )
    workers: int = Field(
        default=1, ge=1, le=16,
        description=(
            "Crawl processes sharing a run (each gets its part of the per-host limits); "
            "more than one uses more CPU cores on a large first crawl."
        ),
    )
    backend: Literal["local", "scrapyd"] = Field(
        default="local",
        description=(
            "Where the columns are read: local (processes on this machine) or scrapyd (one "
            "job per crawl on the scrapyd server at crawl.scrapyd_url, writing to the same "
            "database)."
        ),
    )
    scrapyd_url: HttpUrl | None = Field(
        default=None,
        description=(
            "The scrapyd server crawls run on when crawl.backend is scrapyd "
            "(e.g. http://127.0.0.1:6800/)."
        ),
    )
    recheck_ok_days: int = Field(
        default=7, ge=1, le=365,
        description="Links found working are checked again after this many days.",
    )
    soft404_patterns: list[str] = Field(
        default_factory=list,
        description="Extra texts that mark a page as 'not found' although it answers 200.",
    )
    user_agent: OneLine | None = Field(
        default=None,
        description="Replaces the crawler's default User-Agent when set.",
    )

    @field_validator("browser", mode="before")
    @classmethod
    def _browser_off_unquoted(cls, value: object) -> object:
        if value is False:
            raise ValueError(_("YAML reads an unquoted off as false: write browser: \"off\" "
                               "(in quotes)"))
        return value

    @model_validator(mode="after")
    def _backend_is_complete(self) -> CrawlConfig:
        if self.backend != "scrapyd":
            return self
        if self.scrapyd_url is None:
            raise ValueError(_("backend: scrapyd needs crawl.scrapyd_url, the scrapyd "
                               "server's address (e.g. http://127.0.0.1:6800/)"))
        if self.workers > 1:
            # One scrapyd job reads the whole crawl; scrapyd spreads crawls, not shards.
            raise ValueError(_("workers: more than one applies to backend: local; on "
                               "scrapyd each crawl is one job (remove workers or set it to 1)"))
        return self

    @model_validator(mode="after")
    def _browser_is_known(self) -> CrawlConfig:
        if self.browser in ("auto", "off"):
            return self
        path = Path(self.browser)
        if not path.is_file():
            raise ValueError(
                _("browser: '{browser}' is neither auto, off nor an existing Chromium "
                  "executable (install one with 'apt-get install chromium' or "
                  "'playwright install chromium')").format(browser=self.browser)
            )
        if not os.access(path, os.X_OK) or not _CHROMIUM_NAME.search(path.resolve().name):
            raise ValueError(
                _("browser: '{browser}' is not a Chromium executable (expected a program "
                  "named chromium, chrome or headless_shell; or write auto)")
                .format(browser=self.browser)
            )
        return self


class CalendarConfig(StrictModel):
    holidays: list[date] = Field(
        default_factory=list,
        description="Extra rest days, added to the official PRC calendar.",
    )
    workdays: list[date] = Field(
        default_factory=list,
        description="Extra working days (调休), added to the official PRC calendar.",
    )
    # Years whose holidays and workdays the lists above give completely: the official
    # calendar package stops at 2026, and later years must come from here.
    covered_years: list[Annotated[int, Field(ge=2000, le=2100)]] = Field(
        default_factory=list,
        description=(
            "Years that the two lists above give completely; needed for years the built-"
            "in official calendar does not know yet."
        ),
    )


class WeeklyRuleConfig(StrictModel):
    categories: list[CategoryField] = Field(
        default_factory=lambda: [Category.DYNAMICS], min_length=1,
        description="Column categories that count for 每周至少更新一次.",
    )
    min_posts: int = Field(
        default=1, ge=1, le=100,
        description="Posts needed in each counted week.",
    )


class NationalRulesConfig(StrictModel):
    unavailable_percent: float = Field(
        default=5, gt=0, le=100,
        description="站点无法访问 vetoes when this share (%) of the last 7 days' probes failed.",
    )
    unavailable_warning_percent: float = Field(
        default=3, gt=0, le=100,
        description="Early warning: this share (%) of failed probes.",
    )
    min_probes_per_day: int = Field(
        default=20, ge=1, le=1440,
        description="The probe share is judged only when every day has this many probes.",
    )
    home_days: int = Field(
        default=14, ge=1, le=365,
        description="首页不更新 vetoes when the home page's newest item is older than this.",
    )
    home_warning_days: int = Field(
        default=10, ge=1, le=365,
        description="Early warning: the home page's newest item is older than this.",
    )
    stale_columns: int = Field(
        default=5, ge=1, le=10000,
        description="栏目不更新 vetoes at this many columns stale under the national rule.",
    )
    stale_warning: int = Field(
        default=3, ge=1, le=10000,
        description="Early warning: this many stale columns.",
    )
    unupdated_columns: int = Field(
        default=10, ge=1, le=10000,
        description="应更新未更新 vetoes at this many overdue columns that have a cycle.",
    )
    unupdated_warning: int = Field(
        default=6, ge=1, le=10000,
        description="Early warning: this many overdue columns.",
    )
    blank_columns: int = Field(
        default=5, ge=1, le=10000,
        description="空白栏目 vetoes at this many columns that never had a post.",
    )
    blank_warning: int = Field(
        default=2, ge=1, le=10000,
        description="Early warning: this many blank columns.",
    )
    home_broken_links_warning: int | None = Field(
        default=1, ge=1, le=10000,
        description="Early warning: this many broken links on the home page (null: none).",
    )
    broken_links_warning: int | None = Field(
        default=None, ge=1, le=100000,
        description="Early warning: this many broken links on other pages (null: none).",
    )

    @model_validator(mode="after")
    def _warnings_below_vetoes(self) -> NationalRulesConfig:
        pairs = (("unavailable_warning_percent", "unavailable_percent"),
                 ("home_warning_days", "home_days"), ("stale_warning", "stale_columns"),
                 ("unupdated_warning", "unupdated_columns"),
                 ("blank_warning", "blank_columns"))
        for warning, veto in pairs:
            if getattr(self, warning) > getattr(self, veto):
                raise ValueError(_("{warning} must not be above {veto}").format(
                    warning=warning, veto=veto))
        return self


class RulesConfig(StrictModel):
    national: NationalRulesConfig = Field(
        default_factory=NationalRulesConfig,
        description="The national indicators' veto thresholds and early warnings (SPEC §4.8).",
    )
    weekly: WeeklyRuleConfig = Field(
        default_factory=WeeklyRuleConfig,
        description="The weekly-update rule (SPEC §4.3).",
    )
    due_soon_workdays: int = Field(
        default=2, ge=0, le=10,
        description=(
            "A weekly column with no post yet is due soon when at most this many working "
            "days of the week remain, the day itself included."
        ),
    )
    backdate_days: int = Field(
        default=3, ge=1, le=60,
        description="A post first seen more than this many days after its date is back-dated.",
    )
    rectify_workdays: int = Field(
        default=5, ge=1, le=30,
        description=(
            "The weekly alert asks a unit to fix what it lists within this many working days "
            "(请于…前整改)."
        ),
    )


class SmtpConfig(StrictModel):
    host: OneLine = Field(min_length=1, description="SMTP server.")
    port: int = Field(default=25, ge=1, le=65535, description="SMTP port.")
    user: OneLine | None = Field(default=None,
                                 description="SMTP login, if the server wants one.")
    # The name of the environment variable holding the password, never the password.
    password_env: str | None = Field(
        default=None, pattern=r"^[A-Z_][A-Z0-9_]*$",
        description=(
            "The NAME of the environment variable that holds the SMTP password (never the"
            " password itself)."
        ),
    )
    starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    ssl: bool = Field(
        default=False,
        description="Connect with TLS from the start (not together with starttls).",
    )

    @model_validator(mode="after")
    def _one_tls_mode(self) -> SmtpConfig:
        if self.starttls and self.ssl:
            raise ValueError(_("starttls and ssl exclude each other: choose one"))
        return self


class EmailConfig(StrictModel):
    smtp: SmtpConfig = Field(description="The SMTP server that sends the alerts.")
    sender: Mailbox = Field(
        description="The From: of every message, e.g. 政务公开办 <gkb@example.gov.cn>.",
    )
    office: list[Email] = Field(
        default_factory=list,
        description="Addresses that receive the weekly digest.",
    )


CHAT_VENDORS = ("dingtalk", "wecombot")


class ChatConfig(StrictModel):
    """Alerts in chat groups through apprise (the optional `chat` extra)."""

    office: list[ChatUrl] = Field(
        default_factory=list,
        description="Chat groups (apprise URLs) that receive the weekly digest.",
    )
    link_base: HttpUrl | None = Field(
        default=None,
        description=(
            "The dashboard's address as the units reach it (e.g. https://jc.example.gov.cn/); "
            "a chat message ends with a 详见 link there instead of an attachment."
        ),
    )
    max_bytes: int = Field(
        default=2048, ge=256, le=20_000,
        description=(
            "The longest chat message in UTF-8 bytes (企业微信 text: 2048); a longer one is "
            "cut at a character with …"
        ),
    )
    per_minute: int = Field(
        default=20, ge=1, le=600,
        description="Messages per minute to one chat URL at most (钉钉 robots allow 20).",
    )
    endpoints: dict[str, HttpUrl] = Field(
        default_factory=dict,
        description=(
            "Another API address for a vendor (dingtalk, wecombot), for a private "
            "deployment (专有钉钉, 企业微信私有化): its scheme, host and port replace the "
            "vendor's public ones."
        ),
    )

    @field_validator("endpoints")
    @classmethod
    def _known_vendors(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(CHAT_VENDORS))
        if unknown:
            raise ValueError(_("'{vendor}' is not a vendor whose address can be changed "
                               "(one of: {vendors})").format(vendor=unknown[0],
                                                            vendors=", ".join(CHAT_VENDORS)))
        return value


class ListSelectors(StrictModel):
    style: ListStyleField | None = Field(
        default=None,
        description=(
            "Read the list as this style only. When absent, the style is detected on the "
            "column's first page, the styles tried in the order listed."
        ),
    )
    item: str | None = Field(
        default=None, min_length=1, description="CSS selector of one post in the column list.")
    title: str | None = Field(default=None, description="CSS selector of the title inside an item.")
    link: str | None = Field(default=None, description="CSS selector of the link inside an item.")
    date: str | None = Field(default=None, description="CSS selector of the date inside an item.")

    @model_validator(mode="after")
    def _item_or_style(self) -> ListSelectors:
        if self.item is None and (self.title or self.link or self.date):
            raise ValueError(_("title, link and date are looked up inside an item: give item "
                               "too"))
        if self.item is None and self.style is None:
            raise ValueError(_("give item (the CSS selector of one post) or style (one of: "
                               "{styles}), or remove list").format(styles=", ".join(ListStyle)))
        return self


class ColumnConfig(StrictModel):
    name: str = Field(min_length=1, description="The column's name as the portal shows it.")
    url: HttpUrl = Field(description="The column's first list page.")
    category: CategoryField = Field(
        description=(
            "What the column publishes (SPEC §4.1): dynamics counts as 动态信息, every other "
            "category as 信息公开."
        ),
    )
    cycle: CycleField = Field(
        default=Cycle.NONE,
        description="How often the column must be updated.",
    )
    deadline: Deadline | None = Field(
        default=None,
        description='MM-DD: the yearly deadline, for yearly columns (e.g. "01-31").',
    )
    render: RenderField = Field(
        default=Render.STATIC,
        description="static, or browser when the list is drawn by JavaScript.",
    )
    list: ListSelectors | None = Field(
        default=None,
        description=(
            "How the list is read: its style and CSS selectors; detected automatically when "
            "absent."
        ),
    )

    @model_validator(mode="after")
    def _render_fits_style(self) -> ColumnConfig:
        style = self.list.style if self.list else None
        if self.render is Render.BROWSER and style not in (None, ListStyle.SCRIPTED):
            raise ValueError(
                _("render: browser reads the list as the scripted style, not {style}: remove "
                  "one of them").format(style=style))
        return self

    @model_validator(mode="after")
    def _deadline_fits_cycle(self) -> ColumnConfig:
        if self.deadline is not None and self.cycle is not Cycle.YEARLY:
            raise ValueError(
                _("deadline is only for yearly columns (this one is {cycle}): remove it or set "
                  "cycle: yearly").format(cycle=self.cycle.value)
            )
        # The annual report (年度报告) has a legal deadline; without one it is never overdue.
        if self.cycle is Cycle.YEARLY and self.category is Category.REPORT and not self.deadline:
            raise ValueError(
                _("a yearly report column needs a deadline (write e.g. deadline: \"01-31\")")
            )
        return self


class UnitConfig(StrictModel):
    name: str = Field(
        min_length=1,
        description="The unit's name (unique); `monitor check --unit` matches it or an alias.",
    )
    group: str = Field(
        min_length=1,
        description="The unit's group, e.g. 县直单位 or 乡镇; reports group by it.",
    )
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names the unit is known by.",
    )
    annual_target: int | None = Field(
        default=None, ge=0, le=1_000_000,
        description="年度任务数: posts expected in a year; completion % is measured against it.",
    )
    contacts: list[Email] = Field(
        default_factory=list,
        description="Addresses that receive this unit's weekly alert.",
    )
    chat: list[ChatUrl] = Field(
        default_factory=list,
        description=(
            "Chat groups (apprise URLs: dingtalk://, wecombot://, …) that receive this unit's "
            "alerts; tokens as ${NAME} from the environment. Schemes other than dingtalk and "
            "wecombot need the `chat` extra."
        ),
    )
    columns: list[ColumnConfig] = Field(min_length=1, description="The unit's watched columns.")


def _crontab(value: str) -> str:
    """A five-field cron line; days of the week by name, because APScheduler numbers them
    from Monday = 0 while crontab numbers them from Sunday = 0."""
    fields = value.split()
    if len(fields) != 5:
        raise ValueError(
            _("'{value}' is not a cron line of five fields: minute hour day month weekday "
              "(write e.g. \"30 8 * * mon\")").format(value=value)
        )
    if re.search(r"\d", fields[4]):
        raise ValueError(
            _("'{value}': write the weekday by name (mon, tue, … sun), not by number")
            .format(value=value)
        )
    try:
        CronTrigger.from_crontab(value)
    except ValueError as err:
        raise ValueError(_("'{value}' is not a valid cron line: {reason}").format(
            value=value, reason=err)) from None
    return value


CronLine = Annotated[str, AfterValidator(_crontab)]


class JobSchedule(StrictModel):
    """When one scheduled job runs. Neither `cron` nor `every_seconds`: the job's default."""

    enabled: bool = Field(default=True, description="false switches the job off.")
    cron: CronLine | None = Field(
        default=None,
        description=(
            'When the job runs: "MIN HOUR DAY MONTH WEEKDAY", weekday by name (mon … '
            "sun)."
        ),
    )
    every_seconds: float | None = Field(
        default=None, gt=0, le=366 * 24 * 3600,
        description="Or: run the job every this many seconds.",
    )

    @model_validator(mode="after")
    def _one_trigger(self) -> JobSchedule:
        if self.cron is not None and self.every_seconds is not None:
            raise ValueError(_("cron and every_seconds exclude each other: choose one"))
        return self


class ScheduleConfig(StrictModel):
    crawl: JobSchedule = Field(
        default_factory=JobSchedule,
        description='Nightly crawl of every column (default cron "0 2 * * *").',
    )
    link_recheck: JobSchedule = Field(
        default_factory=JobSchedule,
        description='Re-check of links whose re-check is due (default cron "0 4 * * *").',
    )
    probe: JobSchedule = Field(
        default_factory=JobSchedule,
        description="Availability probe of the home and key pages (default every 1800 s).",
    )
    due_soon_reminders: JobSchedule = Field(
        default_factory=JobSchedule,
        description=(
            'E-mail to units whose weekly column is due soon (default cron "0 15 * * '
            'thu").'
        ),
    )
    weekly_alerts: JobSchedule = Field(
        default_factory=JobSchedule,
        description='Weekly staleness alerts and the office digest (default cron "30 8 * * mon").',
    )
    outbox: JobSchedule = Field(
        default_factory=JobSchedule,
        description="Retry of e-mails the SMTP server did not accept (default every 900 s).",
    )
    monthly_report: JobSchedule = Field(
        default_factory=JobSchedule,
        description='月报 of the previous month (default cron "0 7 1 * *").',
    )
    # With a directory of portals, one scheduler serves them all (SPEC §7): spreading their
    # crawls keeps the night's load even; crawls sharing a host still run one at a time.
    crawl_window_minutes: int = Field(
        default=240, ge=0, le=1440,
        description=(
            "With several portals, their crawls start spread over this many minutes after "
            "the crawl job's time (in portal name order)."
        ),
    )
    # A run missed by less than this (the machine was off at 02:00) still happens late.
    misfire_grace_seconds: int = Field(
        default=3600, ge=1, le=7 * 24 * 3600,
        description="A run missed by less than this (the machine was off) still happens late.",
    )
    # A scheduler whose heartbeat is older than this is taken for dead; its lock is taken over.
    lock_stale_seconds: int = Field(
        default=300, ge=5, le=24 * 3600,
        description="A scheduler silent this long is taken for dead and its lock taken over.",
    )
    report_dir: str = Field(
        default="var/reports", min_length=1,
        description="Where the monthly report job writes.",
    )


class ProbeConfig(StrictModel):
    # Probed besides the site's home page.
    key_pages: list[HttpUrl] = Field(
        default_factory=list,
        description="Pages probed besides the home page.",
    )
    # The national rule: a page that does not open within 15 seconds counts as unreachable.
    timeout_seconds: float = Field(
        default=15, gt=0, le=300,
        description=(
            "A page not loaded within this counts as a failure (the national 15-second "
            "rule)."
        ),
    )
    window_days: int = Field(
        default=7, ge=1, le=90,
        description="Availability is judged over this many days, today included.",
    )
    min_probes_per_day: int = Field(
        default=20, ge=1, le=1440,
        description="A window is judged only when every day has this many probes.",
    )
    fail_ratio: float = Field(
        default=0.05, gt=0, le=1,
        description="Failures at or above this share of the window raise site_unreachable.",
    )


class ReportConfig(StrictModel):
    """How the 月报 and the quarterly table present themselves (SPEC §6)."""

    title: str = Field(
        default=N_("政务公开工作月报"), min_length=1,
        description="The title of the monthly report (left unset: the default in MONITOR_LANG's"
                    " language).",
    )
    issuer: str = Field(
        default="政务公开办", min_length=1,
        description="Who issues the reports, e.g. 县政务公开办.",
    )
    issue_no: str = Field(
        default=N_("{year}年第{month}期"), min_length=1,
        description="The issue number of the monthly report; {year} and {month} are filled in"
                    " (left unset: the default in MONITOR_LANG's language).",
    )
    templates_dir: str | None = Field(
        default=None,
        description=(
            "A directory of the office's own report text templates (编者按, 工作要求); a file"
            " there replaces the shipped one of the same name (monitor/defaults/templates/)."
            " A relative path"
            " is read from the config file's directory."
        ),
    )

    @model_validator(mode="after")
    def _issue_no_formats(self) -> ReportConfig:
        # Caught here, at load time, rather than on the 1st of the month in the scheduler.
        # Only the bare names: `{year.__class__}` or `{month[0]}` would reach into Python.
        try:
            fields = [name for _text, name, _spec, _conversion in Formatter().parse(self.issue_no)
                      if name is not None]
            if any(name not in ("year", "month") for name in fields):
                raise KeyError(next(name for name in fields if name not in ("year", "month")))
            self.issue_no.format(year=2024, month=4)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(
                _("issue_no '{value}' may use only {{year}} and {{month}} ({error}); write e.g. "
                  "\"{{year}}年第{{month}}期\"").format(
                      value=self.issue_no, error=f"{type(error).__name__}: {error}")
            ) from None
        return self

    def issue_number(self, year: int, month: int) -> str:
        return self.issue_no.format(year=year, month=month)


class EvidenceConfig(StrictModel):
    """Screenshots and the page as fetched, kept for every accusing problem (截图取证)."""

    enabled: bool = Field(
        default=True,
        description=(
            "Capture evidence after each `monitor crawl` for the problems opened without "
            "it (needs a Chromium, see crawl.browser, and the Noto CJK fonts)."
        ),
    )
    directory: str = Field(
        default="var/evidence", min_length=1,
        description="Where evidence is kept, one content-addressed folder per capture.",
    )
    concurrency: int = Field(
        default=2, ge=1, le=16,
        description="Pages captured at the same time (one browser tab each).",
    )
    page_timeout_seconds: float = Field(
        default=20, gt=0, le=300,
        description="Time limit of one capture; a page slower than this gets 无截图.",
    )
    viewport_width: int = Field(
        default=1280, ge=320, le=3840,
        description="Width of the browser window, in CSS pixels.",
    )
    viewport_height: int = Field(
        default=800, ge=240, le=2160,
        description="Height of the viewport screenshot, in CSS pixels.",
    )
    full_page_max_height: int = Field(
        default=8000, ge=500, le=30000,
        description="The full-page JPEG is cut (marked 截断) below this height, in pixels.",
    )
    jpeg_quality: int = Field(
        default=75, ge=20, le=100,
        description="JPEG quality of the full-page screenshot.",
    )
    keep_days: int = Field(
        default=730, ge=1, le=36500,
        description=(
            "Evidence of fixed or ignored problems older than this is deleted; evidence of "
            "an open problem is never deleted."
        ),
    )
    max_total_mb: int = Field(
        default=2048, ge=1, le=10_000_000,
        description=(
            "Above this total, the oldest evidence of fixed or ignored problems is deleted "
            "first; evidence of an open problem is never deleted."
        ),
    )


def _proxy(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(
            _("'{value}' is not an IP address or network (write e.g. 127.0.0.1 or "
              "10.0.0.0/24)").format(value=value)
        ) from None
    return value


ProxyAddress = Annotated[str, AfterValidator(_proxy)]


class WebConfig(StrictModel):
    """The dashboard of `monitor serve` (SPEC §8)."""

    trusted_proxies: list[ProxyAddress] = Field(
        default_factory=list,
        description=(
            "Reverse proxies (addresses or networks) whose X-Forwarded-For and "
            "X-Forwarded-Proto are believed; from anyone else these headers are ignored."
        ),
    )
    session_minutes: int = Field(
        default=480, ge=5, le=10_080,
        description="A login lasts this long; then the user logs in again.",
    )
    session_secret_env: str | None = Field(
        default=None, min_length=1,
        description=(
            "The environment variable holding the key that signs session cookies; without "
            "it a random key is made at each start (everyone logs in again after a restart)."
        ),
    )
    secure_cookies: bool = Field(
        default=False,
        description="Send the session cookie over HTTPS only (set it when served behind HTTPS).",
    )
    login_failures: int = Field(
        default=5, ge=1, le=100,
        description="Failed logins (per user name, and per client address) before a lockout.",
    )
    lockout_minutes: int = Field(
        default=15, ge=1, le=1440,
        description="How long logins stay refused after too many failures.",
    )


class PortalConfig(StrictModel):
    site: SiteConfig = Field(description="The portal.")
    crawl: CrawlConfig = Field(
        default_factory=CrawlConfig,
        description="How the crawler reads the portal.",
    )
    calendar: CalendarConfig = Field(
        default_factory=CalendarConfig,
        description="Additions to the official PRC calendar.",
    )
    rules: RulesConfig = Field(
        default_factory=RulesConfig,
        description="Thresholds of the update rules.",
    )
    email: EmailConfig | None = Field(
        default=None,
        description="The mail server and addresses; needed for `monitor alerts`.",
    )
    chat: ChatConfig = Field(
        default_factory=ChatConfig,
        description="Alerts in chat groups (钉钉, 企业微信 …) beside or instead of e-mail.",
    )
    schedule: ScheduleConfig = Field(
        default_factory=ScheduleConfig,
        description="Jobs of `monitor schedule` (times in Asia/Shanghai).",
    )
    probe: ProbeConfig = Field(
        default_factory=ProbeConfig,
        description="The availability probe (national 15-second rule).",
    )
    report: ReportConfig = Field(
        default_factory=ReportConfig,
        description="Title, issuer and texts of the monthly and quarterly reports.",
    )
    evidence: EvidenceConfig = Field(
        default_factory=EvidenceConfig,
        description="Screenshots kept as evidence of each accusing problem (截图取证).",
    )
    web: WebConfig = Field(
        default_factory=WebConfig,
        description="The dashboard of `monitor serve`.",
    )
    units: list[UnitConfig] = Field(
        min_length=1,
        description="Every unit whose columns are watched.",
    )

    def chat_urls(self) -> list[str]:
        """Every chat URL of the config (the office's, then the units'), once each."""
        found = [*self.chat.office, *(url for unit in self.units for url in unit.chat)]
        return list(dict.fromkeys(found))

    def unit_names(self) -> list[str]:
        return [unit.name for unit in self.units]

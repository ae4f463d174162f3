"""What a week's alerts say: per unit, what to fix first, the columns behind, the weeks
missed, the dead links; for the office, also what the monitor itself could not read.

Plain frozen values, read from the database by `monitor.alerts.gather` and turned into
messages by `monitor.alerts.compose`, so the wording can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from monitor.domain import ColumnStatus, Cycle, ProblemType, RunStatus
from monitor.i18n import N_, _
from monitor.problem_types import kind_of, target_is_address
from reports.model import NationalLine, NationalSection


class Lateness(StrEnum):
    """How a column behind stands, which is what the unit has to do about it. The values
    are the Chinese words, marked for the catalogues: `ColumnLag.lateness_label` reads them
    in the active language."""

    NEVER_POSTED = N_("从未发布")  # the column has nothing: publish
    MISSING = N_("逾期未发布")  # the deadline passed and nothing came since: publish now
    POSTED_LATE = N_("逾期发布（已补发）")  # posted after the deadline: late, but done


@dataclass(frozen=True)
class ColumnLag:
    """A column that is overdue, empty, due soon or unreachable, with the dates the unit
    acts on."""

    column: str
    url: str
    cycle: Cycle
    status: ColumnStatus
    last_post: date | None
    due: date | None

    @property
    def lateness(self) -> Lateness:
        if self.last_post is None:
            return Lateness.NEVER_POSTED
        if self.due is not None and self.last_post > self.due:
            return Lateness.POSTED_LATE
        return Lateness.MISSING

    @property
    def lateness_label(self) -> str:
        return _(self.lateness.value)


@dataclass(frozen=True)
class PageProblem:
    """A problem on one page (a dead link, a privacy leak, a hidden link), with the article
    the page shows, so the unit finds it without opening every page."""

    type: ProblemType
    page: str
    target: str
    detail: str
    first_seen: date
    title: str | None = None
    posted_on: date | None = None

    @property
    def label(self) -> str:
        return _(kind_of(self.type).alert_label)

    @property
    def target_label(self) -> str:
        """What the target is called: 链接 for an address, 号码 for a masked number, 表述
        for a wrong phrase."""
        if target_is_address(self.type):
            return _("链接")
        if self.type is ProblemType.PRIVACY_LEAK:
            return _("号码")
        return _("表述")


@dataclass(frozen=True)
class UnitFacts:
    unit_id: int
    name: str
    group: str
    contacts: tuple[str, ...]
    overdue: tuple[ColumnLag, ...]
    due_soon: tuple[ColumnLag, ...]
    # Mondays of the counted weeks without the required posts (SPEC §4.3).
    missed_this_month: tuple[date, ...]
    missed_this_quarter: tuple[date, ...]
    dead_targets: tuple[PageProblem, ...]
    # Columns the last crawl could not read: shown to the office, never held against the unit.
    unreachable: tuple[ColumnLag, ...] = ()
    # Privacy leaks and hidden links: the first thing a unit must fix.
    urgent: tuple[PageProblem, ...] = ()
    # The unit's chat groups (URLs as the config writes them): its alert goes there too.
    chat: tuple[str, ...] = ()

    def overdue_as(self, lateness: str) -> tuple[ColumnLag, ...]:
        return tuple(lag for lag in self.overdue if lag.lateness == lateness)

    @property
    def never_posted(self) -> tuple[ColumnLag, ...]:
        return self.overdue_as(Lateness.NEVER_POSTED)

    @property
    def missing(self) -> tuple[ColumnLag, ...]:
        return self.overdue_as(Lateness.MISSING)

    @property
    def posted_late(self) -> tuple[ColumnLag, ...]:
        return self.overdue_as(Lateness.POSTED_LATE)

    @property
    def still_behind(self) -> tuple[ColumnLag, ...]:
        """Overdue columns that still need a post (posted late ones are done)."""
        return self.never_posted + self.missing

    @property
    def behind(self) -> bool:
        """Something to tell the unit this week. Weeks missed earlier in the quarter alone
        are not: a unit that has caught up is not reminded of them every Monday."""
        return bool(self.urgent or self.overdue or self.due_soon or self.missed_this_month
                    or self.dead_targets)

    @property
    def severity(self) -> tuple[int, ...]:
        """Larger is worse; the digest lists units in this order."""
        return (len(self.urgent), len(self.still_behind), len(self.missed_this_month),
                len(self.missed_this_quarter), len(self.dead_targets), len(self.posted_late),
                len(self.due_soon))


@dataclass(frozen=True)
class CrawlState:
    """How the latest crawl went, for the office."""

    started_on: date
    status: RunStatus
    columns_ok: int
    columns_failed: int
    error: str | None

    @property
    def failed(self) -> bool:
        return self.columns_failed > 0 or self.status not in (RunStatus.FINISHED, RunStatus.RUNNING)


@dataclass(frozen=True)
class MailNotDelivered:
    """An alert of the past week a recipient did not get for sure: refused for good by the
    SMTP server, or uncertain (no reply after it was sent; not sent again)."""

    recipient: str
    kind: str
    week: date
    refused: bool
    reply: str
    # Posted to a chat group (the recipient is its URL as written in the config).
    chat: bool = False


@dataclass(frozen=True)
class WeekFacts:
    site_name: str
    as_of: date
    units: tuple[UnitFacts, ...]
    # The day by which the units are asked to fix what the alert lists (请于…前整改).
    rectify_by: date | None = None
    site_wide: tuple[PageProblem, ...] = ()
    last_crawl: CrawlState | None = None
    undelivered: tuple[MailNotDelivered, ...] = ()
    # The portal against the national indicators, as `monitor national` gives it that day.
    national: NationalSection | None = None

    @property
    def week(self) -> date:
        """The Monday of the as-of week: the week an alert is sent in (its dedupe key)."""
        return self.as_of - timedelta(days=self.as_of.weekday())

    @property
    def reviewed_week(self) -> date:
        """The Monday of the last week that has ended (SPEC §4.3): the week an alert
        reports on, and names in its subject."""
        return self.week - timedelta(days=7)

    @property
    def units_behind(self) -> tuple[UnitFacts, ...]:
        behind = [unit for unit in self.units if unit.behind]
        return tuple(sorted(behind, key=lambda unit: (_negated(unit.severity), unit.name)))

    @property
    def national_lines(self) -> tuple[NationalLine, ...]:
        """The national items the office must act on first: vetoes, then early warnings,
        then the rest, each group in the indicators' own order."""
        if self.national is None:
            return ()
        return tuple(sorted(self.national.lines,
                            key=lambda line: (not line.veto, not line.warned)))

    @property
    def national_alarm(self) -> bool:
        """A national item vetoes or has crossed its early-warning level."""
        return any(line.veto or line.warned for line in self.national_lines)

    @property
    def unreachable(self) -> tuple[tuple[str, ColumnLag], ...]:
        """(unit, column) of every column the last crawl could not read."""
        return tuple((unit.name, lag) for unit in self.units for lag in unit.unreachable)


def _negated(values: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-value for value in values)

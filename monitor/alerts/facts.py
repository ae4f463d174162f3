"""What a week's alerts say: per unit, the columns behind, the weeks missed, the dead links.

Plain frozen values, read from the database by `monitor.alerts.gather` and turned into
messages by `monitor.alerts.compose`, so the wording can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from monitor.domain import ColumnStatus, Cycle, ProblemType


@dataclass(frozen=True)
class ColumnLag:
    """A column that is overdue, empty or due soon, with the dates the unit acts on."""

    column: str
    url: str
    cycle: Cycle
    status: ColumnStatus
    last_post: date | None
    due: date | None


@dataclass(frozen=True)
class DeadTarget:
    """A broken link, dead image or broken attachment, with the page that carries it."""

    type: ProblemType
    page: str
    target: str
    detail: str
    first_seen: date


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
    dead_targets: tuple[DeadTarget, ...]
    # Columns the last crawl could not read: shown to the office, never held against the unit.
    unreachable: tuple[ColumnLag, ...] = ()

    @property
    def behind(self) -> bool:
        """Something to tell the unit this week. Weeks missed earlier in the quarter alone
        are not: a unit that has caught up is not reminded of them every Monday."""
        return bool(self.overdue or self.due_soon or self.missed_this_month
                    or self.dead_targets)

    @property
    def severity(self) -> tuple[int, int, int, int, int]:
        """Larger is worse; the digest lists units in this order."""
        return (len(self.overdue), len(self.missed_this_month), len(self.missed_this_quarter),
                len(self.dead_targets), len(self.due_soon))


@dataclass(frozen=True)
class MailNotDelivered:
    """An alert of the past week a recipient did not get for sure: refused for good by the
    SMTP server, or uncertain (no reply after it was sent; not sent again)."""

    recipient: str
    kind: str
    week: date
    refused: bool
    reply: str


@dataclass(frozen=True)
class WeekFacts:
    site_name: str
    as_of: date
    units: tuple[UnitFacts, ...]
    undelivered: tuple[MailNotDelivered, ...] = ()

    @property
    def week(self) -> date:
        """The Monday of the as-of week: the week an alert belongs to."""
        return self.as_of - timedelta(days=self.as_of.weekday())

    @property
    def units_behind(self) -> tuple[UnitFacts, ...]:
        behind = [unit for unit in self.units if unit.behind]
        return tuple(sorted(behind, key=lambda unit: (_negated(unit.severity), unit.name)))


def _negated(values: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-value for value in values)

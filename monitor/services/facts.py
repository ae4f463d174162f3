"""The rules' plain inputs, loaded from storage, and a column's judgement at an as-of day.

Fairness (SPEC §4.4): a column is judged on its posts only when its latest crawl read it.
- last crawl failed (unreachable or blocked): status `unreachable`; its last known posts
  still count in figures, but it is never called overdue, due soon, empty or stale;
- never crawled at all: also `unreachable`, with the reason 尚未抓取: nothing is
  known of it, so nothing is said about it, and it is not an `unreachable_column` problem
  either (no crawl failed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from monitor.calendar import WorkCalendar, local_date
from monitor.config import PortalConfig
from monitor.domain import ColumnStatus
from monitor.errors import DatabaseError
from monitor.i18n import _
from monitor.problem_details import unreachable_text
from monitor.rules.status import ColumnState, column_state
from monitor.rules.weekly import seen_until
from storage.queries import (
    ColumnPosts,
    ColumnRow,
    LastCrawl,
    active_columns,
    column_posts,
    last_reads,
    latest_crawls,
    read_by_latest,
    site_id_of,
)
from storage.sync import sync_config


@dataclass(frozen=True)
class ColumnFacts:
    column: ColumnRow
    posts: ColumnPosts
    last_crawl: LastCrawl | None
    last_read: datetime | None  # the latest crawl that read it (the latest attempt may not)

    @property
    def judged(self) -> bool:
        """Whether the latest crawl read the column, so its posts are known to be current."""
        return read_by_latest(self.last_crawl)

    @property
    def unreachable_facts(self) -> dict[str, object] | None:
        """Why the column could not be read, as facts (monitor/problem_details.py)."""
        if self.last_crawl is None:
            return {"never_crawled": True}
        if self.last_crawl.failed:
            return {"outcome": self.last_crawl.outcome.value, "reason": self.last_crawl.reason}
        return None

    @property
    def unreachable_reason(self) -> str | None:
        facts = self.unreachable_facts
        return None if facts is None else unreachable_text(facts)

    def seen_until(self, as_of: date) -> date | None:
        """Up to which day the column's posts are known (`monitor.rules.weekly.seen_until`)."""
        last_read = None if self.last_read is None else local_date(self.last_read)
        return seen_until(as_of, self.judged, last_read)

    def dates_up_to(self, as_of: date) -> list[date]:
        return [day for day in self.posts.dates if day <= as_of]


@dataclass(frozen=True)
class ColumnJudgement:
    facts: ColumnFacts
    state: ColumnState

    @property
    def status(self) -> ColumnStatus:
        return self.state.status

    @property
    def stale(self) -> bool:
        # Staleness read from posts the crawler could not refresh would accuse on old facts.
        return self.state.stale and self.facts.judged


def portal_site_id(session: Session, config: PortalConfig) -> int:
    """The portal's site row, with units and columns brought in line with the config.

    Only for the entry points that change things (crawl, check, alerts): reading a report or
    the figures must not rewrite the units and columns behind them."""
    return sync_config(session, config).site_id


def recorded_site_id(session: Session, config: PortalConfig) -> int:
    """The portal's site row as last recorded, for read paths; never writes."""
    site_id = site_id_of(session, config.site.url)
    if site_id is None:
        raise DatabaseError(_("{name} is not recorded in the database yet: run `monitor "
                              "crawl` first").format(name=config.site.name))
    return site_id


def column_facts(
    session: Session, site_id: int, unit_ids: Sequence[int] | None = None
) -> list[ColumnFacts]:
    """Facts of every active column (of the given units), in unit then column order."""
    columns = active_columns(session, site_id, unit_ids)
    ids = [column.id for column in columns]
    posts = column_posts(session, ids)
    crawls = latest_crawls(session, ids)
    reads = last_reads(session, ids)
    return [ColumnFacts(column, posts[column.id], crawls.get(column.id), reads.get(column.id))
            for column in columns]


def judge_column(
    facts: ColumnFacts, as_of: date, calendar: WorkCalendar, due_soon_workdays: int
) -> ColumnJudgement:
    column = facts.column
    state = column_state(
        column.cycle,
        column.category,
        column.deadline,
        facts.posts.dates,
        as_of,
        calendar,
        due_soon_workdays,
        last_crawl_failed=not facts.judged,
        # Undated posts show the column is not empty, though they count as no update.
        has_any_post=facts.posts.undated > 0,
    )
    return ColumnJudgement(facts, state)

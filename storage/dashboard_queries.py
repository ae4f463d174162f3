"""Read queries the dashboard needs beyond the judgement services (SPEC §8).

The judgements themselves (column status, weekly rule, figures, problems) come from the
services `monitor check`, `monitor stats` and the reports use; what is here only shows
facts beside them: the post a column's last date belongs to, the crawl runs and their
failures, a problem's history, and a fingerprint of the data for the page cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.domain import CrawlOutcome, ProblemState, RunStatus
from monitor.problem_details import note_text
from storage.models import Column, ColumnCrawl, CrawlRun, Post, Problem, ProblemEvent, Unit


@dataclass(frozen=True)
class LatestPost:
    column_url: str
    title: str
    url: str
    date: date


def latest_posts(session: Session, site_id: int, column_urls: Sequence[str]
                 ) -> dict[str, LatestPost]:
    """Each column's (by URL) live dated post with the latest date; the one recorded last
    on a tie."""
    if not column_urls:
        return {}
    ranked = (
        select(Column.url.label("column_url"), Post.title, Post.url, Post.date,
               func.row_number().over(partition_by=Post.column_id,
                                      order_by=(Post.date.desc(), Post.id.desc())).label("n"))
        .join(Column, Column.id == Post.column_id)
        .where(Column.site_id == site_id, Column.url.in_(column_urls),
               Post.removed_at.is_(None), Post.date.is_not(None))
        .subquery()
    )
    query = select(ranked.c.column_url, ranked.c.title, ranked.c.url, ranked.c.date).where(
        ranked.c.n == 1)
    return {row[0]: LatestPost(*row) for row in session.execute(query)}


@dataclass(frozen=True)
class RunRow:
    id: int
    started_at: datetime
    finished_at: datetime | None
    trigger: str
    units: list[str]
    status: RunStatus
    requests: int
    pages: int
    posts_new: int
    columns_ok: int
    columns_failed: int
    error: str | None


def recent_runs(session: Session, site_id: int, limit: int) -> list[RunRow]:
    query = (
        select(CrawlRun.id, CrawlRun.started_at, CrawlRun.finished_at, CrawlRun.trigger,
               CrawlRun.units, CrawlRun.status, CrawlRun.requests, CrawlRun.pages,
               CrawlRun.posts_new, CrawlRun.columns_ok, CrawlRun.columns_failed, CrawlRun.error)
        .where(CrawlRun.site_id == site_id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    return [RunRow(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class ColumnFailure:
    run_id: int
    unit: str
    column: str
    url: str
    outcome: CrawlOutcome
    reason: str | None


def column_failures(session: Session, run_ids: Sequence[int]) -> list[ColumnFailure]:
    """The columns each run could not read (unreachable or blocked)."""
    if not run_ids:
        return []
    query = (
        select(ColumnCrawl.run_id, Unit.name, Column.name, Column.url, ColumnCrawl.outcome,
               ColumnCrawl.reason)
        .join(Column, Column.id == ColumnCrawl.column_id)
        .join(Unit, Unit.id == Column.unit_id)
        .where(ColumnCrawl.run_id.in_(run_ids), ColumnCrawl.outcome != CrawlOutcome.OK)
        .order_by(ColumnCrawl.run_id.desc(), Unit.id, Column.id)
    )
    return [ColumnFailure(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class EventRow:
    problem_id: int
    at: datetime
    state: ProblemState
    note: str | None
    actor: str | None


def problem_events(session: Session, problem_ids: Sequence[int]) -> list[EventRow]:
    if not problem_ids:
        return []
    query = (
        select(ProblemEvent.problem_id, ProblemEvent.at, ProblemEvent.state, ProblemEvent.note,
               ProblemEvent.actor)
        .where(ProblemEvent.problem_id.in_(problem_ids))
        .order_by(ProblemEvent.problem_id, ProblemEvent.id)
    )
    # The monitor's own notes are worded when read, in the active language.
    return [EventRow(problem_id, at, state, note_text(note) or None, actor)
            for problem_id, at, state, note, actor in session.execute(query)]


@dataclass(frozen=True)
class ProblemOwner:
    """Whose a problem is: its unit's name, or None for a problem of the whole site."""

    problem_id: int
    unit: str | None


def problem_owner(session: Session, site_id: int, problem_id: int) -> ProblemOwner | None:
    """None when the portal has no problem with this id."""
    row = session.execute(
        select(Problem.id, Unit.name).outerjoin(Unit, Unit.id == Problem.unit_id)
        .where(Problem.id == problem_id, Problem.site_id == site_id)).first()
    return None if row is None else ProblemOwner(row[0], row[1])


def data_version(session: Session) -> tuple[object, ...]:
    """Changes whenever what the pages show can change: a crawl run starts or ends, a
    problem changes state, or a refresh moves a problem's last sighting or detail.

    Over every portal of the database: another portal's crawl only costs a page its cache.
    """
    runs = session.execute(select(func.max(CrawlRun.id), func.max(CrawlRun.finished_at))).one()
    events = session.scalar(select(func.max(ProblemEvent.id)))
    seen = session.scalar(select(func.max(Problem.last_seen)))
    return (*runs, events, seen)

"""Read queries for the judgements the office publishes: plain typed rows, no ORM objects.

Fairness rules applied here, once, so that every service counts alike:
- only active units and columns of the portal are judged;
- a withdrawn post (`removed_at` set) no longer counts anywhere;
- undated posts are returned apart from dated ones: they never count as updates (SPEC §4.2).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from monitor.domain import (
    Category,
    CrawlOutcome,
    Cycle,
    DateSource,
    LinkKind,
    LinkStatus,
    ProblemState,
    ProblemType,
    RunStatus,
)
from monitor.problem_details import decode, detail_text
from storage.models import (
    Column,
    ColumnCrawl,
    CrawlRun,
    LinkRef,
    LinkTarget,
    Page,
    Post,
    Problem,
    Site,
    Unit,
)


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    group: str
    annual_target: int | None


@dataclass(frozen=True)
class ColumnRow:
    id: int
    unit_id: int
    unit: str
    name: str
    url: str
    category: Category
    cycle: Cycle
    deadline: str | None


@dataclass(frozen=True)
class LastCrawl:
    """The outcome of the most recent crawl that tried to read a column."""

    column_id: int
    outcome: CrawlOutcome
    reason: str | None
    finished_at: datetime

    @property
    def failed(self) -> bool:
        return self.outcome is not CrawlOutcome.OK


def read_by_latest(crawl: LastCrawl | None) -> bool:
    """Whether a column's latest crawl (`crawl`, None: never crawled) read it, so its posts
    are known to be current (SPEC §4.4): the fact the column is judged on."""
    return crawl is not None and not crawl.failed


@dataclass(frozen=True)
class ColumnPosts:
    """A column's live posts: the dates of dated ones and how many are undated."""

    dates: tuple[date, ...]
    undated: int


@dataclass(frozen=True)
class RecordedPost:
    """A live post as the back-dating and undated-post rules read it."""

    id: int
    column_id: int
    url: str
    title: str
    date: date | None
    first_seen: datetime
    seen_on_first_crawl: bool
    article_fetched: bool


@dataclass(frozen=True)
class DatedPostCount:
    """How many live posts one column has on one date (the stats' input, aggregated in SQL)."""

    column_id: int
    date: date
    posts: int


def site_id_of(session: Session, site_url: str) -> int | None:
    return session.scalar(select(Site.id).where(Site.url == site_url))


def active_units(session: Session, site_id: int) -> list[UnitRow]:
    query = (
        select(Unit.id, Unit.name, Unit.group_name, Unit.annual_target)
        .where(Unit.site_id == site_id, Unit.active.is_(True))
        .order_by(Unit.id)
    )
    return [UnitRow(*row) for row in session.execute(query)]


def unit_id_by_name(session: Session, site_id: int, name: str) -> int | None:
    return session.scalar(select(Unit.id).where(Unit.site_id == site_id, Unit.name == name))


def active_columns(
    session: Session, site_id: int, unit_ids: Sequence[int] | None = None
) -> list[ColumnRow]:
    query = (
        select(Column.id, Column.unit_id, Unit.name, Column.name, Column.url, Column.category,
               Column.cycle, Column.deadline)
        .join(Unit, Unit.id == Column.unit_id)
        .where(Column.site_id == site_id, Column.active.is_(True), Unit.active.is_(True))
        .order_by(Unit.id, Column.id)
    )
    if unit_ids is not None:
        query = query.where(Column.unit_id.in_(unit_ids))
    return [
        ColumnRow(id_, unit_id, unit, name, url, category, cycle, deadline)
        for id_, unit_id, unit, name, url, category, cycle, deadline in session.execute(query)
    ]


def latest_crawls(session: Session, column_ids: Sequence[int]) -> dict[int, LastCrawl]:
    """The latest ColumnCrawl of each column; a column never crawled has no entry."""
    if not column_ids:
        return {}
    newest = (
        select(ColumnCrawl.column_id, func.max(ColumnCrawl.id).label("id"))
        .where(ColumnCrawl.column_id.in_(column_ids))
        .group_by(ColumnCrawl.column_id)
        .subquery()
    )
    # Runs finish in id order, so the highest id is the latest attempt.
    query = select(
        ColumnCrawl.column_id, ColumnCrawl.outcome, ColumnCrawl.reason, ColumnCrawl.finished_at
    ).join(newest, and_(newest.c.id == ColumnCrawl.id))
    return {
        column_id: LastCrawl(column_id, outcome, reason, finished_at)
        for column_id, outcome, reason, finished_at in session.execute(query)
    }


def _live_posts_of(column_ids: Sequence[int]) -> Select[tuple[int, date | None]]:
    return select(Post.column_id, Post.date).where(
        Post.column_id.in_(column_ids), Post.removed_at.is_(None)
    )


def column_posts(session: Session, column_ids: Sequence[int]) -> dict[int, ColumnPosts]:
    """Every listed column's live posts; a column without any gets an empty entry."""
    dates: defaultdict[int, list[date]] = defaultdict(list)
    undated: defaultdict[int, int] = defaultdict(int)
    if column_ids:
        for column_id, day in session.execute(_live_posts_of(column_ids)):
            if day is None:
                undated[column_id] += 1
            else:
                dates[column_id].append(day)
    return {
        column_id: ColumnPosts(tuple(sorted(dates[column_id])), undated[column_id])
        for column_id in column_ids
    }


def last_reads(session: Session, column_ids: Sequence[int]) -> dict[int, datetime]:
    """When each column was last read by a crawl (outcome ok); a column never read has no
    entry."""
    if not column_ids:
        return {}
    query = (
        select(ColumnCrawl.column_id, func.max(ColumnCrawl.finished_at))
        .where(ColumnCrawl.column_id.in_(column_ids),
               ColumnCrawl.outcome == CrawlOutcome.OK)
        .group_by(ColumnCrawl.column_id)
    )
    return {column_id: finished for column_id, finished in session.execute(query)}


def recorded_posts(session: Session, column_ids: Sequence[int]) -> list[RecordedPost]:
    """Live posts of the columns with what the back-dating and undated rules need."""
    if not column_ids:
        return []
    query = (
        select(Post.id, Post.column_id, Post.url, Post.title, Post.date, Post.first_seen,
               Post.seen_on_first_crawl, Post.article_fetched_at.is_not(None))
        .where(Post.column_id.in_(column_ids), Post.removed_at.is_(None))
        .order_by(Post.id)
    )
    return [
        RecordedPost(id_, column_id, url, title, day, first_seen, bool(first), bool(fetched))
        for id_, column_id, url, title, day, first_seen, first, fetched in session.execute(query)
    ]


def dated_post_counts(
    session: Session, column_ids: Sequence[int], first: date | None, last: date | None
) -> list[DatedPostCount]:
    """Live posts per column and date from `first` to `last`, counted by the database.

    Counted as all posts minus withdrawn ones: the (column, date) index then answers the
    count alone, while filtering on `removed_at` in the same query would read every row.
    Withdrawn posts are few; they are listed by a plain scan and taken off here.
    """
    if not column_ids:
        return []
    wanted = set(column_ids)
    all_posts = (
        select(Post.column_id, Post.date, func.count())
        .where(Post.column_id.in_(column_ids), Post.date.is_not(None))
        .group_by(Post.column_id, Post.date)
    )
    withdrawn = select(Post.column_id, Post.date).where(Post.removed_at.is_not(None))
    if first is not None:
        all_posts = all_posts.where(Post.date >= first)
    if last is not None:
        all_posts = all_posts.where(Post.date <= last)
    # Through the connection: plain tuples; the ORM's row machinery would cost more than
    # the query itself on a year of a county's posts.
    connection = session.connection()
    counts = {(column_id, day): count for column_id, day, count in connection.execute(all_posts)}
    for column_id, day in connection.execute(withdrawn):
        if column_id in wanted and (column_id, day) in counts:
            counts[(column_id, day)] -= 1
    return [
        DatedPostCount(column_id, day, count)
        for (column_id, day), count in counts.items()
        if count > 0
    ]


@dataclass(frozen=True)
class ProblemRow:
    id: int
    type: ProblemType
    unit: str | None
    column: str | None
    url: str | None
    target: str | None
    # The detail as a person reads it, worded when the row is read (in the active language).
    detail: str
    state: ProblemState
    first_seen: datetime
    last_seen: datetime
    recurring: bool
    reopen_count: int
    ignored_reason: str | None
    # The facts behind the detail, for programs; None for a detail stored as a sentence.
    facts: dict[str, Any] | None = None


@dataclass(frozen=True)
class ProblemFilter:
    """Which problems to list; None means any. `seen_from`/`seen_to` are UTC instants: a
    problem matches when it was seen at some time in [seen_from, seen_to)."""

    unit_id: int | None = None
    type: ProblemType | None = None
    states: tuple[ProblemState, ...] | None = None
    seen_from: datetime | None = None
    seen_to: datetime | None = None


def problems(session: Session, site_id: int, wanted: ProblemFilter) -> list[ProblemRow]:
    """The portal's problems that `wanted` selects, oldest first."""
    query = (
        select(Problem.id, Problem.type, Unit.name, Column.name, Problem.url, Problem.target,
               Problem.detail, Problem.state, Problem.first_seen, Problem.last_seen,
               Problem.recurring, Problem.reopen_count, Problem.ignored_reason)
        .outerjoin(Unit, Unit.id == Problem.unit_id)
        .outerjoin(Column, Column.id == Problem.column_id)
        .where(Problem.site_id == site_id)
        .order_by(Problem.first_seen, Problem.id)
    )
    if wanted.unit_id is not None:
        query = query.where(Problem.unit_id == wanted.unit_id)
    if wanted.type is not None:
        query = query.where(Problem.type == wanted.type)
    if wanted.states is not None:
        query = query.where(Problem.state.in_(wanted.states))
    if wanted.seen_from is not None:
        query = query.where(Problem.last_seen >= wanted.seen_from)
    if wanted.seen_to is not None:
        query = query.where(Problem.first_seen < wanted.seen_to)
    return [
        ProblemRow(id_, type_, unit, column, url, target,
                   detail_text(type_, detail), state, first_seen, last_seen,
                   bool(recurring), reopen_count or 0, ignored_reason, decode(detail))
        for (id_, type_, unit, column, url, target, detail, state, first_seen, last_seen,
             recurring, reopen_count, ignored_reason) in session.execute(query)
    ]


@dataclass(frozen=True)
class PostExportRow:
    unit: str
    column: str
    url: str
    title: str
    date: date | None
    date_source: DateSource | None
    first_seen: datetime


@dataclass(frozen=True)
class LinkSourceRow:
    """One page carrying one target: the export folds these into one row per target."""

    target_id: int
    url: str
    kind: LinkKind
    internal: bool
    status: LinkStatus
    reason: str | None
    http_status: int | None
    hidden: bool
    page_url: str


def posts_for_export(
    session: Session, site_id: int, unit_id: int | None, first: date | None, last: date | None
) -> list[PostExportRow]:
    """Live posts of active columns; with a period, only posts dated within it."""
    query = (
        select(Unit.name, Column.name, Post.url, Post.title, Post.date, Post.date_source,
               Post.first_seen)
        .join(Column, Column.id == Post.column_id)
        .join(Unit, Unit.id == Column.unit_id)
        .where(Column.site_id == site_id, Column.active.is_(True), Unit.active.is_(True),
               Post.removed_at.is_(None))
        .order_by(Unit.id, Column.id, Post.date, Post.id)
    )
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    if first is not None:
        query = query.where(Post.date >= first)
    if last is not None:
        query = query.where(Post.date <= last)
    return [PostExportRow(*row) for row in session.execute(query)]


def link_sources(
    session: Session, site_id: int, unit_id: int | None, first: date | None, last: date | None
) -> list[LinkSourceRow]:
    """Every (target, page) pair of the portal; a unit or a period keeps pages of that
    unit's posts or of posts dated in the period (a home page belongs to no unit and no
    period)."""
    query = (
        select(LinkTarget.id, LinkTarget.url, LinkTarget.kind, LinkTarget.internal,
               LinkTarget.status, LinkTarget.reason, LinkTarget.http_status, LinkRef.hidden,
               Page.url)
        .join(LinkRef, LinkRef.target_id == LinkTarget.id)
        .join(Page, Page.id == LinkRef.page_id)
        .outerjoin(Post, Post.id == Page.post_id)
        .outerjoin(Column, Column.id == Post.column_id)
        .where(LinkTarget.site_id == site_id)
        .order_by(LinkTarget.id, Page.url)
    )
    if unit_id is not None:
        query = query.where(Column.unit_id == unit_id)
    if first is not None:
        query = query.where(Post.date >= first)
    if last is not None:
        query = query.where(Post.date <= last)
    return [
        LinkSourceRow(id_, url, kind, bool(internal), status, reason, http_status,
                      bool(hidden), page_url)
        for id_, url, kind, internal, status, reason, http_status, hidden, page_url
        in session.execute(query)
    ]


@dataclass(frozen=True)
class ArticleRow:
    """A live post's page as an alert names it: its title and date."""

    url: str
    title: str
    date: date | None


def live_articles(session: Session, site_id: int, urls: Sequence[str]
                  ) -> dict[str, ArticleRow]:
    """The portal's live posts whose page is one of `urls`, by URL (a withdrawn post is not
    named)."""
    wanted = sorted(set(urls))
    if not wanted:
        return {}
    query = select(Post.url, Post.title, Post.date).join(
        Column, Column.id == Post.column_id).where(
        Column.site_id == site_id, Post.url.in_(wanted), Post.removed_at.is_(None))
    return {url: ArticleRow(url, title, day) for url, title, day in session.execute(query)}


def site_wide_problems(session: Session, site_id: int, types: Sequence[ProblemType]
                       ) -> list[ProblemRow]:
    """The portal's open problems of `types` that belong to no unit (the home page, the page
    template, the whole portal), oldest first."""
    rows = problems(session, site_id, ProblemFilter(states=(ProblemState.OPEN,)))
    return [row for row in rows if row.unit is None and row.type in types]


@dataclass(frozen=True)
class RunRow:
    """How the latest crawl run of a portal went."""

    started_at: datetime
    status: RunStatus
    columns_ok: int
    columns_failed: int
    error: str | None


def latest_run(session: Session, site_id: int) -> RunRow | None:
    query = (
        select(CrawlRun.started_at, CrawlRun.status, CrawlRun.columns_ok,
               CrawlRun.columns_failed, CrawlRun.error)
        .where(CrawlRun.site_id == site_id)
        .order_by(CrawlRun.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else RunRow(*row)


@dataclass(frozen=True)
class BrokenTargetPage:
    """A target whose latest check found it broken, and one page carrying it."""

    target: str
    page: str
    on_home_page: bool


def broken_target_pages(session: Session, site_id: int) -> list[BrokenTargetPage]:
    """Every (broken target, page) pair of the portal as last checked: visible links only
    (a hidden link is a content problem, not a link readers follow)."""
    query = (
        select(LinkTarget.url, Page.url, Page.is_home)
        .join(LinkRef, LinkRef.target_id == LinkTarget.id)
        .join(Page, Page.id == LinkRef.page_id)
        .where(LinkTarget.site_id == site_id, LinkTarget.status == LinkStatus.BROKEN,
               LinkRef.hidden.is_(False))
        .order_by(LinkTarget.url, Page.url)
    )
    return [BrokenTargetPage(target, page, bool(is_home))
            for target, page, is_home in session.execute(query)]


def home_newest_item(session: Session, site_id: int, until: datetime) -> date | None:
    """The newest dated item the home page listed when last read by a run started before
    `until`; None when that page listed none, or no run read it."""
    return session.scalar(
        select(CrawlRun.home_newest_item)
        .where(CrawlRun.site_id == site_id, CrawlRun.home_read.is_(True),
               CrawlRun.started_at < until)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    )

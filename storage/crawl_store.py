"""The crawl's reads and writes: planning from what is known, recording what was found.

Every write is an upsert on a natural key (column + post URL, the portal's page URL and
target URL), so a crawl run again — or run again after being killed — converges on the same rows.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from monitor.crawlfacts.items import (
    ArticleItem,
    ColumnDone,
    HomePageItem,
    ListPageItem,
    PageAnswered,
)
from monitor.crawlfacts.links import CheckResult, LinkCheckResult
from monitor.crawlfacts.links import LinkTarget as CheckTarget
from monitor.crawlfacts.plan import ColumnJob, ListSelectors
from monitor.crawlfacts.precedence import dated_by_list, titled_by_list
from monitor.domain import (
    CrawlOutcome,
    DateSource,
    LinkKind,
    LinkStatus,
    ListStyle,
    RunStatus,
    TitleSource,
)
from monitor.rules.outage import HostTally, origin
from storage.base import rows_changed
from storage.models import (
    Column,
    ColumnCrawl,
    CrawlRun,
    LinkRef,
    LinkTarget,
    Page,
    Post,
    Unit,
)
from storage.page_store import (
    PageRead,
    chunks,
    date_of,
    record_date,
    record_title,
    title_of,
    write_pages,
)

# Pages and link verdicts are written in batches of this many, or after this many seconds,
# whichever comes first: a crawl killed mid-way loses at most one batch, which the next
# run reads again (the posts stay without an article date until then).
WRITE_BATCH = 200
WRITE_SECONDS = 2.0


def plan_columns(
    session: Session, site_id: int, unit_ids: Sequence[int] | None, since: date | None,
    column_ids: Sequence[int] | None = None,
) -> list[ColumnJob]:
    """A job for every active column (of the given units, or the given columns), with
    what is known of it."""
    query = (
        select(Column, Unit.name)
        .join(Unit, Unit.id == Column.unit_id)
        .where(Column.site_id == site_id, Column.active.is_(True), Unit.active.is_(True))
        .order_by(Unit.id, Column.id)
    )
    if unit_ids is not None:
        query = query.where(Unit.id.in_(unit_ids))
    if column_ids is not None:
        query = query.where(Column.id.in_(column_ids))
    columns = list(session.execute(query))
    known: dict[int, set[str]] = defaultdict(set)
    pending: dict[int, list[str]] = defaultdict(list)
    # One pass over the site's posts, not two queries per column: a county has hundreds.
    post_rows = session.execute(
        select(Post.column_id, Post.url, Post.article_fetched_at, Post.removed_at)
        .where(Post.column_id.in_([column.id for column, _ in columns]))
        .order_by(Post.id)
    )
    for column_id, url, article_fetched_at, removed_at in post_rows:
        known[column_id].add(url)
        if article_fetched_at is None and removed_at is None:
            pending[column_id].append(url)
    jobs = []
    for column, unit_name in columns:
        selectors, style = _list_settings(column.list_selectors)
        jobs.append(
            ColumnJob(
                column_id=column.id,
                unit=unit_name,
                name=column.name,
                url=column.url,
                render=column.render,
                selectors=selectors,
                first_crawl=column.first_crawled_at is None,
                since=since,
                known_urls=frozenset(known[column.id]),
                pending_articles=tuple(pending[column.id]),
                style=style,
            )
        )
    return jobs


def _list_settings(
    stored: dict[str, Any] | None,
) -> tuple[ListSelectors | None, ListStyle | None]:
    """The column's `list:` as the config sync stored it: its selectors (when it gives an
    item) and its pinned style (a key that rows stored before it existed lack)."""
    settings = dict(stored or {})
    style = settings.pop("style", None)
    selectors = ListSelectors(**settings) if settings.get("item") else None
    return selectors, ListStyle(style) if style is not None else None


# Why a run is closed by the next one: its process ended without recording its end.
STALE_RUN_ERROR = "the crawl process ended without finishing (killed); closed by the next crawl"
NOT_REACHED_REASON = "the run stopped before this column was read"


def close_stale_runs(session: Session, site_id: int, at: datetime) -> list[int]:
    """Close the site's runs still marked `running` as interrupted, their unread columns
    as not reached. Only for the holder of the portal's crawl lease: then no other crawl
    is running, and a `running` row is the trace of one that was killed."""
    closed = []
    for run in session.scalars(select(CrawlRun).where(
            CrawlRun.site_id == site_id, CrawlRun.status == RunStatus.RUNNING)):
        ended = dict(session.execute(select(ColumnCrawl.column_id, ColumnCrawl.outcome)
                                     .where(ColumnCrawl.run_id == run.id)).tuples().all())
        columns = (select(Column.id).join(Unit, Unit.id == Column.unit_id)
                   .where(Column.site_id == site_id, Column.active.is_(True),
                          Unit.active.is_(True)))
        if run.units:
            columns = columns.where(Unit.name.in_(run.units))
        for column_id in session.scalars(columns):
            if column_id not in ended:
                session.add(ColumnCrawl(run_id=run.id, column_id=column_id,
                                        outcome=CrawlOutcome.NOT_REACHED,
                                        reason=NOT_REACHED_REASON, finished_at=at))
                ended[column_id] = CrawlOutcome.NOT_REACHED
        run.status = RunStatus.INTERRUPTED
        run.finished_at = at
        run.error = STALE_RUN_ERROR
        run.columns_ok = sum(1 for outcome in ended.values() if outcome is CrawlOutcome.OK)
        run.columns_failed = len(ended) - run.columns_ok
        closed.append(run.id)
    session.flush()
    return closed


def start_run(session: Session, site_id: int, units: list[str], trigger: str, now: datetime) -> int:
    run = CrawlRun(site_id=site_id, started_at=now, trigger=trigger, units=units)
    session.add(run)
    session.commit()
    return run.id


@dataclass
class RunCounts:
    pages: int = 0
    posts_new: int = 0
    posts_removed: int = 0
    columns_ok: int = 0
    columns_failed: int = 0
    # Columns read only up to crawl.max_items_per_page or crawl.max_pages_per_column.
    columns_capped: int = 0
    links_checked: int = 0
    new_by_column: dict[int, int] = field(default_factory=dict)
    outcome_by_column: dict[int, ColumnDone] = field(default_factory=dict)
    # 'ok' or why the home page got no answer; None when this run did not ask for it.
    home_page: str | None = None
    # The newest dated item the home page listed (SPEC §4.8), when it was read.
    home_newest_item: date | None = None
    # Link targets checked per host (origin) and how many got no answer (SPEC §4.5).
    link_hosts: dict[str, HostTally] = field(default_factory=dict)


class CrawlRecorder:
    """Writes what the spiders found: one transaction per list page or column, and pages
    and link verdicts in batches (`flush` writes what is held)."""

    def __init__(self, sessions: sessionmaker[Session], run_id: int, now: datetime,
                 site_host: str, recheck_ok: timedelta):
        self.sessions = sessions
        self.run_id = run_id
        # The run's portal: every page, target and problem it writes or reads is that
        # portal's, whatever others the database holds.
        self.site_id = self._site_of_run()
        self.site_host = site_host
        # One instant for the whole run: "seen in this run" is `last_seen >= started`.
        self.now = now
        self.counts = RunCounts()
        self._recheck_ok = recheck_ok
        self._first_crawl = self._columns_never_crawled()
        self._unit_of_column = self._units_of_columns()
        # Posts whose list printed their date with the year, until their article is read
        # (which must not change that year): this run's, articles not yet read only.
        self._years_printed: set[tuple[int, str]] = set()
        self._pages: list[PageRead] = []
        self._verdicts: list[LinkCheckResult] = []
        self._answered: dict[str, CheckResult] = {}
        self._last_write = time.monotonic()

    def _site_of_run(self) -> int:
        with self.sessions() as session:
            site_id = session.scalar(select(CrawlRun.site_id).where(CrawlRun.id == self.run_id))
        assert site_id is not None, "a recorder is made for a run already started"
        return site_id

    def _columns_never_crawled(self) -> set[int]:
        with self.sessions() as session:
            return set(session.scalars(select(Column.id).where(
                Column.site_id == self.site_id, Column.first_crawled_at.is_(None))))

    def _units_of_columns(self) -> dict[int, int]:
        with self.sessions() as session:
            return {column_id: unit_id for column_id, unit_id in session.execute(
                select(Column.id, Column.unit_id).where(Column.site_id == self.site_id))}

    # -- list pages ----------------------------------------------------------------------

    def list_page(self, item: ListPageItem) -> int:
        """Upsert the posts of one list page; returns how many were new."""
        first_crawl = item.column_id in self._first_crawl
        new = 0
        with self.sessions.begin() as session:
            urls = [post.url for post in item.posts]
            existing = {
                post.url: post
                for post in session.scalars(
                    select(Post).where(Post.column_id == item.column_id, Post.url.in_(urls))
                )
            }
            for listed in item.posts:
                post = existing.get(listed.url)
                if (listed.date is not None and listed.date_printed_in_full
                        and (post is None or post.article_fetched_at is None)):
                    self._years_printed.add((item.column_id, listed.url))
                if post is None:
                    post = Post(
                        column_id=item.column_id,
                        url=listed.url,
                        title=listed.title,
                        date=listed.date,
                        date_source=DateSource.LIST if listed.date else None,
                        title_source=TitleSource.LIST,
                        first_seen=self.now,
                        last_seen=self.now,
                        first_run_id=self.run_id,
                        seen_on_first_crawl=first_crawl,
                    )
                    session.add(post)
                    existing[listed.url] = post
                    new += 1
                    continue
                post.last_seen = self.now
                post.removed_at = None
                record_title(post, titled_by_list(title_of(post), listed.title))
                record_date(post, dated_by_list(date_of(post), listed.date,
                                                listed.date_printed_in_full))
        self.counts.pages += 1
        self.counts.posts_new += new
        self.counts.new_by_column[item.column_id] = (
            self.counts.new_by_column.get(item.column_id, 0) + new
        )
        return new

    # -- end of a column -----------------------------------------------------------------

    def column_done(self, item: ColumnDone) -> None:
        if item.column_id in self.counts.outcome_by_column:
            return  # a column ends once per run
        self.counts.outcome_by_column[item.column_id] = item
        ok = item.outcome == CrawlOutcome.OK.value
        with self.sessions.begin() as session:
            session.add(
                ColumnCrawl(
                    run_id=self.run_id,
                    column_id=item.column_id,
                    outcome=item.outcome,
                    reason=item.reason,
                    pages=item.pages,
                    posts_new=self.counts.new_by_column.get(item.column_id, 0),
                    finished_at=self.now,
                )
            )
            if ok:
                self.counts.posts_removed += self._mark_removed(session, item)
                column = session.get(Column, item.column_id)
                if column is not None and column.first_crawled_at is None:
                    column.first_crawled_at = self.now
        if item.capped is not None:
            self.counts.columns_capped += 1
        if ok:
            self.counts.columns_ok += 1
            self._first_crawl.discard(item.column_id)
        else:
            self.counts.columns_failed += 1

    def _mark_removed(self, session: Session, item: ColumnDone) -> int:
        """Posts the list no longer shows are withdrawn (撤稿): marked, never deleted.

        After a complete read every unseen post is gone. After an incremental read only
        posts dated after the oldest date read are known to be gone: older ones sit on
        pages this run did not open.
        """
        unseen = [
            Post.column_id == item.column_id,
            Post.removed_at.is_(None),
            Post.last_seen < self.now,
        ]
        if not item.complete:
            if item.oldest_date is None:
                return 0
            unseen += [Post.date.is_not(None), Post.date > item.oldest_date]
        changed = rows_changed(session, update(Post).where(*unseen).values(removed_at=self.now))
        return changed

    # -- articles ------------------------------------------------------------------------

    def article(self, item: ArticleItem) -> None:
        listed = (item.column_id, item.post_url)
        self._pages.append(PageRead(
            item.page_url, item.http_status, item.encoding, item.article, item.findings,
            column_id=item.column_id, post_url=item.post_url,
            unit_id=self._unit_of_column.get(item.column_id),
            list_year_printed=listed in self._years_printed))
        self._years_printed.discard(listed)
        self._flush_when_due()

    def home_page(self, item: HomePageItem) -> None:
        self.counts.home_page = item.outcome
        if item.failure is not None:
            return  # nothing was read
        self.counts.home_newest_item = item.newest_item
        self._pages.append(PageRead(item.url, item.http_status, None, item.article,
                                    item.findings, is_home=True))
        self._flush_when_due()

    # -- link checks ---------------------------------------------------------------------

    def page_answered(self, item: PageAnswered) -> None:
        self._answered[item.url] = item.result

    def settle_answered_targets(self) -> None:
        """Record the verdict of every link target the crawl itself read with a working
        answer (a column's first page, the home page), so the link check does not request
        it again: each distinct URL once per run."""
        self.flush()
        if not self._answered:
            return
        with self.sessions() as session:
            rows = [row for chunk in chunks(list(self._answered)) for row in session.execute(
                select(LinkTarget.url, LinkTarget.kind).where(
                    LinkTarget.site_id == self.site_id, LinkTarget.url.in_(chunk),
                    LinkTarget.kind == LinkKind.A))]
        for url, kind in rows:
            self.link_result(LinkCheckResult.of(CheckTarget(url, kind),
                                                self._answered[url], 1))
        self.flush()

    def due_link_targets(self, unit_ids: Sequence[int] | None = None) -> list[CheckTarget]:
        """Targets to check this run: never checked, not ok last time, or ok long ago;
        with `unit_ids`, only those carried by the articles of these units.

        Broken and blocked targets are checked every run until they pass, so a fixed
        link is noticed the next night; ok ones wait `recheck_ok_days`. A target broken
        last time is marked `known_broken`: its re-check is final after one try.
        """
        self.flush()
        query = select(LinkTarget.url, LinkTarget.kind, LinkTarget.status).where(
            LinkTarget.site_id == self.site_id,
            (LinkTarget.status.in_((LinkStatus.PENDING, LinkStatus.BROKEN, LinkStatus.BLOCKED)))
            | (LinkTarget.next_check_at.is_(None))
            | (LinkTarget.next_check_at <= self.now)
        ).order_by(LinkTarget.id)
        if unit_ids is not None:
            carried = (select(LinkRef.target_id)
                       .join(Page, Page.id == LinkRef.page_id)
                       .join(Post, Post.id == Page.post_id)
                       .join(Column, Column.id == Post.column_id)
                       .where(Column.unit_id.in_(unit_ids)))
            query = query.where(LinkTarget.id.in_(carried))
        with self.sessions() as session:
            return [CheckTarget(url, kind, known_broken=status is LinkStatus.BROKEN)
                    for url, kind, status in session.execute(query)]

    def link_result(self, result: LinkCheckResult) -> None:
        self._verdicts.append(result)
        self.counts.links_checked += 1
        if result.status is not LinkStatus.UNCHECKED:
            host = origin(result.url)
            failed = result.reason if result.status is LinkStatus.BROKEN else None
            self.counts.link_hosts[host] = self.counts.link_hosts.get(host, HostTally()).add(failed)
        self._flush_when_due()

    def _write_verdicts(self, session: Session, results: Sequence[LinkCheckResult]) -> None:
        urls = list(dict.fromkeys(result.url for result in results))
        targets = {target.url: target for chunk in chunks(urls) for target in
                   session.scalars(select(LinkTarget).where(
                       LinkTarget.site_id == self.site_id, LinkTarget.url.in_(chunk)))}
        for result in results:
            target = targets.get(result.url)
            if target is None:
                continue
            target.status = result.status
            target.reason = result.reason
            target.http_status = result.http_status
            target.final_url = result.final_url
            target.redirect_chain = list(result.redirect_chain)
            target.last_checked_at = self.now
            if result.status is LinkStatus.OK:
                target.next_check_at = self.now + spread_recheck(result.url, self._recheck_ok)
            else:
                target.next_check_at = self.now

    def mark_unchecked(self, urls: Sequence[str], reason: str) -> int:
        """Record targets as not checked this run (`reason`), due again next run: what a
        run that could not reach their host says of them. Returns how many."""
        self.flush()
        with self.sessions.begin() as session:
            total = 0
            for chunk in chunks(list(urls)):
                changed = rows_changed(session,
                    update(LinkTarget).where(LinkTarget.site_id == self.site_id,
                                             LinkTarget.url.in_(chunk)).values(
                        status=LinkStatus.UNCHECKED, reason=reason, http_status=None,
                        final_url=None, redirect_chain=[], last_checked_at=self.now,
                        next_check_at=self.now))
                total += changed
            return total

    def checked_now(self, status: LinkStatus) -> list[str]:
        """The targets this run's instant has checked with `status`."""
        self.flush()
        with self.sessions() as session:
            return list(session.scalars(select(LinkTarget.url).where(
                LinkTarget.site_id == self.site_id, LinkTarget.last_checked_at == self.now,
                LinkTarget.status == status)))

    # -- batches -------------------------------------------------------------------------

    def _flush_when_due(self) -> None:
        held = len(self._pages) + len(self._verdicts)
        if held >= WRITE_BATCH or time.monotonic() - self._last_write >= WRITE_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write the pages and link verdicts held so far, in one transaction."""
        pages, self._pages = self._pages, []
        verdicts, self._verdicts = self._verdicts, []
        self._last_write = time.monotonic()
        if not pages and not verdicts:
            return
        with self.sessions.begin() as session:
            write_pages(session, self.site_id, pages, self.now, self.site_host)
            self._write_verdicts(session, verdicts)

    # -- the run -------------------------------------------------------------------------

    def not_reached(self, column_ids: Sequence[int]) -> int:
        """Record the columns of the run that never ended (the run stopped first) as
        `not_reached`: their last known state stands, nothing is judged on it."""
        # Worker processes write their columns' ends themselves: the database knows them
        # all, this process's counts only once the workers have reported.
        with self.sessions() as session:
            ended = set(session.scalars(select(ColumnCrawl.column_id).where(
                ColumnCrawl.run_id == self.run_id)))
        missing = [c for c in column_ids
                   if c not in ended and c not in self.counts.outcome_by_column]
        for column_id in missing:
            self.column_done(ColumnDone(column_id, CrawlOutcome.NOT_REACHED.value,
                                        NOT_REACHED_REASON, 0, False, None))
        return len(missing)

    def read_without_dates(self) -> list[int]:
        """Columns this run read (`ok`) that still wait for an article to date one of their
        posts: a run stopped before those articles were read must not judge the column on
        posts it could not date."""
        with self.sessions() as session:
            return list(session.scalars(
                select(ColumnCrawl.column_id).where(
                    ColumnCrawl.run_id == self.run_id,
                    ColumnCrawl.outcome == CrawlOutcome.OK,
                    select(Post.id).where(
                        Post.column_id == ColumnCrawl.column_id, Post.date.is_(None),
                        Post.article_fetched_at.is_(None), Post.removed_at.is_(None),
                    ).exists())))

    def outcome_changed(self, column_ids: Sequence[int], outcome: CrawlOutcome) -> None:
        """Re-label columns this run failed on (the portal was found down afterwards)."""
        with self.sessions.begin() as session:
            session.execute(update(ColumnCrawl).where(
                ColumnCrawl.run_id == self.run_id, ColumnCrawl.column_id.in_(column_ids)
            ).values(outcome=outcome))
        for column_id in column_ids:
            done = self.counts.outcome_by_column.get(column_id)
            if done is not None:
                self.counts.outcome_by_column[column_id] = replace(done, outcome=outcome.value)

    def finish(self, finished_at: datetime, status: RunStatus, error: str | None = None) -> None:
        self.flush()
        with self.sessions.begin() as session:
            run = session.get(CrawlRun, self.run_id)
            assert run is not None
            run.finished_at = finished_at
            run.status = status
            run.error = error
            run.pages = self.counts.pages
            run.posts_new = self.counts.posts_new
            run.posts_removed = self.counts.posts_removed
            outcomes = list(session.scalars(select(ColumnCrawl.outcome).where(
                ColumnCrawl.run_id == self.run_id)))
            run.columns_ok = sum(1 for outcome in outcomes if outcome is CrawlOutcome.OK)
            run.columns_failed = len(outcomes) - run.columns_ok
            run.columns_capped = self.counts.columns_capped
            run.home_read = self.counts.home_page == "ok"
            run.home_newest_item = self.counts.home_newest_item


def spread_recheck(url: str, period: timedelta) -> timedelta:
    """When to check a working target again: between half and one and a half `period`,
    fixed per URL, so the targets first checked on one night are not all re-checked on
    one later night."""
    share = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return period * (0.5 + share)

"""What a correct monitor must find on the sample portal (SPEC §4), from the generator's
own knowledge of every post and link, never from the product's code.

Posts count when they are dated and were known at the instant asked about: visible then
(`live`), or, with `include_withdrawn=True`, visible at any moment up to it (what a
nightly crawl that ran before a 撤稿 recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from monitor.domain import Category, ColumnStatus, DateSource, LinkKind, LinkStatus
from sampleportal.clock import SHANGHAI
from sampleportal.model import ArticleDate, Column, Hosts, ListDates, Portal, Post, Unit
from sampleportal.styles import article_path
from sampleportal.traps import FOOTER_BROKEN, MOBILE, SITEMAP, TRAPS_BY_KEY, VALID_ID, Where
from sampleportal.truth_rules import (
    column_status,
    completion,
    counted_weeks,
    dense_ranks,
    is_backdated,
    is_stale,
    missed_weeks,
)


@dataclass(frozen=True)
class PostTruth:
    unit: str
    column: str
    category: Category
    title: str  # the full title, never the list's truncated one
    path: str
    claimed: date
    date_source: DateSource | None  # None: undated (no date anywhere)
    published_at: datetime
    withdrawn_at: datetime | None
    backdated: bool

    @property
    def undated(self) -> bool:
        return self.date_source is None

    def url(self, hosts: Hosts) -> str:
        return hosts.site_url(self.path)


@dataclass(frozen=True)
class LinkTruth:
    url: str
    kind: LinkKind
    status: LinkStatus
    reason: str
    internal: bool
    hidden: bool
    site_wide: bool  # in the footer of every page
    sources: tuple[str, ...]  # article URLs carrying it (site-wide links: not listed)


@dataclass(frozen=True)
class PrivacyLeak:
    page: str
    kind: str  # "id_number" | "mobile"
    value: str


@dataclass(frozen=True)
class ColumnTruth:
    unit: str
    column: str
    status: ColumnStatus
    stale: bool
    posts: int
    last_post: date | None


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    group: str
    annual_target: int
    period_dynamics: int
    period_disclosure: int
    ytd_dynamics: int
    ytd_disclosure: int
    weeks: int
    missed: int
    completion: Decimal | None
    rank_in_group: int | None
    rank: int | None

    @property
    def period_total(self) -> int:
        return self.period_dynamics + self.period_disclosure

    @property
    def ytd_total(self) -> int:
        return self.ytd_dynamics + self.ytd_disclosure


def date_source(column: Column, post: Post) -> DateSource | None:
    """§4.2 order: the list, then the PubDate meta, then the visible 发布时间 line."""
    if column.list_dates is not ListDates.NONE:
        return DateSource.LIST
    if post.article_date is ArticleDate.BOTH:
        return DateSource.META
    if post.article_date is ArticleDate.VISIBLE_ONLY:
        return DateSource.VISIBLE
    return None


def _local_date(instant: datetime) -> date:
    return instant.astimezone(SHANGHAI).date()


class Truth:
    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    # -- posts -------------------------------------------------------------------------
    def post_truth(self, unit: Unit, column: Column, post: Post) -> PostTruth:
        return PostTruth(
            unit=unit.name, column=column.name, category=column.category, title=post.title,
            path=article_path(column, post), claimed=post.claimed,
            date_source=date_source(column, post), published_at=post.published_at,
            withdrawn_at=post.withdrawn_at,
            backdated=is_backdated(post.claimed, _local_date(post.published_at)),
        )

    def posts(self, at: datetime | None = None, include_withdrawn: bool = False,
              unit: str | None = None) -> list[PostTruth]:
        """Posts known at `at` (all posts when None), optionally of one unit."""
        found: list[PostTruth] = []
        for each in self.portal.units:
            if unit is not None and unit not in (each.name, each.slug):
                continue
            for column in each.columns:
                found.extend(self.post_truth(each, column, post) for post in column.posts
                             if _known(post, at, include_withdrawn))
        return found

    def _dated(self, column: Column, at: datetime, include_withdrawn: bool) -> list[date]:
        as_of = _local_date(at)
        return [post.claimed for post in column.posts
                if _known(post, at, include_withdrawn) and post.claimed <= as_of
                and date_source(column, post) is not None]

    # -- weekly rule, statuses, figures ----------------------------------------------
    def weekly_misses(self, unit: str, first: date, last: date, at: datetime,
                      min_posts: int = 1, categories: tuple[Category, ...] = (Category.DYNAMICS,),
                      include_withdrawn: bool = False) -> tuple[list[date], list[date]]:
        """(counted weeks, missed weeks) as Mondays, for `unit` and [first, last] at `at`."""
        weeks = counted_weeks(first, last, _local_date(at))
        dates = [day for column in self.portal.unit(unit).columns
                 if column.category in categories
                 for day in self._dated(column, at, include_withdrawn)]
        return weeks, missed_weeks(weeks, dates, min_posts)

    def column_statuses(self, at: datetime, due_soon_workdays: int = 2,
                        include_withdrawn: bool = False) -> list[ColumnTruth]:
        as_of = _local_date(at)
        found = []
        for unit in self.portal.units:
            for column in unit.columns:
                dates = self._dated(column, at, include_withdrawn)
                found.append(ColumnTruth(
                    unit=unit.name, column=column.name,
                    status=column_status(column.cycle, column.deadline, dates, as_of,
                                         due_soon_workdays),
                    stale=is_stale(column.category, dates, as_of),
                    posts=len(dates), last_post=max(dates) if dates else None,
                ))
        return found

    def column_status(self, unit: str, column: str, at: datetime) -> ColumnTruth:
        name = self.portal.unit(unit).name
        return next(found for found in self.column_statuses(at)
                    if found.unit == name and found.column == column)

    def figures(self, first: date, last: date, at: datetime,
                include_withdrawn: bool = False) -> list[UnitFigures]:
        """§4.6 per unit: period and year-to-date counts, weekly, completion, dense ranks."""
        as_of = _local_date(at)
        year_start = date(min(last, as_of).year, 1, 1)
        rows = []
        for unit in self.portal.units:
            period = self._counts(unit, first, min(last, as_of), at, include_withdrawn)
            # Year-to-date ends with the period (or at as-of, if earlier): April's figures
            # do not change with the day in May they are asked for.
            ytd = self._counts(unit, year_start, min(last, as_of), at, include_withdrawn)
            weeks, missed = self.weekly_misses(unit.name, first, last, at,
                                               include_withdrawn=include_withdrawn)
            rows.append((unit, period, ytd, len(weeks), len(missed),
                         completion(sum(ytd), unit.annual_target)))
        overall = dense_ranks([row[5] for row in rows])
        in_group = _group_ranks(rows)
        return [
            UnitFigures(unit.name, unit.group, unit.annual_target, period[0], period[1],
                        ytd[0], ytd[1], weeks, missed, score, in_group[index], overall[index])
            for index, (unit, period, ytd, weeks, missed, score) in enumerate(rows)
        ]

    def _counts(self, unit: Unit, first: date, last: date, at: datetime,
                include_withdrawn: bool) -> tuple[int, int]:
        dynamics = disclosure = 0
        for column in unit.columns:
            hits = sum(1 for day in self._dated(column, at, include_withdrawn)
                       if first <= day <= last)
            if column.category.is_dynamics:
                dynamics += hits
            else:
                disclosure += hits
        return dynamics, disclosure

    # -- links and privacy ---------------------------------------------------------
    def links(self, hosts: Hosts, at: datetime | None = None) -> list[LinkTruth]:
        """Every distinct link target on the article pages live at `at` (default now)."""
        at = at or self.portal.default_now
        sources: dict[str, list[str]] = {}
        kinds: dict[str, tuple[LinkKind, str]] = {}
        for unit in self.portal.units:
            for column in unit.columns:
                for post in column.posts:
                    if post.live_at(at):
                        self._post_links(hosts, column, post, sources, kinds)
        found = [self._trap_truth(hosts, key, tuple(sources.pop(key, [])))
                 for key in list(sources) if key in TRAPS_BY_KEY]
        found.extend(self._trap_truth(hosts, trap.key, (), site_wide=True)
                     for trap in (FOOTER_BROKEN, SITEMAP))
        for url, pages in sources.items():
            kind, _ = kinds[url]
            found.append(LinkTruth(url, kind, LinkStatus.OK, "", True, False, False, tuple(pages)))
        return found

    def _post_links(self, hosts: Hosts, column: Column, post: Post,
                    sources: dict[str, list[str]], kinds: dict[str, tuple[LinkKind, str]]
                    ) -> None:
        page = hosts.site_url(article_path(column, post))
        month, stem = post.claimed.strftime("%Y%m"), f"{post.claimed:%Y%m%d}{post.id:06d}"
        if post.has_image:
            url = hosts.site_url(f"/uploads/image/{month}/W0{stem}.png")
            sources.setdefault(url, []).append(page)
            kinds[url] = (LinkKind.IMG, "")
        if post.has_attachment:
            url = hosts.attachment_url(f"/uploads/file/{month}/P0{stem}.pdf")
            sources.setdefault(url, []).append(page)
            kinds[url] = (LinkKind.ATTACHMENT, "")
        for key in post.trap_keys:
            sources.setdefault(key, []).append(page)

    def _trap_truth(self, hosts: Hosts, key: str, pages: tuple[str, ...],
                    site_wide: bool = False) -> LinkTruth:
        trap = TRAPS_BY_KEY[key]
        return LinkTruth(trap.url(hosts), trap.kind, trap.expected, trap.reason,
                         trap.where is Where.SITE, trap.hidden, site_wide, pages)

    def privacy_leaks(self, hosts: Hosts, at: datetime | None = None) -> list[PrivacyLeak]:
        at = at or self.portal.default_now
        leaks = []
        for unit in self.portal.units:
            for column in unit.columns:
                for post in column.posts:
                    if post.leaks_privacy and post.live_at(at):
                        page = hosts.site_url(article_path(column, post))
                        leaks += [PrivacyLeak(page, "id_number", VALID_ID),
                                  PrivacyLeak(page, "mobile", MOBILE)]
        return leaks

    def hidden_links(self, hosts: Hosts, at: datetime | None = None) -> list[LinkTruth]:
        return [link for link in self.links(hosts, at) if link.hidden]


def _known(post: Post, at: datetime | None, include_withdrawn: bool) -> bool:
    if at is None:
        return True
    return post.seen_by(at) if include_withdrawn else post.live_at(at)


def _group_ranks(rows: list[tuple]) -> list[int | None]:
    ranks: list[int | None] = [None] * len(rows)
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row[0].group, []).append(index)
    for members in groups.values():
        for index, rank in zip(members, dense_ranks([rows[i][5] for i in members]), strict=True):
            ranks[index] = rank
    return ranks

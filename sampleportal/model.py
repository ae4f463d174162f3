"""The sample portal's content: units, columns and posts, as plain frozen dataclasses.

A `Post` carries two instants on purpose: the date it *shows* (`claimed`) and the instant
it becomes *visible* (`published_at`). They differ for a back-dating unit, which is what
the product's `backdated_post` finding is about. `withdrawn_at` models 撤稿.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from monitor.domain import Category, Cycle, Render

# Posts the home page's 最新动态 block lists (when the portal has one).
HOME_NEWS_ITEMS = 8


class ListStyle(StrEnum):
    """The six CMS list styles of real county portals."""

    TRS = "trs"  # static index_N.html, createPageHTML() pager
    HANWEB = "hanweb"  # /col/colNNN/ + dataproxy.jsp XML
    JSLIST = "jslist"  # empty <ul> filled by fetch() from a JSON API
    TABLE = "table"  # table rows, 2024年04月29日, ?page=N
    LEGACY = "legacy"  # GBK, [04-29], list_2.htm
    JSONAPI = "jsonapi"  # empty container filled from /api/columns/<id>/articles JSON


class ListDates(StrEnum):
    """How a column's list shows post dates."""

    FULL = "full"  # a full date next to each title
    SHORT = "short"  # MM-DD only; the year comes from context
    NONE = "none"  # no date in the list at all


class ArticleDate(StrEnum):
    """Where an article page states its date."""

    BOTH = "both"  # PubDate meta and a visible 发布时间 line
    VISIBLE_ONLY = "visible_only"  # PubDate meta empty, visible line present
    NOWHERE = "nowhere"  # neither: the post is undated unless the list shows a date


class Behaviour(StrEnum):
    """How a unit keeps (or fails to keep) its columns."""

    DILIGENT = "diligent"
    HOLIDAY_GAPS = "holiday_gaps"  # skips weeks whose working days fall outside a period
    TIAOXIU_GAPS = "tiaoxiu_gaps"  # skips weeks with a 调休 weekend workday
    RANDOM_GAPS = "random_gaps"
    SILENT = "silent"  # never publishes
    LAPSED = "lapsed"  # stopped publishing weeks ago
    BACKDATING = "backdating"  # posts appear days after the date they show


@dataclass(frozen=True)
class Post:
    id: int
    title: str
    claimed: date
    published_at: datetime
    withdrawn_at: datetime | None = None
    article_date: ArticleDate = ArticleDate.BOTH
    with_seconds: bool = False
    has_image: bool = False
    has_attachment: bool = False
    trap_keys: tuple[str, ...] = ()
    leaks_privacy: bool = False

    def live_at(self, instant: datetime) -> bool:
        if instant < self.published_at:
            return False
        return self.withdrawn_at is None or instant < self.withdrawn_at

    def seen_by(self, instant: datetime) -> bool:
        """Whether the post had been visible at some moment up to `instant`."""
        return self.published_at <= instant


@dataclass(frozen=True)
class Column:
    unit_slug: str
    slug: str
    name: str
    number: int  # the CMS column id (Hanweb colNNN, API ids)
    category: Category
    cycle: Cycle
    style: ListStyle
    list_dates: ListDates = ListDates.FULL
    deadline: str | None = None  # MM-DD for yearly columns
    posts: tuple[Post, ...] = ()

    @property
    def render(self) -> Render:
        return Render.BROWSER if self.style is ListStyle.JSLIST else Render.STATIC

    @property
    def root(self) -> str:
        """The path the column's list lives under (ends with '/')."""
        if self.style is ListStyle.HANWEB:
            return f"/col/col{self.number}/"
        return f"/{self.unit_slug}/{self.slug}/"

    @property
    def list_path(self) -> str:
        """The path an officer would paste into the config."""
        if self.style is ListStyle.HANWEB:
            return f"{self.root}index.html"
        return self.root

    def live_posts(self, instant: datetime) -> list[Post]:
        """Posts shown at `instant`, newest first, as the CMS orders them."""
        shown = [post for post in self.posts if post.live_at(instant)]
        shown.sort(key=lambda post: (post.claimed, post.published_at, post.id), reverse=True)
        return shown


@dataclass(frozen=True)
class Unit:
    slug: str
    name: str
    group: str
    aliases: tuple[str, ...]
    annual_target: int
    behaviour: Behaviour
    columns: tuple[Column, ...] = field(default=())

    @property
    def contact(self) -> str:
        return f"{self.slug}@example.gov.cn"


@dataclass(frozen=True)
class Portal:
    seed: int
    site_name: str
    county: str
    default_now: datetime
    first_day: date
    units: tuple[Unit, ...]
    large: bool = False
    # A 最新动态 block on the home page listing the newest dynamics posts with their dates
    # (what 首页不更新 of the national indicators reads). Off by default: the home page
    # then only links the columns.
    home_news: bool = False

    def unit(self, name_or_slug: str) -> Unit:
        for unit in self.units:
            if name_or_slug in (unit.name, unit.slug):
                return unit
        raise KeyError(name_or_slug)

    def columns(self) -> list[Column]:
        return [column for unit in self.units for column in unit.columns]

    def unit_of(self, column: Column) -> Unit:
        return self.unit(column.unit_slug)

    def newest_dynamics(self, instant: datetime, count: int = HOME_NEWS_ITEMS
                  ) -> list[tuple[Column, Post]]:
        """The newest dynamics posts shown at `instant`, newest first."""
        shown = [(column, post) for column in self.columns()
                 if column.category is Category.DYNAMICS for post in column.live_posts(instant)]
        shown.sort(key=lambda pair: (pair[1].claimed, pair[1].published_at, pair[1].id),
                   reverse=True)
        return shown[:count]


@dataclass(frozen=True)
class Hosts:
    """Where a running portal answers: its own site, a host playing an external site,
    and a loopback port where nothing listens (a refused connection)."""

    site: str  # e.g. http://127.0.0.1:8000
    external: str
    refused: str
    # A second host of the portal serving the articles' attachments (an attachment
    # server), when asked for; otherwise attachments are on the site itself.
    files: str = ""

    def site_url(self, path: str) -> str:
        return self.site + path

    def attachment_url(self, path: str) -> str:
        return (self.files or self.site) + path

"""The product's tables: portal structure, crawled facts, checks, problems, delivery.

Natural keys carry unique constraints so that every writer can upsert: re-running a
crawl, or re-running one killed half-way, converges on the same rows (issue 2).
Enumerated values are stored as short strings (the `monitor.domain` enums' values), read
and written as members through `storage.base.ByValue`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitor.domain import (
    Category,
    CrawlOutcome,
    Cycle,
    DateSource,
    EvidenceStatus,
    LinkKind,
    LinkStatus,
    ProblemState,
    ProblemType,
    Render,
    Role,
    RunStatus,
    TitleSource,
)
from storage.base import Base

URL = String(2048)
SHORT = String(32)
# The outbox channel of e-mail; any other channel is a chat URL.
EMAIL_CHANNEL = "email"
# A chat URL as the config writes it is at most this long (monitor.config.models.
# CHAT_URL_LENGTH), as it is part of a unique key.
CHANNEL_LENGTH = 500


class Site(Base):
    __tablename__ = "site"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(URL, unique=True)

    units: Mapped[list[Unit]] = relationship(back_populates="site")


class Unit(Base):
    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    annual_target: Mapped[int | None] = mapped_column(Integer)
    contacts: Mapped[list[str]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    site: Mapped[Site] = relationship(back_populates="units")
    columns: Mapped[list[Column]] = relationship(back_populates="unit")


class Column(Base):
    """A watched column (栏目) of a unit. Kept, marked inactive, when it leaves the config."""

    __tablename__ = "portal_column"
    __table_args__ = (UniqueConstraint("site_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(URL)
    category: Mapped[Category] = mapped_column()
    cycle: Mapped[Cycle] = mapped_column()
    deadline: Mapped[str | None] = mapped_column(String(5))
    render: Mapped[Render] = mapped_column(default=Render.STATIC)
    list_selectors: Mapped[dict[str, Any] | None] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by the first crawl that read the column: posts found then are history, not news.
    first_crawled_at: Mapped[datetime | None] = mapped_column()

    unit: Mapped[Unit] = relationship(back_populates="columns")
    posts: Mapped[list[Post]] = relationship(back_populates="column")


class CrawlRun(Base):
    __tablename__ = "crawl_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
    trigger: Mapped[str] = mapped_column(SHORT, default="cli")
    units: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[RunStatus] = mapped_column(default=RunStatus.RUNNING)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    posts_new: Mapped[int] = mapped_column(Integer, default=0)
    posts_removed: Mapped[int] = mapped_column(Integer, default=0)
    columns_ok: Mapped[int] = mapped_column(Integer, default=0)
    columns_failed: Mapped[int] = mapped_column(Integer, default=0)
    # Columns read only up to crawl.max_items_per_page or crawl.max_pages_per_column.
    columns_capped: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # The home page as this run read it: the newest dated item its list showed (None when
    # it showed none, or was not read) — 首页不更新 of the national indicators.
    home_read: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    home_newest_item: Mapped[date | None] = mapped_column()


class ColumnCrawl(Base):
    """How reading one column went in one run (ok / unreachable / blocked)."""

    __tablename__ = "column_crawl"
    __table_args__ = (UniqueConstraint("run_id", "column_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("crawl_run.id", ondelete="CASCADE"), index=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("portal_column.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[CrawlOutcome] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    posts_seen: Mapped[int] = mapped_column(Integer, default=0)
    posts_new: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime] = mapped_column()


class Post(Base):
    """One entry of a column list. Never deleted: a post that leaves the list is removed."""

    __tablename__ = "post"
    __table_args__ = (
        UniqueConstraint("column_id", "url"),
        Index("ix_post_column_id_date", "column_id", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(
        ForeignKey("portal_column.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(URL)
    title: Mapped[str] = mapped_column(Text)
    # Local (Asia/Shanghai) calendar date the post claims; None: undated (SPEC §4.2).
    date: Mapped[date | None] = mapped_column(Date)
    date_source: Mapped[DateSource | None] = mapped_column()
    # Where the title was read: the list, or the article page when the list cut it.
    title_source: Mapped[TitleSource | None] = mapped_column()
    first_seen: Mapped[datetime] = mapped_column()
    last_seen: Mapped[datetime] = mapped_column()
    first_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_run.id", ondelete="SET NULL"), index=True
    )
    # True when found by the column's first crawl, when nothing was known yet, so its
    # first-seen time says nothing about back-dating.
    seen_on_first_crawl: Mapped[bool] = mapped_column(Boolean, default=False)
    removed_at: Mapped[datetime | None] = mapped_column()
    article_fetched_at: Mapped[datetime | None] = mapped_column()

    column: Mapped[Column] = relationship(back_populates="posts")


class Page(Base):
    """A fetched page (article or home page): what the link and content checks read."""

    __tablename__ = "page"
    __table_args__ = (UniqueConstraint("site_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(URL)
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL"), index=True
    )
    http_status: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[datetime] = mapped_column()
    encoding: Mapped[str | None] = mapped_column(SHORT)
    title: Mapped[str | None] = mapped_column(Text)
    meta_pub_date: Mapped[str | None] = mapped_column(String(64))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    is_home: Mapped[bool] = mapped_column(Boolean, default=False)


class LinkTarget(Base):
    """A distinct URL that some page links to, with its latest check (SPEC §4.5)."""

    __tablename__ = "link_target"
    __table_args__ = (UniqueConstraint("site_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(URL)
    kind: Mapped[LinkKind] = mapped_column()
    internal: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[LinkStatus] = mapped_column(default=LinkStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(200))
    http_status: Mapped[int | None] = mapped_column(Integer)
    final_url: Mapped[str | None] = mapped_column(URL)
    redirect_chain: Mapped[list[str]] = mapped_column(default=list)
    on_home: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime] = mapped_column()
    last_checked_at: Mapped[datetime | None] = mapped_column()
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)


class LinkRef(Base):
    """Page → target: every page that carries a target, with the anchor text."""

    __tablename__ = "link_ref"
    __table_args__ = (UniqueConstraint("page_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("page.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(
        ForeignKey("link_target.id", ondelete="CASCADE"), index=True
    )
    anchor_text: Mapped[str | None] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    # In the site-wide header or footer rather than the article body.
    in_template: Mapped[bool] = mapped_column(Boolean, default=False)


class Problem(Base):
    """A finding with its life (SPEC §4.7). `key` identifies the same finding across runs."""

    __tablename__ = "problem"
    __table_args__ = (UniqueConstraint("site_id", "type", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    type: Mapped[ProblemType] = mapped_column()
    key: Mapped[str] = mapped_column(String(1024))
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    column_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_column.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str | None] = mapped_column(URL)
    target: Mapped[str | None] = mapped_column(URL)
    detail: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ProblemState] = mapped_column(default=ProblemState.OPEN, index=True)
    first_seen: Mapped[datetime] = mapped_column()
    last_seen: Mapped[datetime] = mapped_column()
    fixed_at: Mapped[datetime | None] = mapped_column()
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    ignored_reason: Mapped[str | None] = mapped_column(Text)

    events: Mapped[list[ProblemEvent]] = relationship(
        back_populates="problem", order_by="ProblemEvent.id"
    )


class ProblemEvent(Base):
    """One change of a problem's state: opened, fixed, reopened, ignored."""

    __tablename__ = "problem_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column()
    state: Mapped[ProblemState] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    # The dashboard user who made the change; None for the monitor itself and the CLI.
    actor: Mapped[str | None] = mapped_column(String(100))

    problem: Mapped[Problem] = relationship(back_populates="events")


class Evidence(Base):
    """One capture of a problem's page (截图取证): a folder under the evidence directory,
    named by the sha256 of its manifest, or the reason there is none (无截图)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    captured_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[EvidenceStatus] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)
    # Relative to the configured evidence directory.
    path: Mapped[str | None] = mapped_column(String(200))
    manifest_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)


class ProbeResult(Base):
    """One availability probe of a key page (the national 15-second rule)."""

    __tablename__ = "probe_result"
    __table_args__ = (Index("ix_probe_result_url_at", "url", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(URL)
    at: Mapped[datetime] = mapped_column()
    ok: Mapped[bool] = mapped_column(Boolean)
    http_status: Mapped[int | None] = mapped_column(Integer)
    elapsed_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(200))


class AlertMessage(Base):
    """An alert written to the outbox before it is sent, so none is lost or sent twice.

    One alert goes to each of its channels as a delivery of its own: the same dedupe key
    once for e-mail and once per chat group, each followed and retried on its own.
    """

    __tablename__ = "alert_outbox"
    __table_args__ = (UniqueConstraint("site_id", "dedupe_key", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    # `email`, or the chat URL as the config writes it: its tokens as ${NAME}, never their
    # values, which only the environment of the sending process holds.
    channel: Mapped[str] = mapped_column(String(CHANNEL_LENGTH), default=EMAIL_CHANNEL,
                                         server_default=EMAIL_CHANNEL)
    kind: Mapped[str] = mapped_column(SHORT)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    week: Mapped[date] = mapped_column(Date)
    recipients: Mapped[list[str]] = mapped_column(default=list)
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    # Recipient by recipient: accepted; refused for good (address → the server's reply);
    # uncertain (no reply after the content was sent: maybe delivered, never resent).
    delivered_to: Mapped[list[str]] = mapped_column(default=list)
    refused_to: Mapped[dict[str, Any]] = mapped_column(default=dict)
    uncertain_to: Mapped[list[str]] = mapped_column(default=list)


class SchedulerLock(Base):
    """Held by the one scheduler allowed to run against this database."""

    __tablename__ = "scheduler_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column()
    heartbeat_at: Mapped[datetime] = mapped_column()


class WebUser(Base):
    """Someone who logs in to the dashboard (SPEC §8): the office, or one unit's staff."""

    __tablename__ = "web_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[Role] = mapped_column()
    # The unit a `unit` user may see; None for the office.
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column()

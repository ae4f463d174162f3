"""A small portal in the database: units and columns from a config, crawls and posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.config import PortalConfig
from monitor.domain import CrawlOutcome
from storage.models import Column, ColumnCrawl, CrawlRun, Post, Site
from storage.sync import sync_config

SITE_URL = "http://127.0.0.1:8000/"


def shanghai(text: str) -> datetime:
    """`2024-05-10 09:00` in Asia/Shanghai, as an aware instant."""
    return datetime.fromisoformat(f"{text}+08:00")


def column(name: str, path: str, category: str = "dynamics", cycle: str = "weekly",
           **extra: Any) -> dict[str, Any]:
    return {"name": name, "url": f"{SITE_URL}{path}/", "category": category, "cycle": cycle,
            **extra}


def unit(name: str, *columns: dict[str, Any], group: str = "县直单位",
         target: int | None = None, aliases: list[str] | None = None) -> dict[str, Any]:
    return {"name": name, "group": group, "annual_target": target, "aliases": aliases or [],
            "columns": list(columns)}


def portal_config(*units: dict[str, Any], **sections: Any) -> PortalConfig:
    return PortalConfig.model_validate(
        {"site": {"name": "瑞河县人民政府门户网站", "url": SITE_URL}, "units": list(units),
         **sections}
    )


@dataclass
class Portal:
    """Writes the facts a crawl would have recorded, so that services can be judged on them."""

    session: Session
    config: PortalConfig | None = None
    _posts: int = field(default=0)

    # The builders, reachable from tests through the fixture.
    column = staticmethod(column)
    unit = staticmethod(unit)
    portal_config = staticmethod(portal_config)
    at = staticmethod(shanghai)

    def configure(self, config: PortalConfig) -> PortalConfig:
        self.config = config
        sync_config(self.session, config)
        self.session.commit()
        return config

    @property
    def site_id(self) -> int:
        """The portal's site row: recorded by `configure`, else made bare as a crawl would."""
        site_id = self.session.scalar(select(Site.id))
        if site_id is None:
            site = Site(name="瑞河县人民政府门户网站", url=SITE_URL)
            self.session.add(site)
            self.session.flush()
            site_id = site.id
        return site_id

    def column_id(self, path: str) -> int:
        return self.session.scalars(select(Column.id).where(Column.url == f"{SITE_URL}{path}/")).one()

    def crawl(self, at: datetime, failed: dict[str, str] | None = None,
              only: list[str] | None = None) -> int:
        """A finished run at `at`: every active column read, except `failed` {path: reason}."""
        failed = failed or {}
        site_id = self.session.scalars(select(Site.id)).one()
        run = CrawlRun(site_id=site_id, started_at=at, finished_at=at, status="finished")
        self.session.add(run)
        self.session.flush()
        columns = self.session.scalars(select(Column).where(Column.active.is_(True))).all()
        for col in columns:
            path = col.url.removeprefix(SITE_URL).rstrip("/")
            if only is not None and path not in only:
                continue
            reason = failed.get(path)
            outcome = CrawlOutcome.OK if reason is None else CrawlOutcome.UNREACHABLE
            self.session.add(ColumnCrawl(run_id=run.id, column_id=col.id, outcome=outcome.value,
                                         reason=reason, finished_at=at))
            if reason is None and col.first_crawled_at is None:
                col.first_crawled_at = at
        self.session.commit()
        return run.id

    def post(self, path: str, day: date | None, *, seen: datetime | None = None,
             first_crawl: bool = True, removed: datetime | None = None,
             fetched: datetime | None = None, title: str = "关于开展防汛检查的通知") -> Post:
        self._posts += 1
        seen = seen or (shanghai(f"{day.isoformat()} 18:00") if day else shanghai("2024-01-01 09:00"))
        post = Post(column_id=self.column_id(path), url=f"{SITE_URL}{path}/{self._posts}.html",
                    title=title, date=day, date_source="list" if day else None,
                    first_seen=seen, last_seen=seen, seen_on_first_crawl=first_crawl,
                    removed_at=removed, article_fetched_at=fetched)
        self.session.add(post)
        self.session.commit()
        return post

    def weekly_posts(self, path: str, first: date, last: date, skip: tuple[date, ...] = ()) -> None:
        day = first
        while day <= last:
            if day not in skip:
                self.post(path, day)
            day += timedelta(days=7)


@pytest.fixture
def portal(session: Session) -> Portal:
    return Portal(session)

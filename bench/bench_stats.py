"""Time `monitor stats` (the figures service) over 100 units and 200,000 posts.

Run: .venv/bin/python bench/bench_stats.py [--units N] [--posts N] [--db URL]
The target is under 1 second for a month and for the whole year. Every column is read by a
crawl every night, as the weekly rule reads them (SPEC §4.4). The database is a fresh
SQLite file in a temporary directory unless --db names another (it must be empty).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, select

from monitor.config import PortalConfig
from monitor.domain import CrawlOutcome, RunStatus
from monitor.rules.periods import Period
from monitor.services.stats import unit_stats
from storage import migrations
from storage.models import Column, ColumnCrawl, CrawlRun, Post
from storage.session import create_db_engine, session_factory
from storage.sync import sync_config

SITE = "http://127.0.0.1:8000/"
CATEGORIES = [("工作动态", "dynamics", "weekly"), ("通知公告", "notice", "monthly"),
              ("政策文件", "policy", "quarterly")]
AS_OF = date(2024, 6, 28)
BATCH = 20_000


def portal(units: int) -> PortalConfig:
    return PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": SITE},
        "units": [
            {"name": f"单位{number:03d}", "group": "乡镇" if number % 4 == 0 else "县直单位",
             "annual_target": 300 + number,
             "columns": [{"name": name, "url": f"{SITE}u{number}/{category}/",
                          "category": category, "cycle": cycle}
                         for name, category, cycle in CATEGORIES]}
            for number in range(units)
        ],
    })


def fill(database_url: str, units: int, posts: int, seed: int) -> PortalConfig:
    engine = create_db_engine(database_url)
    migrations.upgrade(engine)
    config = portal(units)
    rng = random.Random(seed)
    seen = datetime(2024, 7, 1, tzinfo=UTC)
    with session_factory(engine).begin() as session:
        site_id = sync_config(session, config).site_id
        column_ids = list(session.scalars(select(Column.id)))
    first = date(2024, 1, 1)
    span = (AS_OF - first).days + 1
    for start in range(0, posts, BATCH):
        rows = [
            {"column_id": rng.choice(column_ids), "url": f"{SITE}p/{number}.html",
             "title": "关于做好防汛工作的通知", "date": first + timedelta(days=rng.randrange(span)),
             "date_source": "list", "first_seen": seen, "last_seen": seen}
            for number in range(start, min(start + BATCH, posts))
        ]
        with session_factory(engine).begin() as session:
            session.execute(insert(Post), rows)
    nightly_crawls(engine, site_id, column_ids, first)
    engine.dispose()
    return config


def nightly_crawls(engine: Engine, site_id: int, column_ids: list[int], first: date) -> None:
    """A run every night that read every column, as the weekly rule's reads need them."""
    night = first
    while night <= AS_OF:
        at = datetime.combine(night, datetime.min.time(), tzinfo=UTC) - timedelta(hours=6)
        with session_factory(engine).begin() as session:
            run_id = session.execute(insert(CrawlRun).returning(CrawlRun.id), [
                {"site_id": site_id, "started_at": at, "finished_at": at,
                 "status": RunStatus.FINISHED.value}]).scalar_one()
            session.execute(insert(ColumnCrawl), [
                {"run_id": run_id, "column_id": column_id, "outcome": CrawlOutcome.OK.value,
                 "finished_at": at} for column_id in column_ids])
        night += timedelta(days=1)


def timed(database_url: str, config: PortalConfig, period: Period | None) -> tuple[float, int]:
    engine = create_db_engine(database_url)
    try:
        with session_factory(engine).begin() as session:
            started = time.perf_counter()
            result = unit_stats(session, config, AS_OF, period)
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    return elapsed, sum(figure.ytd.total for figure in result.figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.db or f"sqlite:///{Path(directory) / 'bench.db'}"
        started = time.perf_counter()
        config = fill(url, args.units, args.posts, args.seed)
        print(f"filled {args.units} units, {args.posts:,} posts in "
              f"{time.perf_counter() - started:.1f} s")
        for label, period in [("June (default month)", None),
                              ("whole year", Period(date(2024, 1, 1), AS_OF))]:
            elapsed, ytd = timed(url, config, period)
            verdict = "OK" if elapsed < 1 else "OVER TARGET"
            print(f"stats, {label}: {elapsed:.3f} s ({ytd:,} posts year-to-date) "
                  f"[target < 1 s: {verdict}]")


if __name__ == "__main__":
    main()

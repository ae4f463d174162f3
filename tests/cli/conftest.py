"""What the CLI tests share: `monitor` run in-process, and a small portal written the way the
CLI reads it, as a config file next to a migrated database with posts and crawls recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from monitor.cli import app
from monitor.config import load_config
from monitor.i18n import speaking
from storage.models import Column, ColumnCrawl, CrawlRun, Post
from storage.session import create_db_engine, session_factory
from storage.sync import sync_config

SITE = "http://127.0.0.1:8000/"

# Every column the CLI tests' portals have, by its path below SITE: a unit in a test's config
# lists the paths of its columns and the config written gets these settings for them.
COLUMNS = {
    "slj/gzdt/": {"name": "工作动态", "category": "dynamics", "cycle": "weekly"},
    "slj/tzgg/": {"name": "通知公告", "category": "notice", "cycle": "monthly"},
    "qsz/xzdt/": {"name": "乡镇动态", "category": "dynamics", "cycle": "weekly"},
    "wjw/gzdt/": {"name": "工作动态", "category": "dynamics", "cycle": "weekly"},
}

# The portal that `stats` and `report` count: two units with annual targets, and posts from
# February to May, each seen on 1 May.
COUNTED_UNITS = [
    {"name": "县水利局", "group": "县直单位", "annual_target": 450,
     "columns": ["slj/gzdt/", "slj/tzgg/"]},
    {"name": "青石镇", "group": "乡镇", "annual_target": 4, "columns": ["qsz/xzdt/"]},
]
COUNTED_SEEN = datetime.fromisoformat("2024-05-01T02:00:00+08:00")
COUNTED_POSTS = [("slj/gzdt/", date(2024, 4, 3)), ("slj/gzdt/", date(2024, 4, 24)),
                 ("slj/tzgg/", date(2024, 4, 25)), ("slj/tzgg/", date(2024, 3, 1)),
                 ("qsz/xzdt/", date(2024, 5, 7)), ("qsz/xzdt/", date(2024, 2, 1))]


@pytest.fixture
def cli_language() -> str:
    """The language the command tests read: English (`MONITOR_LANG=en`), in which most of
    them were written; tests/cli/test_language.py reads the office's Chinese, the default.
    A test module overrides this fixture to read the other one."""
    return "en"


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, cli_language: str) -> Callable[..., Result]:
    """Run `monitor ARGS` in-process with a clean MONITOR_* environment, in `cli_language`."""
    for name in ("MONITOR_CONFIG", "MONITOR_DB", "MONITOR_NOW"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        with speaking(cli_language):
            return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    return run



def portal_config(units: list[dict[str, Any]], **sections: Any) -> dict[str, Any]:
    """The county site with `units` (their columns given by path) and any further sections."""
    return {
        "site": {"name": "瑞河县人民政府门户网站", "url": SITE},
        "units": [unit | {"columns": [column_config(path) for path in unit["columns"]]}
                  for unit in units],
        **sections,
    }


def column_config(path: str) -> dict[str, str]:
    return {"url": f"{SITE}{path}", **COLUMNS[path]}


@dataclass
class RecordedPortal:
    """Adds rows in the transaction that synced the config; columns are named by path."""

    session: Session
    site_id: int
    column_ids: dict[str, int]

    def post(self, column: str, number: int, day: date, seen: datetime, *,
             title: str = "标题", **fields: Any) -> Post:
        """Post `number` of `column`, first and last seen at `seen`."""
        post = Post(column_id=self.column_ids[column], url=f"{SITE}{column}{number}.html",
                    title=title, date=day, first_seen=seen, last_seen=seen, **fields)
        self.session.add(post)
        return post

    def crawl(self, at: datetime, unreachable: dict[str, str] | None = None) -> None:
        """A crawl at `at` that read every column but the `unreachable` ones {path: reason}."""
        unreachable = unreachable or {}
        run = CrawlRun(site_id=self.site_id, started_at=at)
        self.session.add(run)
        self.session.flush()
        for column, column_id in self.column_ids.items():
            reason = unreachable.get(column)
            self.session.add(ColumnCrawl(run_id=run.id, column_id=column_id,
                                         outcome="ok" if reason is None else "unreachable",
                                         reason=reason, finished_at=at))


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write `portal_config(units, **sections)` to portal.yaml and give its path."""

    def write(units: list[dict[str, Any]], **sections: Any) -> Path:
        path = tmp_path / "portal.yaml"
        path.write_text(yaml.safe_dump(portal_config(units, **sections), allow_unicode=True,
                                       sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def record_portal(
    write_config: Callable[..., Path], database_url: str
) -> Callable[..., list[str]]:
    """Write the config of `units`, sync the config into it and let
    `fill(RecordedPortal)` add posts and crawls; gives the CLI options naming the two."""

    def record(units: list[dict[str, Any]],
               fill: Callable[[RecordedPortal], None] | None = None,
               **sections: Any) -> list[str]:
        path = write_config(units, **sections)
        engine = create_db_engine(database_url)
        try:
            with session_factory(engine).begin() as session:
                site_id = sync_config(session, load_config(path)).site_id
                columns = session.scalars(select(Column).order_by(Column.id))
                column_ids = {column.url.removeprefix(SITE): column.id for column in columns}
                if fill is not None:
                    fill(RecordedPortal(session, site_id, column_ids))
        finally:
            # Our connections are closed: the command under test opens the database itself.
            engine.dispose()
        return ["--config", str(path), "--db", database_url]

    return record


def counted_posts(portal: RecordedPortal) -> None:
    for number, (column, day) in enumerate(COUNTED_POSTS):
        portal.post(column, number, day, COUNTED_SEEN)
    portal.crawl(COUNTED_SEEN)  # the crawl that read them


@pytest.fixture
def record_counted_portal(record_portal: Callable[..., list[str]]) -> Callable[..., list[str]]:
    """The portal `stats` and `report` count, its config given further `sections`."""

    def record(**sections: Any) -> list[str]:
        return record_portal(COUNTED_UNITS, counted_posts, **sections)

    return record


@pytest.fixture
def counted_portal(record_counted_portal: Callable[..., list[str]]) -> list[str]:
    return record_counted_portal()

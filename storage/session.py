"""Engines and sessions for SQLite (the embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import DatabaseError
from monitor.i18n import _

# The scheduler and a CLI command may write at the same time; wait instead of failing.
SQLITE_BUSY_TIMEOUT_MS = 30_000

# The databases and drivers installed with the product; `postgresql` means psycopg 3.
SUPPORTED_DRIVERS = frozenset({"sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg"})


def create_db_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            _("'{url}' is not a database URL (write e.g. sqlite:///var/monitor.db or "
              "postgresql+psycopg://user@host/dbname)").format(url=url)
        ) from None
    if parsed.drivername not in SUPPORTED_DRIVERS:
        # Named by its scheme only: the URL may carry a password.
        raise DatabaseError(
            _("不支持的数据库 '{driver}'：只支持 sqlite（如 sqlite:///var/monitor.db）"
              "和 postgresql（如 postgresql+psycopg://user@host/dbname）")
            .format(driver=parsed.drivername)
        )
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed.database, url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver installed with the product.
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return create_engine(url, pool_pre_ping=True)


def _sqlite_engine(database: str | None, url: str) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (a CLI command) proceed while the scheduler's crawl writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)

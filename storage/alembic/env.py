"""Alembic environment for the product's schema.

The database comes from the connection the caller passes in `config.attributes`
(`storage.migrations`), else from `-x db=URL`, else from MONITOR_DB. SQLite runs in
batch mode because it cannot ALTER most things in place.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import storage.models  # noqa: F401  (registers every table on the metadata)
from monitor.settings import DEFAULT_DB_URL, Environment
from storage.base import Base
from storage.session import create_db_engine

config = context.config
target_metadata = Base.metadata

# Tables other libraries own in the same database (APScheduler's job store).
FOREIGN_TABLES = frozenset({"apscheduler_jobs"})


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """Alembic's hook: leave other libraries' tables out of the comparison."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("db") or (
        Environment.from_environ().db_url or DEFAULT_DB_URL
    )
    engine = create_db_engine(url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()

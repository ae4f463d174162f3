"""Fixtures shared by the whole suite: databases on SQLite and, when configured, PostgreSQL.

Storage and rule tests take `database_url` (or `engine`, `session`, `sessions`); they run on
SQLite always and on PostgreSQL when MONITOR_TEST_PG_URL is set (CI sets it, and a missing
server then fails the run). The run migrates one database per backend once; no test sees
another's rows:

- on SQLite each test gets a file copy of it;
- on PostgreSQL a test that only takes `session` or `sessions` works inside one transaction
  on a shared copy, rolled back at the end (each commit of its own a savepoint), as does any
  session the code under test opens on that connection;
- a PostgreSQL test that needs real commits (`database_url`, `engine`: commands, threads,
  other connections) takes one reused copy in turn, emptied after each test (every table,
  its sequences restarted) and replaced by a new copy when a test changed its schema.
  Copying (CREATE DATABASE … TEMPLATE) took a third of a second a test; emptying, 0.02 s.

Tests of migrating itself take `empty_database_url`, a database of their own each.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from crawler.browser import INSTALL_HINT, find_browser
from monitor import i18n
from monitor.settings import Environment
from storage import migrations
from storage.models import Base
from storage.session import create_db_engine, session_factory

# The command line's consoles are made when `monitor.commands.console` is imported, and Rich
# fixes their width then from COLUMNS. A width exported by the developer's shell, or the
# COLUMNS=80 that pytest-xdist's workers set, would fold every table of the run; the tests
# expect output into a pipe, as a script reads it, and set COLUMNS themselves where a width
# matters.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

# Speed is measured by the scripts in bench/, never by a test: hypothesis's 200 ms deadline
# per example failed a property of the weekly rule once on a loaded machine.
hypothesis_settings.register_profile("portal-monitor", deadline=None)
hypothesis_settings.load_profile("portal-monitor")

PG_URL_VARIABLE = "MONITOR_TEST_PG_URL"

# The session's language is MONITOR_LANG's as the run starts (the office's Chinese when
# unset), chosen now: otherwise the first text translated would choose it, from whatever
# environment a test's CliRunner had set at that moment.
i18n.active_language()

BACKENDS = ["sqlite", "postgresql"]


def _chromium() -> str | None:
    return find_browser("auto", Environment.from_environ().browser_path)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Browser tests need Chromium; without one they fail on CI and are skipped elsewhere,
    each time saying how to install it (`make test` installs it where it can)."""
    if item.get_closest_marker("browser") is None or _chromium() is not None:
        return
    message = f"no Chromium for the browser tests: {INSTALL_HINT}, or set MONITOR_BROWSER"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _chromium()
    assert path is not None, "marked tests only (pytest_runtest_setup checks first)"
    return path


def _pg_url() -> str | None:
    return os.environ.get(PG_URL_VARIABLE) or None


def pytest_sessionstart(session: pytest.Session) -> None:
    """When PostgreSQL is asked for, an unreachable server fails the run, not skips it."""
    url = _pg_url()
    if url is None:
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as err:
        pytest.exit(f"{PG_URL_VARIABLE} is set but PostgreSQL is not reachable: {err.orig}", 3)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """Creates and drops the tests' PostgreSQL databases (statements outside a transaction)."""
    base = _pg_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE}")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


@contextmanager
def _pg_database(admin: Engine, template: str | None = None) -> Iterator[str]:
    """A PostgreSQL database of its own for the duration, a copy of `template` if given;
    gives its URL. Dropped with FORCE: a command a test started may still hold a connection."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_postgresql(pg_admin: Engine) -> Iterator[str]:
    """A PostgreSQL database migrated to the newest schema once per run; the name of it.
    Copying it (CREATE DATABASE … TEMPLATE) is several times cheaper than migrating."""
    with _pg_database(pg_admin) as url:
        engine = create_db_engine(url)
        migrations.upgrade(engine)
        # A template cannot be copied while anyone is connected to it.
        engine.dispose()
        name = make_url(url).database
        assert name is not None
        yield name


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest schema once per run; tests start from a copy."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    engine.dispose()
    assert not path.with_name(path.name + "-wal").exists(), "the template must be one file"
    return path


class ReusedPostgresql:
    """One copy of the migrated PostgreSQL database that the tests needing real commits take
    in turn. After each test every other connection to it is ended and every table emptied,
    its sequences restarted: the copy is as migrated again in about 0.02 s, where making a new
    one takes 0.3 s. A test that changed the schema (a migration run, a table more or fewer)
    gets it replaced by a new copy instead."""

    def __init__(self, admin: Engine, template: str) -> None:
        self._admin = admin
        self._template = template
        self._name: str | None = None
        self._tables: tuple[str, ...] = ()
        self._sequences: tuple[str, ...] = ()
        self._version: str | None = None

    def url(self) -> str:
        if self._name is None:
            self._create()
        return self._url()

    def _url(self) -> str:
        return self._admin.url.set(database=self._name).render_as_string(hide_password=False)

    def _create(self) -> None:
        self._name = f"t_{uuid.uuid4().hex[:12]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self._name}" TEMPLATE "{self._template}"'))
        with self._cleaner() as connection:
            present = set(_public_tables(connection))
            # Children before parents, so that deleting breaks no foreign key.
            ordered = [table.name for table in reversed(Base.metadata.sorted_tables)]
            assert present == {*ordered, "alembic_version"}, "the models and migrations agree"
            self._tables = tuple(ordered)
            self._sequences = tuple(connection.scalars(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")))
            self._version = _alembic_version(connection)

    @contextmanager
    def _cleaner(self) -> Iterator[Connection]:
        engine = create_engine(self._url(), poolclass=NullPool)
        try:
            with engine.begin() as connection:
                yield connection
        finally:
            engine.dispose()

    def reset(self) -> None:
        """Back to as migrated, for the next test; a new copy if the schema changed."""
        if self._name is None:
            return
        with self._admin.connect() as connection:
            # A command or an engine the test left open may still hold locks or write.
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": self._name})
        with self._cleaner() as connection:
            unchanged = (set(_public_tables(connection)) == {*self._tables, "alembic_version"}
                         and _alembic_version(connection) == self._version)
            if unchanged:
                for table in self._tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))
                for sequence in self._sequences:
                    connection.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
        if not unchanged:
            self.drop()

    def drop(self) -> None:
        if self._name is None:
            return
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{self._name}" WITH (FORCE)'))
        self._name = None


def _public_tables(connection: Connection) -> list[str]:
    return list(connection.scalars(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")))


def _alembic_version(connection: Connection) -> str | None:
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


@pytest.fixture(scope="session")
def reused_postgresql(pg_admin: Engine, migrated_postgresql: str) -> Iterator[ReusedPostgresql]:
    reused = ReusedPostgresql(pg_admin, migrated_postgresql)
    yield reused
    reused.drop()


@pytest.fixture(scope="session")
def shared_postgresql(pg_admin: Engine, migrated_postgresql: str) -> Iterator[Engine]:
    """An engine on a copy of the migrated PostgreSQL database kept for the whole run, for
    tests whose every write is rolled back (`session`); the template itself must stay
    unconnected to be copied."""
    with _pg_database(pg_admin, migrated_postgresql) as url:
        engine = create_db_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on: SQLite always, PostgreSQL when configured."""
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database of the test's own for its duration, as migrated, committed and
    real, so commands the test starts can use it (on PostgreSQL the reused one, emptied after)."""
    path = tmp_path / "monitor.db"
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    reused: ReusedPostgresql = request.getfixturevalue("reused_postgresql")
    try:
        yield reused.url()
    finally:
        reused.reset()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of the test's own, for tests of migrating itself."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    with _pg_database(request.getfixturevalue("pg_admin")) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's migrated database."""
    engine = create_db_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(backend: str, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A session on a migrated database whose rows only this test sees: on PostgreSQL, unless
    the test also reaches the database another way, inside a transaction rolled back after."""
    with _own_sessions(backend, request)() as session:
        yield session


@pytest.fixture
def sessions(backend: str, request: pytest.FixtureRequest) -> sessionmaker[Session]:
    """Like `session`, for code that opens sessions of its own (one thread only)."""
    return _own_sessions(backend, request)


def _own_sessions(backend: str, request: pytest.FixtureRequest) -> sessionmaker[Session]:
    if backend == "sqlite" or "database_url" in request.fixturenames:
        return session_factory(request.getfixturevalue("engine"))
    connection = request.getfixturevalue("rolled_back_connection")
    return sessionmaker(connection, join_transaction_mode="create_savepoint",
                        expire_on_commit=False)


@pytest.fixture
def rolled_back_connection(shared_postgresql: Engine) -> Iterator[Connection]:
    """A connection to the run's shared PostgreSQL database inside a transaction rolled back
    at the end; sessions on it commit to savepoints. It stays inside a savepoint of its own,
    so that a session the code under test opens on it (`session.get_bind()`) with the
    default join mode also commits to savepoints, never the transaction."""
    with shared_postgresql.connect() as connection:
        transaction = connection.begin()
        connection.begin_nested()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The texts people read in English for one test, then back: `MONITOR_LANG=en` for the
    commands it runs (which choose their language at start) and the active catalogue."""
    from monitor import i18n

    before = i18n.active_language()
    monkeypatch.setenv("MONITOR_LANG", "en")
    i18n.activate("en")
    try:
        yield
    finally:
        i18n.activate(before)


def one_site(session: Session) -> int:
    """The site row of a test's one portal, for rows a test writes by hand."""
    from storage.models import Site

    return session.scalars(select(Site.id)).one()

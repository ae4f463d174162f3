"""Fixtures shared by the whole suite: databases on SQLite and, when configured, PostgreSQL.

Storage and rule tests take `database_url` (or `engine`, `session`); they run on SQLite
always and on PostgreSQL when MONITOR_TEST_PG_URL is set (CI sets it, and a missing server
then fails the run). Each test gets a database of its own, already migrated: the run migrates
one database per backend once and each test starts from a copy (a file copy on SQLite,
CREATE DATABASE … TEMPLATE on PostgreSQL), dropped afterwards. Tests of migrating itself
take `empty_database_url`.

Tests that only take `session` do not need a database of their own on PostgreSQL, where a
copy costs a third of a second: their session works inside one transaction on a database
migrated once per run, rolled back at the end (each commit of theirs a savepoint), so no test
sees another's rows. A test that also takes `engine` or `database_url` (commands, threads or
a second connection that must see commits) gets its copy as before.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.browser import INSTALL_HINT, find_browser
from monitor import i18n
from monitor.settings import Environment
from storage import migrations
from storage.session import create_db_engine, session_factory

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
    """The URL of a database of the test's own, migrated to the newest schema: a copy of the
    run's migrated database, committed and real, so commands the test starts can use it."""
    path = tmp_path / "monitor.db"
    if backend == "sqlite":
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    pg_admin = request.getfixturevalue("pg_admin")
    with _pg_database(pg_admin, request.getfixturevalue("migrated_postgresql")) as url:
        yield url


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

"""The dashboard's tests run against the sample portal as `monitor crawl` recorded it.

The crawl is the shared one of tests/crawler/conftest.py (`CrawlWorkspace`); each test
that changes data gets its own copy of the crawled database, so no test sees another's
ignored problems or users. The crawl (20 s and more) starts in the background as soon as
the run has collected a test that needs it, so it overlaps the tests that come before.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.app import App
from monitor.domain import Role
from monitor.services.users import add_user
from monitor.settings import Environment
from monitor.web.app import create_app
from sampleportal import RunningPortal, generate_portal, serve_portal

_CRAWL_FIXTURES = Path(__file__).resolve().parents[2] / "crawler" / "conftest.py"
_spec = importlib.util.spec_from_file_location("crawl_fixtures_for_web", _CRAWL_FIXTURES)
assert _spec is not None and _spec.loader is not None
crawl_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = crawl_fixtures
_spec.loader.exec_module(crawl_fixtures)
CrawlWorkspace = crawl_fixtures.CrawlWorkspace

PASSWORD = "correct horse battery"
OFFICE = "office"
UNIT_USER = "slj"
UNIT_NAME = "县水利局"
OTHER_UNIT = "县卫生健康委员会"


@dataclass(frozen=True)
class CrawledPortal:
    """A crawled sample portal: its config, database and the instant it was crawled at."""

    config: Path
    db_path: Path
    now: str
    unit_names: tuple[str, ...]


class BackgroundCrawl:
    """The sample portal served and crawled in a thread beside the run's other tests, with
    the environment the run began with; `result()` waits for it. The portal keeps serving
    until `stop()`, as it did while the dashboard's tests ran before."""

    def __init__(self) -> None:
        self._environ = dict(os.environ)
        self._directory = tempfile.TemporaryDirectory(prefix="web-crawled-")
        self._running: RunningPortal | None = None
        self._process: subprocess.Popen[str] | None = None
        self._crawled: CrawledPortal | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._crawl, name="web-crawl", daemon=True)
        self._thread.start()

    def _crawl(self) -> None:
        try:
            portal = generate_portal(1)
            self._running = serve_portal(portal)
            workspace = CrawlWorkspace(self._running, Path(self._directory.name),
                                       environ=self._environ)
            self._process = workspace.start_crawl(portal.default_now)
            _out, err = self._process.communicate(timeout=600)
            assert self._process.returncode == 0, err[-3000:]
            crawled = CrawledPortal(workspace.config, workspace.db_path,
                                    portal.default_now.isoformat(),
                                    tuple(unit.name for unit in portal.units))
            _add_users(Dashboard(crawled.config, crawled.db_path, crawled.now,
                                 crawled.unit_names))
            self._crawled = crawled
        # Why the blanket catch: whatever failed is raised again in the test that waits.
        except BaseException as error:  # noqa: BLE001
            self._error = error

    def result(self) -> CrawledPortal:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._crawled is not None
        return self._crawled

    def stop(self) -> None:
        """Ends the crawl if it still runs (a run stopped early) and stops the portal."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._thread.join()
        if self._running is not None:
            self._running.stop()
        self._directory.cleanup()


_background: BackgroundCrawl | None = None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Starts the crawl once the run is known to hold a test that needs it."""
    global _background
    # Every pytest-xdist worker collects every test, but only the worker handed a dashboard
    # test needs the crawl: there the fixture starts it, while the other workers go on.
    if hasattr(session.config, "workerinput"):
        return
    if _background is None and any(
            "crawled_portal" in getattr(item, "fixturenames", ()) for item in session.items):
        _background = BackgroundCrawl()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run that ended before any test waited for the crawl does not wait for it either."""
    global _background
    if _background is not None:
        _background.stop()
        _background = None


@pytest.fixture(scope="session")
def crawled_portal() -> Iterator[CrawledPortal]:
    global _background
    if _background is None:
        _background = BackgroundCrawl()
    try:
        yield _background.result()
    finally:
        _background.stop()
        _background = None


def _add_users(board: Dashboard) -> None:
    """An office user and a 县水利局 user, in the crawled database every test copies."""
    application = board.application()
    with application.sessions.begin() as session:
        now = application.clock.now()
        add_user(session, application.config, OFFICE, Role.OFFICE, None, PASSWORD, now)
        add_user(session, application.config, UNIT_USER, Role.UNIT, UNIT_NAME, PASSWORD, now)
    application.engine.dispose()


@dataclass
class Dashboard:
    """A copy of the crawled database with an office user and a 县水利局 user."""

    config: Path
    db_path: Path
    now: str
    unit_names: tuple[str, ...]

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def environ(self, **extra: str) -> dict[str, str]:
        return {"MONITOR_CONFIG": str(self.config), "MONITOR_DB": self.db_url,
                "MONITOR_NOW": self.now, **extra}

    def application(self) -> App:
        return App(environment=Environment.from_environ(self.environ()))


@pytest.fixture
def dashboard(crawled_portal: CrawledPortal, tmp_path: Path) -> Dashboard:
    db_path = tmp_path / "monitor.db"
    shutil.copy(crawled_portal.db_path, db_path)
    return Dashboard(crawled_portal.config, db_path, crawled_portal.now,
                     crawled_portal.unit_names)


class WallClock:
    """The wall clock the dashboard's sessions and throttle read, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def wall_clock() -> WallClock:
    return WallClock()


@pytest.fixture
def make_client(dashboard: Dashboard, wall_clock: WallClock
                ) -> Iterator[Callable[..., TestClient]]:
    """`make_client()` → a TestClient on the dashboard (each its own cookies)."""
    clients: list[TestClient] = []
    application = dashboard.application()
    web = create_app(application, clock=wall_clock)

    def make(**options: object) -> TestClient:
        client = TestClient(web, follow_redirects=False, **options)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
    application.engine.dispose()


def csrf_of(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def log_in(client: TestClient, name: str = OFFICE, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": name, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 303, response.text


@pytest.fixture
def office_client(make_client: Callable[..., TestClient]) -> TestClient:
    client = make_client()
    log_in(client)
    return client


@pytest.fixture
def unit_client(make_client: Callable[..., TestClient]) -> TestClient:
    client = make_client()
    log_in(client, UNIT_USER)
    return client

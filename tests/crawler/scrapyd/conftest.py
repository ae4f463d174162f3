"""A real scrapyd (the dev dependency) on 127.0.0.1, for crawls on `crawl.backend: scrapyd`.

Each server runs in a directory of its own: its scrapyd.conf (a free port, eggs, logs and
queues under the directory), HOME pointed there so no user's ~/.scrapyd.conf is read, and
an environment without the MONITOR_* variables of the test run unless a test gives some.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import BACKENDS, PG_URL_VARIABLE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ScrapydServer:
    url: str
    directory: Path
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def output(self) -> str:
        return (self.directory / "scrapyd.out").read_text(errors="replace")[-5000:]


def start_scrapyd(directory: Path, environment: dict[str, str] | None = None) -> ScrapydServer:
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (directory / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        f"eggs_dir = {directory / 'eggs'}\n"
        f"logs_dir = {directory / 'logs'}\n"
        f"dbs_dir = {directory / 'dbs'}\n"
        "items_dir =\n"
        "jobs_dir =\n"
        "poll_interval = 0.2\n"
        "max_proc = 2\n", encoding="utf-8")
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("MONITOR_", "SCRAPY"))}
    env.update(HOME=str(directory), **(environment or {}))
    with (directory / "scrapyd.out").open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=directory, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = ScrapydServer(f"http://127.0.0.1:{port}/", directory, process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"scrapyd did not start:\n{server.output()}")
        try:
            if httpx.get(server.url + "daemonstatus.json").json()["status"] == "ok":
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"scrapyd did not answer within 60 s:\n{server.output()}")


@pytest.fixture(scope="session")
def scrapyd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScrapydServer]:
    server = start_scrapyd(tmp_path_factory.mktemp("scrapyd"))
    yield server
    server.stop()


@pytest.fixture
def scrapyd_factory(tmp_path: Path) -> Iterator[Callable[..., ScrapydServer]]:
    """Starts a scrapyd of the test's own (e.g. with a job environment of its own)."""
    started: list[ScrapydServer] = []

    def start(environment: dict[str, str] | None = None) -> ScrapydServer:
        server = start_scrapyd(tmp_path / f"scrapyd{len(started)}", environment)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def use_scrapyd(config: Path, url: str) -> None:
    """Switch the portal config at `config` to `crawl.backend: scrapyd` on `url`."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.setdefault("crawl", {}).update(backend="scrapyd", scrapyd_url=url)
    config.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                      encoding="utf-8")


@pytest.fixture(params=BACKENDS)
def two_databases(request: pytest.FixtureRequest) -> Iterator[tuple[str | None, str | None]]:
    """Two empty databases: SQLite files of the workspaces, or two PostgreSQL schemas."""
    if request.param == "sqlite":
        yield None, None
        return
    base = os.environ.get(PG_URL_VARIABLE)
    if not base:
        pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE}")
    schemas = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    admin = create_engine(base)
    with admin.begin() as connection:
        for schema in schemas:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield tuple(  # type: ignore[misc]
            make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False) for schema in schemas)
    finally:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

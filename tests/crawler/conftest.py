"""Fixtures for crawling the sample portal with the real `monitor crawl`, night after night.

Each crawl is a subprocess (the Twisted reactor cannot restart within one process), with
MONITOR_NOW set to the night being replayed and the portal's clock set to the same
instant, so the portal shows exactly what it would have shown that night.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from sampleportal import RunningPortal, Truth, generate_portal, serve_portal
from sampleportal.configfile import write_config
from sampleportal.model import Portal


@dataclass
class CrawlWorkspace:
    running: RunningPortal
    directory: Path
    # Where the crawl's Chromium writes its network log, when set.
    browser_netlog: Path | None = None
    # The evidence step after each crawl (截图取证); off where a test counts the crawl's own
    # requests to the portal.
    evidence: bool = True
    # The environment the commands start from; the test process's own when unset. A crawl
    # run beside other tests is given the one the run began with, not a test's monkeypatched.
    environ: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.evidence_dir = self.directory / "evidence"
        self.config = write_config(self.running.portal, self.running.base_url,
                                   self.directory / "portal.yaml", self.evidence_dir,
                                   self.evidence)
        self.db_path = self.directory / "monitor.db"
        self.db_url = f"sqlite:///{self.db_path}"
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=self.env(),
                       check=True, capture_output=True)

    def env(self, now: datetime | None = None) -> dict[str, str]:
        env = dict(os.environ if self.environ is None else self.environ,
                   MONITOR_CONFIG=str(self.config), MONITOR_DB=self.db_url)
        env.pop("MONITOR_NOW", None)
        if self.browser_netlog is not None:
            env["MONITOR_BROWSER_NETLOG"] = str(self.browser_netlog)
        if now is not None:
            env["MONITOR_NOW"] = now.isoformat()
        return env

    def start_crawl(self, now: datetime, *args: str) -> subprocess.Popen[str]:
        self.running.set_now(now)
        return subprocess.Popen([sys.executable, "-m", "monitor", "crawl", "--json", *args],
                                env=self.env(now), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def crawl(self, now: datetime, *args: str) -> dict:
        process = self.start_crawl(now, *args)
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err[-3000:]
        return json.loads(out)

    def monitor(self, *args: str) -> str:
        """The stdout of a `monitor` command run at the portal's default instant."""
        done = subprocess.run([sys.executable, "-m", "monitor", *args],
                              env=self.env(self.running.portal.default_now),
                              capture_output=True, text=True, check=True)
        return done.stdout

    def config_with_mail(self, directory: Path) -> Path:
        """A copy of the config in `directory` with an e-mail section, so that alerts can be
        composed (dry runs only: nothing listens on the SMTP port)."""
        document = yaml.safe_load(self.config.read_text(encoding="utf-8"))
        document["email"] = {"smtp": {"host": "127.0.0.1", "port": 1025},
                             "sender": "政务公开办 <gkb@example.gov.cn>",
                             "office": ["gkb@example.gov.cn"]}
        config = directory / "portal.yaml"
        config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        return config

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.db_path) as connection:
            return connection.execute(sql, params).fetchall()

    def live_posts(self) -> dict[str, tuple[str, str | None, str | None]]:
        """url → (title, date, date source) of every post not withdrawn."""
        return {url: (title, day, source) for url, title, day, source in self.query(
            "SELECT url, title, date, date_source FROM post WHERE removed_at IS NULL")}


@pytest.fixture(scope="session")
def sample_portal() -> Portal:
    return generate_portal(1)


@pytest.fixture(scope="session")
def sample_truth(sample_portal: Portal) -> Truth:
    return Truth(sample_portal)


@pytest.fixture(scope="session")
def crawl_workspace():
    """A factory: `crawl_workspace(running_portal, directory)` → CrawlWorkspace."""
    return CrawlWorkspace


@pytest.fixture(scope="session")
def crawled(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory):
    """The sample portal crawled once at its default instant, for tests that only read
    what the crawl recorded (content problems, link verdicts)."""
    with serve_portal(sample_portal) as running:
        directory = tmp_path_factory.mktemp("crawled")
        workspace = CrawlWorkspace(running, directory, directory / "chromium-netlog.json")
        workspace.crawl(sample_portal.default_now)
        yield workspace

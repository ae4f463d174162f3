"""Three portals of one installation (one config directory, one database) crawled through a
real scrapyd on 127.0.0.1 leave the database the local backend leaves (SPEC §7).

Three copies of the sample portal on three ports; two config directories naming them, one
on `crawl.backend: local`, one on `crawl.backend: scrapyd`; two databases (SQLite files,
or two PostgreSQL schemas with MONITOR_TEST_PG_URL). The local installation is crawled a
portal at a time (`--portal`), the scrapyd one with `crawl --all`. Every row of the
snapshot starts with the site name it is stored under, so a row written under another
portal (a job given the wrong portal, a run recorded under the wrong site) fails it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text

from sampleportal import RunningPortal, generate_portal, serve_portal
from sampleportal.configfile import portal_config
from tests.crawler.scrapyd.conftest import ScrapydServer

pytestmark = [pytest.mark.slow, pytest.mark.browser]

STEMS = ("dongcheng", "xicheng", "nancheng")

# What a crawl leaves, each row led by the name of the portal it is stored under. Rows
# reached through another table are named by the portal of both ends, so a column read
# into another portal's run, or a link found on another portal's page, shows.
SNAPSHOT_QUERIES = {
    "posts": """SELECT s.name, c.url, p.url, p.title, p.title_source, p.date, p.date_source,
                       p.article_fetched_at IS NOT NULL, p.removed_at
                FROM post p JOIN portal_column c ON c.id = p.column_id
                JOIN site s ON s.id = c.site_id ORDER BY 1, 2, 3""",
    "column statuses": """SELECT rs.name, cs.name, c.url, cc.outcome, cc.reason
                          FROM column_crawl cc JOIN crawl_run r ON r.id = cc.run_id
                          JOIN site rs ON rs.id = r.site_id
                          JOIN portal_column c ON c.id = cc.column_id
                          JOIN site cs ON cs.id = c.site_id ORDER BY 1, 2, 3""",
    "columns": """SELECT s.name, c.url, c.first_crawled_at FROM portal_column c
                  JOIN site s ON s.id = c.site_id ORDER BY 1, 2""",
    "link verdicts": """SELECT s.name, t.url, t.kind, t.status, t.reason, t.last_checked_at
                        FROM link_target t JOIN site s ON s.id = t.site_id ORDER BY 1, 2""",
    "link references": """SELECT ps.name, ts.name, p.url, t.url FROM link_ref r
                          JOIN page p ON p.id = r.page_id JOIN site ps ON ps.id = p.site_id
                          JOIN link_target t ON t.id = r.target_id
                          JOIN site ts ON ts.id = t.site_id ORDER BY 1, 2, 3, 4""",
    "runs": """SELECT s.name, r.status, r.error, r.pages, r.posts_new, r.posts_removed,
                      r.columns_ok, r.columns_failed, r.columns_capped, r.home_read,
                      r.home_newest_item
               FROM crawl_run r JOIN site s ON s.id = r.site_id ORDER BY 1, r.id""",
    "problems": """SELECT s.name, p.type, p.url, p.target, p.detail, p.state FROM problem p
                   JOIN site s ON s.id = p.site_id ORDER BY 1, 2, 3, 4, 5""",
}


@pytest.fixture(scope="module")
def portals() -> Iterator[list[RunningPortal]]:
    portal = generate_portal(1)
    with ExitStack() as stack:
        yield [stack.enter_context(serve_portal(portal)) for _ in STEMS]


def site_name(running: RunningPortal, stem: str) -> str:
    return f"{running.portal.site_name}（{stem}）"


def write_directory(directory: Path, portals: list[RunningPortal],
                    scrapyd_url: str | None) -> Path:
    """A config directory of the three portals, on scrapyd at `scrapyd_url` when given."""
    directory.mkdir(parents=True)
    for stem, running in zip(STEMS, portals, strict=True):
        document = portal_config(running.portal, running.base_url)
        document["site"]["name"] = site_name(running, stem)
        document["evidence"] = {"enabled": False}
        if scrapyd_url is not None:
            document.setdefault("crawl", {}).update(backend="scrapyd", scrapyd_url=scrapyd_url)
        (directory / f"{stem}.yaml").write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


def database(directory: Path, given: str | None) -> str:
    return given or f"sqlite:///{directory / 'monitor.db'}"


def monitor(config: Path, db_url: str, running: RunningPortal,
            *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MONITOR_CONFIG=str(config), MONITOR_DB=db_url,
               MONITOR_NOW=running.portal.default_now.isoformat(), MONITOR_LANG="en")
    return subprocess.run([sys.executable, "-m", "monitor", *args], env=env,
                          capture_output=True, text=True, timeout=1800)


def succeeded(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def snapshot(db_url: str) -> dict[str, list[tuple]]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return {name: [tuple(row) for row in connection.execute(text(sql))]
                    for name, sql in SNAPSHOT_QUERIES.items()}
    finally:
        engine.dispose()


def by_unit(summary: dict) -> dict:
    return {**summary, "run": None,
            "units": sorted(summary["units"], key=lambda row: row["unit"])}


def test_three_portals_crawled_through_scrapyd_record_what_local_crawls_record(
        portals: list[RunningPortal], scrapyd_server: ScrapydServer,
        two_databases: tuple[str | None, str | None], tmp_path: Path) -> None:
    first = portals[0]
    for running in portals:
        running.set_now(running.portal.default_now)
    local = write_directory(tmp_path / "local", portals, None)
    remote = write_directory(tmp_path / "scrapyd", portals, scrapyd_server.url)
    local_db = database(tmp_path / "local", two_databases[0])
    remote_db = database(tmp_path / "scrapyd", two_databases[1])
    succeeded(monitor(local, local_db, first, "db", "upgrade"))
    succeeded(monitor(remote, remote_db, first, "db", "upgrade"))

    local_summaries = {
        site_name(running, stem): json.loads(succeeded(monitor(
            local, local_db, running, "crawl", "--portal", stem, "--json")))
        for stem, running in zip(STEMS, portals, strict=True)}
    started = time.time()
    remote_summaries = json.loads(succeeded(monitor(remote, remote_db, first, "crawl",
                                                    "--all", "--json")))

    assert sorted(remote_summaries) == sorted(local_summaries)
    for name, summary in local_summaries.items():
        assert by_unit(remote_summaries[name]) == by_unit(summary), name
    local_rows, remote_rows = snapshot(local_db), snapshot(remote_db)
    for name in SNAPSHOT_QUERIES:
        assert remote_rows[name] == local_rows[name], name
    # Each portal has its own rows, and a column's status is stored under its own portal.
    assert {row[0] for row in local_rows["posts"]} == set(local_summaries)
    assert {row[0] for row in local_rows["link verdicts"]} == set(local_summaries)
    assert all(row[0] == row[1] for row in remote_rows["column statuses"])
    assert all(row[0] == row[1] for row in remote_rows["link references"])
    # Three jobs ran on scrapyd, one per portal (their ids name the site), each from the
    # uploaded egg, each reporting its counts.
    logs = [path for path in (scrapyd_server.directory / "logs").rglob("*.log")
            if path.stat().st_mtime >= started]
    assert len({path.stem.partition("-")[0] for path in logs}) == len(STEMS), logs
    for path in logs:
        log = path.read_text(encoding="utf-8")
        assert "@counts " in log and "/eggs/portal-monitor/" in log, path

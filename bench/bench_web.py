"""Time every dashboard page over the large sample portal: 100 units, ~90,000 posts.

Run: .venv/bin/python bench/bench_web.py [--requests N] [--keep DIR]
The database is filled from the large portal's model (what a first crawl of it records:
every live post with its date, one finished run that read every column) and the rule
problems are refreshed once, as after a crawl. Then `monitor serve` runs as its own process
on 127.0.0.1 and each page is requested N times in a row by one logged-in client over
HTTP. The first request of each page is shown apart ("first"): it is the one that
computes the judgements the later ones are served from (see monitor/web/cache.py); the
overview's are computed while the server starts, and the bench waits for that.
Target: p95 < 200 ms for every page.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import insert, select

from monitor.app import App
from monitor.services.problems import refresh_rule_problems
from monitor.services.users import Role, add_user
from monitor.settings import Environment
from sampleportal import generate_portal
from sampleportal.configfile import write_config
from storage import migrations
from storage.models import Column, ColumnCrawl, CrawlRun, Post
from storage.sync import sync_config

BASE = "http://127.0.0.1:8000"
PASSWORD = "bench password"
BATCH = 20_000


def fill(directory: Path) -> tuple[dict[str, str], list[str], int]:
    """Config and database of the large portal as crawled; the environment to serve them."""
    portal = generate_portal(1, large=True)
    config = write_config(portal, BASE, directory / "portal.yaml")
    environment = {"MONITOR_CONFIG": str(config),
                   "MONITOR_DB": f"sqlite:///{directory / 'monitor.db'}",
                   "MONITOR_NOW": portal.default_now.isoformat()}
    application = App(environment=Environment.from_environ(environment))
    migrations.upgrade(application.engine)
    now = portal.default_now
    crawled = now - timedelta(hours=7)
    with application.sessions.begin() as session:
        site_id = sync_config(session, application.config).site_id
        ids = {url: id_ for url, id_ in session.execute(select(Column.url, Column.id))}
        run = CrawlRun(site_id=site_id, started_at=crawled - timedelta(minutes=9),
                       finished_at=crawled, trigger="cli", units=[], status="finished")
        session.add(run)
        session.flush()
        rows = []
        for unit_config, unit in zip(application.config.units, portal.units, strict=True):
            for column_config, column in zip(unit_config.columns, unit.columns, strict=True):
                column_id = ids[column_config.url]
                session.add(ColumnCrawl(run_id=run.id, column_id=column_id, outcome="ok",
                                        finished_at=crawled))
                rows += [{"column_id": column_id, "url": f"{column_config.url}p{post.id}.html",
                          "title": post.title, "date": post.claimed, "date_source": "list",
                          "first_seen": crawled, "last_seen": crawled,
                          "seen_on_first_crawl": True, "first_run_id": run.id}
                         for post in column.live_posts(now)]
        for start in range(0, len(rows), BATCH):
            session.execute(insert(Post), rows[start:start + BATCH])
    with application.sessions.begin() as session:
        refresh_rule_problems(session, application.config, crawled)
        add_user(session, application.config, "office", Role.OFFICE, None, PASSWORD, now)
    application.engine.dispose()
    return environment, [unit.name for unit in portal.units], len(rows)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(environment: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "serve", "--port", str(port)],
        env={**os.environ, **environment}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
            return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("monitor serve did not start")


def log_in(client: httpx.Client) -> None:
    page = client.get("/login").text
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    token = page[start:page.index('"', start)]
    response = client.post("/login", data={"username": "office", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 303, response.text


def timings(client: httpx.Client, path: str, requests: int) -> list[float]:
    found = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        found.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return found


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", type=Path, default=None,
                        help="Fill the database in this directory and keep it.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        directory = args.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        environment, units, posts = fill(directory)
        print(f"filled {len(units)} units, {posts:,} posts in "
              f"{time.perf_counter() - started:.1f} s")
        port = free_port()
        process = serve(environment, port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                              follow_redirects=False) as client:
                log_in(client)
                unit = quote(units[len(units) // 2])
                pages = ["/", f"/units/{unit}", "/problems", "/problems?state=all",
                         "/reports", "/runs", "/api/stats", f"/api/units/{unit}"]
                worst = 0.0
                started = time.perf_counter()
                client.get("/")
                print(f"overview ready {time.perf_counter() - started:.1f} s after the login")
                for path in pages:
                    first, *found = timings(client, path, args.requests + 1)
                    worst = max(worst, p95(found))
                    print(f"{path:<40} first {first * 1000:7.1f} ms  "
                          f"median {statistics.median(found) * 1000:7.1f} ms  "
                          f"p95 {p95(found) * 1000:7.1f} ms")
        finally:
            process.terminate()
            process.wait(timeout=10)
    verdict = "OK" if worst < 0.2 else "OVER TARGET"
    print(f"worst p95 {worst * 1000:.1f} ms [target < 200 ms: {verdict}]")


if __name__ == "__main__":
    main()

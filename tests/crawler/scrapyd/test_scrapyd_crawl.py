"""`monitor crawl` on `crawl.backend: scrapyd`, against a real scrapyd on 127.0.0.1: the
sample portal crawled through scrapyd leaves the database a local crawl leaves; a scrapyd
that is down, or a job that fails, is a clean error that accuses nobody."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from sampleportal import serve_portal
from sampleportal.model import Portal
from tests.crawler.scrapyd.conftest import ScrapydServer, free_port, use_scrapyd

pytestmark = pytest.mark.slow

# What a crawl leaves, keyed by what the two databases share (URLs and names, not ids).
SNAPSHOT_QUERIES = {
    "posts": """SELECT c.url, p.url, p.title, p.title_source, p.date, p.date_source,
                       p.article_fetched_at IS NOT NULL, p.removed_at
                FROM post p JOIN portal_column c ON c.id = p.column_id ORDER BY 1, 2""",
    "column statuses": """SELECT c.url, cc.outcome, cc.reason FROM column_crawl cc
                          JOIN portal_column c ON c.id = cc.column_id ORDER BY 1""",
    "columns": """SELECT url, first_crawled_at FROM portal_column ORDER BY 1""",
    "link verdicts": """SELECT url, kind, status, reason, last_checked_at
                        FROM link_target ORDER BY 1""",
    "link references": """SELECT p.url, t.url FROM link_ref r
                          JOIN page p ON p.id = r.page_id
                          JOIN link_target t ON t.id = r.target_id ORDER BY 1, 2""",
    "runs": """SELECT status, error, pages, posts_new, posts_removed, columns_ok,
                      columns_failed, columns_capped, home_read, home_newest_item
               FROM crawl_run ORDER BY id""",
    # Not the key: it holds row ids, which differ with the order of concurrent writes.
    "problems": """SELECT type, url, target, detail, state FROM problem
                   ORDER BY 1, 2, 3, 4""",
}


def workspace_in(factory, running, directory: Path, db_url: str | None = None):
    """A crawl workspace in `directory`, on its own SQLite file or on `db_url`."""
    directory.mkdir(parents=True)
    workspace = factory(running, directory, evidence=False)
    if db_url is not None:
        workspace.db_url = db_url
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"],
                       env=workspace.env(), check=True, capture_output=True)
    return workspace


def by_unit(summary: dict) -> dict:
    return {**summary, "run": None,
            "units": sorted(summary["units"], key=lambda row: row["unit"])}


def snapshot(workspace) -> dict[str, list[tuple]]:
    engine = create_engine(workspace.db_url)
    try:
        with engine.connect() as connection:
            return {name: [tuple(row) for row in connection.execute(text(sql))]
                    for name, sql in SNAPSHOT_QUERIES.items()}
    finally:
        engine.dispose()


def crawl_failing(workspace, now) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "crawl"], env=workspace.env(now),
                          capture_output=True, text=True, timeout=600)


def test_a_crawl_through_scrapyd_records_what_a_local_crawl_records(
        sample_portal: Portal, crawl_workspace, scrapyd_server: ScrapydServer,
        two_databases: tuple[str | None, str | None], tmp_path: Path) -> None:
    now = sample_portal.default_now
    started = time.time()
    local_db, remote_db = two_databases
    with serve_portal(sample_portal) as running:
        local = workspace_in(crawl_workspace, running, tmp_path / "local", local_db)
        remote = workspace_in(crawl_workspace, running, tmp_path / "scrapyd", remote_db)
        use_scrapyd(remote.config, scrapyd_server.url)

        local_summary = local.crawl(now)
        remote_summary = remote.crawl(now)

    # Units are listed in the order their columns ended, which concurrency varies.
    assert by_unit(remote_summary) == by_unit(local_summary)
    local_rows, remote_rows = snapshot(local), snapshot(remote)
    for name in SNAPSHOT_QUERIES:
        assert remote_rows[name] == local_rows[name], name
    assert local_rows["posts"] and local_rows["link verdicts"]
    # The job really ran on scrapyd, from the uploaded egg: its log says so, and holds the
    # counts it reported.
    [log] = [path.read_text(encoding="utf-8")
             for path in (scrapyd_server.directory / "logs").rglob("*.log")
             if path.stat().st_mtime >= started]
    assert "@counts " in log
    assert re.search(r"read from \S+/eggs/portal-monitor/\S+\.egg/crawler/spiders/", log), log


def test_a_scrapyd_that_is_down_is_one_clean_error_and_opens_no_run(
        sample_portal: Portal, crawl_workspace, tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}/"
    with serve_portal(sample_portal) as running:
        workspace = crawl_workspace(running, tmp_path, evidence=False)
        use_scrapyd(workspace.config, down)
        done = crawl_failing(workspace, sample_portal.default_now)

    assert done.returncode == 1
    assert f"无法连接 {down} 的 scrapyd" in done.stderr
    assert "Traceback" not in done.stderr
    assert workspace.query("SELECT count(*) FROM crawl_run") == [(0,)]
    assert workspace.query("SELECT count(*) FROM problem") == [(0,)]


def test_a_failed_job_fails_the_run_and_accuses_no_unit(
        sample_portal: Portal, crawl_workspace, scrapyd_factory, tmp_path: Path) -> None:
    # The job machine's MONITOR_DB names another database than the run's: the job refuses
    # to write there and ends without its counts.
    other = tmp_path / "other.db"
    subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], check=True,
                   capture_output=True, env={"PATH": "/usr/bin:/bin",
                                             "MONITOR_DB": f"sqlite:///{other}"})
    server = scrapyd_factory({"MONITOR_DB": f"sqlite:///{other}"})
    with serve_portal(sample_portal) as running:
        workspace = workspace_in(crawl_workspace, running, tmp_path / "portal")
        use_scrapyd(workspace.config, server.url)
        done = crawl_failing(workspace, sample_portal.default_now)

    assert done.returncode == 1
    assert "未完成采集即结束" in done.stderr
    assert "is not running in the job's database" in done.stderr
    assert "Traceback" not in done.stderr
    [(status, error)] = workspace.query("SELECT status, error FROM crawl_run")
    assert status == "failed" and "scrapyd 任务" in error
    outcomes = {outcome for (outcome,) in workspace.query("SELECT outcome FROM column_crawl")}
    assert outcomes == {"not_reached"}
    assert workspace.query("SELECT count(*) FROM problem") == [(0,)]
    assert workspace.query("SELECT count(*) FROM post") == [(0,)]


def test_workers_on_scrapyd_are_refused_before_anything_runs(
        sample_portal: Portal, crawl_workspace, tmp_path: Path) -> None:
    with serve_portal(sample_portal) as running:
        workspace = workspace_in(crawl_workspace, running, tmp_path / "portal")
        use_scrapyd(workspace.config, f"http://127.0.0.1:{free_port()}/")
        done = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--workers", "2"],
                              env=workspace.env(sample_portal.default_now),
                              capture_output=True, text=True, timeout=120)

    assert done.returncode == 1
    assert "--workers 只适用于 crawl.backend: local" in done.stderr
    assert "Traceback" not in done.stderr
    assert workspace.query("SELECT count(*) FROM crawl_run") == [(0,)]


def test_sigterm_while_the_job_runs_cancels_it_and_records_the_run_as_interrupted(
        sample_portal: Portal, crawl_workspace, scrapyd_server: ScrapydServer,
        tmp_path: Path) -> None:
    now = sample_portal.default_now
    # Slow answers, so the job is still reading when the signal comes.
    with serve_portal(sample_portal, latency_seconds=0.05) as running:
        workspace = workspace_in(crawl_workspace, running, tmp_path / "portal")
        use_scrapyd(workspace.config, scrapyd_server.url)
        crawl = workspace.start_crawl(now)
        deadline = time.monotonic() + 120
        while workspace.query("SELECT count(*) FROM column_crawl")[0][0] < 3:
            assert crawl.poll() is None and time.monotonic() < deadline, crawl.stderr.read()
            time.sleep(0.2)
        crawl.send_signal(signal.SIGTERM)
        _out, err = crawl.communicate(timeout=180)

    assert crawl.returncode == 1
    assert err.strip().splitlines()[-1].startswith("错误：采集被 SIGTERM 中断")
    [(status,)] = workspace.query("SELECT status FROM crawl_run")
    assert status == "interrupted"
    outcomes = dict(workspace.query(
        "SELECT outcome, count(*) FROM column_crawl GROUP BY outcome"))
    assert outcomes.get("not_reached", 0) > 0
    assert workspace.query("SELECT count(*) FROM problem") == [(0,)]
    # The job was cancelled and has ended: nothing of it runs on.
    jobs = httpx.get(scrapyd_server.url + "listjobs.json").json()
    assert jobs["running"] == [] and jobs["pending"] == []

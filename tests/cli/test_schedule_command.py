from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import Result

from monitor.scheduler.jobs import DEFINITIONS
from storage.models import ProbeResult, SchedulerLock
from storage.session import session_factory

REPO = Path(__file__).resolve().parents[2]

CONFIG = """\
site: {{name: 瑞河县人民政府门户网站, url: "{url}"}}
schedule:
  crawl: {{enabled: false}}
  link_recheck: {{enabled: false}}
  probe: {{every_seconds: 1}}
  due_soon_reminders: {{enabled: false}}
  weekly_alerts: {{enabled: false}}
  outbox: {{enabled: false}}
  monthly_report: {{enabled: false}}
  lock_stale_seconds: 60
units:
  - name: 县水利局
    group: 县直单位
    columns:
      - {{name: 工作动态, url: "{url}slj/gzdt/", category: dynamics}}
"""


@pytest.fixture
def home_page() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = b"<html><title>home</title></html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def scheduler_command(config: Path, database_url: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "schedule", "--config", str(config),
            "--db", database_url]


def clean_environment() -> dict[str, str]:
    """No MONITOR_* setting of the caller's, and the job output in English, as the test reads
    it (like the other command tests, `cli_language`)."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith("MONITOR_")}
    return inherited | {"MONITOR_LANG": "en"}


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def probes_stored(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(ProbeResult)) or 0


@pytest.mark.slow
def test_scheduler_runs_a_job_in_a_child_refuses_a_second_one_and_stops_on_sigterm(
    engine: Engine, database_url: str, home_page: str, tmp_path: Path,
    run_cli: Callable[..., Result],
) -> None:
    config = tmp_path / "portal.yaml"
    config.write_text(CONFIG.format(url=home_page), encoding="utf-8")
    log_path = tmp_path / "scheduler.log"
    with log_path.open("w", encoding="utf-8") as log:
        first = subprocess.Popen(scheduler_command(config, database_url), cwd=REPO,
                                 env=clean_environment(), stdout=subprocess.DEVNULL, stderr=log)
        try:
            assert wait_for(lambda: probes_stored(engine) >= 1, 60), log_path.read_text()
            assert wait_for(lambda: "job probe finished" in log_path.read_text(), 30)

            second = subprocess.run(scheduler_command(config, database_url), cwd=REPO,
                                    env=clean_environment(), capture_output=True, text=True,
                                    timeout=120)
            assert second.returncode == 1
            assert re.fullmatch(
                r"error: another scheduler \(\S+\) already runs against this database, last "
                r"heartbeat \d+ s ago; stop it first \(a scheduler that died is taken over "
                r"after 60 s\)\n", second.stderr)
            assert first.poll() is None  # the refused one did not disturb the running one

            first.send_signal(signal.SIGTERM)
            assert first.wait(timeout=60) == 0
        finally:
            if first.poll() is None:
                first.kill()
    text = log_path.read_text(encoding="utf-8")
    started = re.search(r"job probe started: monitor probe \(pid (\d+)", text)
    assert started is not None and int(started[1]) != first.pid
    assert re.search(rf"job probe finished in [\d.]+ s \(pid {started[1]}\): 1 pages probed", text)
    assert "received SIGTERM, stopping" in text
    assert text.rstrip().endswith("scheduler stopped")
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(SchedulerLock)) == 0

    listed = run_cli("schedule", "--list", "--json", "--config", str(config), "--db",
                     database_url)
    assert listed.exit_code == 0
    jobs = {job["job"]: job for job in json.loads(listed.stdout)}
    assert jobs["probe"] | {"next_run": None} == {
        "job": "probe", "description": "availability probe of the home and key pages",
        "enabled": True, "trigger": "every 1 s", "next_run": None,
        "stored": True}
    assert jobs["crawl"]["enabled"] is False and jobs["crawl"]["next_run"] is None


def test_schedule_list_shows_the_default_jobs_before_the_first_run(
    engine: Engine, database_url: str, run_cli: Callable[..., Result]
) -> None:
    sample = str(REPO / "config" / "sample.yaml")
    result = run_cli("schedule", "--list", "--config", sample, "--db", database_url)
    assert result.exit_code == 0
    for job, when in (("crawl", "cron 0 2 * * *"), ("weekly_alerts", "cron 30 8 * * mon"),
                      ("probe", "every 1800 s")):
        assert re.search(rf"{job}\s.*{re.escape(when)}", result.stdout), result.stdout


def test_schedule_list_shows_every_job_including_the_link_recheck(
    engine: Engine, database_url: str, run_cli: Callable[..., Result]
) -> None:
    sample = str(REPO / "config" / "sample.yaml")
    listed = run_cli("schedule", "--list", "--json", "--config", sample, "--db", database_url)
    assert listed.exit_code == 0
    jobs = {job["job"]: job for job in json.loads(listed.stdout)}
    assert set(jobs) == {definition.name for definition in DEFINITIONS}
    assert jobs["link_recheck"]["trigger"] == "cron 0 4 * * *"

"""`monitor demo` end to end on the sample portal (shortened to one replayed night)."""

from __future__ import annotations

import email
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from monitor.demo import (
    DemoPlan,
    DemoStep,
    crawl_steps,
    run_demo,
    units_behind,
)
from monitor.errors import MonitorError

pytestmark = pytest.mark.slow  # a crawl of the sample portal or a whole run

REPORT_SUFFIXES = {".docx", ".xlsx", ".md", ".html"}


def portal_is_listening(config: Path) -> bool:
    url = urlsplit(yaml.safe_load(config.read_text(encoding="utf-8"))["site"]["url"])
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex((url.hostname, url.port)) == 0


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    out_dir = tmp_path_factory.mktemp("demo") / "out"
    process = subprocess.run(
        [sys.executable, "-m", "monitor", "demo", "--out", str(out_dir), "--nights", "1"],
        capture_output=True, text=True, timeout=900)
    return process, out_dir


def test_demo_exits_0_and_prints_a_summary(demo_run) -> None:
    process, _ = demo_run
    assert process.returncode == 0, process.stderr[-3000:]
    # In the office's language, the default (SPEC §9).
    assert "未达标单位" in process.stdout
    assert "未整改问题" in process.stdout


def test_demo_check_output_judges_the_unit_at_the_morning_after(demo_run) -> None:
    _, out_dir = demo_run
    document = json.loads((out_dir / "check" / "县水利局.json").read_text(encoding="utf-8"))
    assert document["unit"] == "县水利局"
    assert document["as_of"] == "2024-04-25"
    assert {column["name"] for column in document["columns"]} >= {"工作动态"}
    assert "县水利局" in (out_dir / "check" / "县水利局.txt").read_text(encoding="utf-8")


def test_each_step_log_holds_what_the_step_printed(demo_run) -> None:
    _, out_dir = demo_run
    logs = out_dir / "logs"
    assert "县水利局" in (logs / "check.log").read_text(encoding="utf-8")
    assert '"columns"' in (logs / "check-json.log").read_text(encoding="utf-8")
    assert all(path.stat().st_size > 0 for path in logs.glob("*.log"))


def test_demo_writes_weekly_alerts_as_eml_files_addressed_to_units_and_office(demo_run) -> None:
    _, out_dir = demo_run
    files = sorted((out_dir / "alerts").glob("*.eml"))
    assert files
    messages = [email.message_from_bytes(path.read_bytes()) for path in files]
    recipients = {message["To"] for message in messages}
    assert any("gkb@example.gov.cn" in to for to in recipients)
    assert all(message["Subject"] for message in messages)


def test_demo_records_the_first_crawl_and_the_replayed_night(demo_run) -> None:
    _, out_dir = demo_run
    first = json.loads((out_dir / "crawls" / "night-00.json").read_text(encoding="utf-8"))
    night = json.loads((out_dir / "crawls" / "night-01.json").read_text(encoding="utf-8"))
    assert first["posts_new"] > 100
    assert first["columns_failed"] == 0
    assert night["posts_new"] < first["posts_new"]


def test_demo_writes_the_monthly_report_in_four_formats(demo_run) -> None:
    process, out_dir = demo_run
    suffixes = {path.suffix for path in (out_dir / "report").rglob("*.*")}
    assert suffixes >= REPORT_SUFFIXES


def test_demo_stops_the_sample_portal(demo_run) -> None:
    _, out_dir = demo_run
    assert not portal_is_listening(out_dir / "portal.yaml")


class _Silent:
    def begin(self, total: int) -> None:
        pass

    def step_started(self, step: DemoStep) -> None:
        pass

    def step_finished(self, step: DemoStep) -> None:
        pass


def test_a_failing_step_is_an_error_and_the_portal_is_stopped(tmp_path: Path) -> None:
    plan = DemoPlan(out_dir=tmp_path / "out", nights=0, unit="没有这个单位")
    with pytest.raises(MonitorError, match="check"):
        run_demo(plan, _Silent())
    assert not portal_is_listening(plan.out_dir / "portal.yaml")
    assert "没有这个单位" in (plan.out_dir / "logs" / "check.log").read_text(encoding="utf-8")


def test_nights_follow_the_first_crawl_one_day_apart(tmp_path: Path) -> None:
    steps = crawl_steps(DemoPlan(out_dir=tmp_path, nights=3))
    assert [step.now.day for step in steps] == [24, 25, 26, 27]
    assert steps[-1].output == tmp_path / "crawls" / "night-03.json"


def test_units_behind_are_those_with_column_problems_not_link_problems() -> None:
    problems = [
        {"type": "overdue_column", "unit": "青石镇"},
        {"type": "stale_national", "unit": "县财政局"},
        {"type": "broken_link", "unit": "县水利局"},
        {"type": "broken_link", "unit": None},
    ]
    assert units_behind(problems) == ("县财政局", "青石镇")


def session_members(session_id: int) -> list[int]:
    """Live (non-zombie) processes of a session, from /proc."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        state, session = fields[0], int(fields[3])
        if session == session_id and state != "Z":
            members.append(int(stat.parent.name))
    return members


def test_terminating_the_demo_mid_crawl_stops_the_crawl_and_the_portal(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor", "demo", "--out", str(out_dir), "--nights", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        started = out_dir / "logs" / "crawl-00.log"
        for _ in range(600):  # wait for the first crawl to start, at most about a minute
            if started.exists():
                break
            time.sleep(0.1)
        assert started.exists()
        process.terminate()
        assert process.wait(timeout=60) == 130
        assert session_members(process.pid) == []
        assert not portal_is_listening(out_dir / "portal.yaml")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_demo_ends_with_how_to_open_the_dashboard_on_its_data(demo_run) -> None:
    process, out_dir = demo_run
    lines = process.stdout.splitlines()
    start = lines.index("监测平台：如需在浏览器中查看这些数据，请运行")
    command, login = lines[start + 1].strip(), lines[start + 2].strip()
    assert f"MONITOR_CONFIG={out_dir / 'portal.yaml'}" in command
    assert f"MONITOR_DB=sqlite:///{(out_dir / 'monitor.db').resolve()}" in command
    assert "MONITOR_NOW=2024-04-25T08:30:00+08:00" in command
    assert command.endswith("monitor serve")
    assert login.startswith("然后打开 http://127.0.0.1:8080/ ，以demo登录")
    users = subprocess.run(
        [sys.executable, "-m", "monitor", "users", "list", "--config",
         str(out_dir / "portal.yaml"), "--db", f"sqlite:///{(out_dir / 'monitor.db').resolve()}"],
        capture_output=True, text=True, check=True)
    assert "demo" in users.stdout and "政务公开办" in users.stdout

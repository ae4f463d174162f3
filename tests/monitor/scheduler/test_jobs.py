from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

import pytest
import typer
import typer.main
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from typer.core import TyperGroup

from monitor.cli import app
from monitor.clock import SHANGHAI
from monitor.config import PortalConfig, load_config
from monitor.errors import ConfigError
from monitor.scheduler.jobs import (
    DEFINITIONS,
    command_for,
    command_words,
    planned_jobs,
    previous_month,
    run_job,
)

UNITS = [{"name": "县水利局", "group": "县直单位", "columns": [
    {"name": "工作动态", "url": "http://127.0.0.1:8000/slj/gzdt/", "category": "dynamics"}]}]


def config(schedule: dict[str, object]) -> PortalConfig:
    return PortalConfig.model_validate({
        "site": {"name": "瑞河县人民政府门户网站", "url": "http://127.0.0.1:8000/"},
        "schedule": schedule, "units": UNITS})


def test_monthly_report_on_the_first_of_january_is_for_december() -> None:
    assert previous_month(date(2025, 1, 1)) == "2024-12"
    assert command_for("monthly_report", date(2024, 6, 1), "out") == [
        "report", "monthly", "--month", "2024-05", "--out", "out"]


def test_default_triggers_match_the_office_routine() -> None:
    jobs = {job.name: job for job in planned_jobs(config({}), Path("c.yaml"), "sqlite://")}
    now = datetime(2024, 5, 6, 9, 0, tzinfo=SHANGHAI)  # a Monday
    nxt = {name: job.trigger.get_next_fire_time(None, now) for name, job in jobs.items()}
    assert nxt["crawl"] == datetime(2024, 5, 7, 2, 0, tzinfo=SHANGHAI)
    assert nxt["due_soon_reminders"] == datetime(2024, 5, 9, 15, 0, tzinfo=SHANGHAI)
    assert nxt["weekly_alerts"] == datetime(2024, 5, 13, 8, 30, tzinfo=SHANGHAI)
    assert nxt["monthly_report"] == datetime(2024, 6, 1, 7, 0, tzinfo=SHANGHAI)
    assert isinstance(jobs["probe"].trigger, IntervalTrigger)
    assert jobs["probe"].trigger.interval.total_seconds() == 1800
    assert all(job.enabled for job in jobs.values())


def test_each_job_takes_its_own_trigger_or_is_disabled() -> None:
    jobs = {job.name: job for job in planned_jobs(
        config({"crawl": {"cron": "15 3 * * sat"}, "probe": {"every_seconds": 2},
                "monthly_report": {"enabled": False}}),
        Path("c.yaml"), "sqlite://")}
    assert isinstance(jobs["crawl"].trigger, CronTrigger)
    assert jobs["crawl"].when == "cron 15 3 * * sat"
    assert jobs["probe"].when == "every 2 s"
    assert not jobs["monthly_report"].enabled
    assert jobs["crawl"].args[0] == "crawl" and jobs["crawl"].args[2] == "sqlite://"


def cli_command(words: list[str]) -> object | None:
    """The command `monitor WORDS` names, or None (resolved the way the CLI loads them)."""
    command: object = typer.main.get_command(app)
    for word in words:
        if not isinstance(command, TyperGroup):
            return None
        command = command.get_command(typer.Context(command), word)
        if command is None:
            return None
    return command


@pytest.mark.parametrize("job", [definition.name for definition in DEFINITIONS])
def test_every_job_runs_a_command_of_the_cli(job: str) -> None:
    # The scheduler knows its jobs from its own registry, not by asking the CLI (layers):
    # this test is what keeps the two in step.
    assert cli_command(command_words(job)) is not None


def test_a_command_the_cli_lacks_is_found_missing() -> None:
    assert cli_command(["alerts", "no-such-thing"]) is None
    assert cli_command(["no-such-command"]) is None


def test_a_run_with_an_invalid_config_is_logged_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "portal.yaml"
    broken.write_text("site: {name: x}\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="monitor.scheduler"):
        run_job("probe", str(broken), f"sqlite:///{tmp_path}/m.db")
    [record] = caplog.records
    assert record.getMessage().startswith(f"job probe not run: {broken}:1 site.url:")


def test_a_numeric_weekday_in_a_job_cron_is_an_error_naming_the_line(tmp_path: Path) -> None:
    # APScheduler counts weekdays from Monday = 0, crontab from Sunday = 0: names only.
    path = tmp_path / "portal.yaml"
    path.write_text(
        'site: {name: 瑞河县, url: "http://127.0.0.1:8000/"}\n'
        "schedule:\n"
        '  weekly_alerts: {cron: "30 8 * * 1"}\n'
        "  probe: {cron: \"*/30 * * * *\", every_seconds: 60}\n"
        "units:\n"
        "  - name: 县水利局\n"
        "    group: 县直单位\n"
        '    columns: [{name: 工作动态, url: "http://127.0.0.1:8000/a/", category: dynamics}]\n',
        encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.problems == [
        f"{path}:3 schedule.weekly_alerts.cron: “30 8 * * 1”：星期请用名称（mon、tue … sun），"
        "不要用数字",
        f"{path}:4 schedule.probe: cron 和 every_seconds 不能同时使用：请选一个",
    ]

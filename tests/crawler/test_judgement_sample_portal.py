"""One judgement on the real sample portal, replayed night after night over the 调休 Sunday
2024-04-28 and the Monday after (SPEC §4.3, §4.4): for every unit, `check --json`, the
weekly alert's column facts, the 月报's week grid and `stats` agree, and a week is missed only once
its Sunday is over.

Each night is crawled with the real `monitor crawl`, so every judgement stands on what the
portal showed that night.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.alerts.facts import UnitFacts
from monitor.alerts.gather import gather_week
from monitor.cli import app
from monitor.config import load_config
from monitor.rules.periods import Period
from monitor.services.reports import weekly_results
from sampleportal import serve_portal
from sampleportal.model import Portal
from storage.queries import site_id_of
from storage.session import create_db_engine, session_factory

NIGHTS = ("2024-04-26", "2024-04-28", "2024-04-29", "2024-05-06")
SUNDAY, MONDAY = date(2024, 4, 28), date(2024, 4, 29)
WEEK_OF_APRIL_22 = "2024-04-22"

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def night(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T02:00:00+08:00")


@dataclass
class Judged:
    """What `check --json`, the alert and the 月报's grid said of each unit on one night."""

    checks: dict[str, dict]
    alerts: dict[str, UnitFacts]
    grid: dict[str, tuple[str, ...]]
    stats: dict[str, dict]


def judged_on(workspace, day: str) -> Judged:
    config = load_config(workspace.config)
    as_of = date.fromisoformat(day)
    month = Period.month(as_of.year, as_of.month)
    checks = {}
    for unit in config.unit_names():
        result = CliRunner().invoke(
            app, ["check", "--unit", unit, "--no-crawl", "--json", "--from",
                  month.start.isoformat(), "--to", day], env=workspace.env(night(day)),
            catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        checks[unit] = json.loads(result.stdout)
    stats = CliRunner().invoke(
        app, ["stats", "--json", "--from", month.start.isoformat(), "--to", day, "--as-of", day],
        env=workspace.env(night(day)), catch_exceptions=False)
    assert stats.exit_code == 0, stats.stderr
    engine = create_db_engine(workspace.db_url)
    try:
        with session_factory(engine)() as session:
            site_id = site_id_of(session, config.site.url)
            assert site_id is not None
            week = gather_week(session, config, site_id, as_of)
            grid = weekly_results(session, config, month, as_of)
    finally:
        engine.dispose()
    return Judged(
        checks,
        {unit.name: unit for unit in week.units},
        {unit: tuple(monday.isoformat() for monday in result.missed)
         for unit, result in grid.items()},
        {row["unit"]: row for row in json.loads(stats.stdout)},
    )


@pytest.fixture(scope="module")
def replayed(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory,
             crawl_workspace) -> Iterator[tuple[object, dict[str, Judged]]]:
    nights: dict[str, Judged] = {}
    with serve_portal(sample_portal, now=night(NIGHTS[0])) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("replayed"))
        for day in NIGHTS:
            workspace.crawl(night(day))
            nights[day] = judged_on(workspace, day)
    yield workspace, nights


def _lag_facts(unit: UnitFacts) -> set[tuple]:
    return {(lag.column, lag.status.value, _day(lag.last_post), _day(lag.due))
            for lag in (*unit.overdue, *unit.due_soon)}


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _behind_columns(document: dict) -> set[tuple]:
    return {(c["name"], c["status"], c["last_post"], c["due"]) for c in document["columns"]
            if c["status"] in ("overdue", "empty", "due_soon")}


@pytest.mark.parametrize("day", NIGHTS)
def test_check_the_alert_and_the_week_grid_agree_for_every_unit(replayed, day: str) -> None:
    _, nights = replayed
    judged = nights[day]
    assert judged.checks
    for unit, document in judged.checks.items():
        alert = judged.alerts[unit]
        assert _behind_columns(document) == _lag_facts(alert), (day, unit)
        missed = tuple(document["weekly"]["missed_weeks"])
        assert tuple(monday.isoformat() for monday in alert.missed_this_month) == (
            missed if unit in judged.grid else ()), (day, unit)
        if unit in judged.grid:
            assert judged.grid[unit] == missed, (day, unit)
            assert judged.stats[unit]["weekly"] == {
                "weeks": document["weekly"]["weeks"], "missed": len(missed)}, (day, unit)


def test_on_the_make_up_sunday_the_week_of_april_22_is_still_current(replayed) -> None:
    _, nights = replayed
    for unit, document in nights[SUNDAY.isoformat()].checks.items():
        assert WEEK_OF_APRIL_22 not in document["weekly"]["missed_weeks"], unit
        for column in document["columns"]:
            if column["cycle"] == "weekly":
                # Due on the Sunday itself at the latest, never overdue for it yet.
                assert (column["status"], column["due"]) != ("overdue", "2024-04-28"), unit


def test_on_the_monday_after_the_week_of_april_22_is_missed_where_nothing_was_posted(
    replayed,
) -> None:
    _, nights = replayed
    sunday, monday = nights[SUNDAY.isoformat()], nights[MONDAY.isoformat()]
    missed_on_monday = 0
    for unit, document in monday.checks.items():
        weekly = [c for c in document["columns"] if c["cycle"] == "weekly"
                  and c["category"] == "dynamics"]
        if not weekly:
            continue
        current_on_sunday = {c["name"]: c for c in sunday.checks[unit]["columns"]}
        posted_that_week = any(
            c["last_post"] is not None and c["last_post"] >= WEEK_OF_APRIL_22 for c in weekly)
        if posted_that_week:
            continue
        missed_on_monday += 1
        assert WEEK_OF_APRIL_22 in document["weekly"]["missed_weeks"], unit
        for column in weekly:
            assert column["status"] in ("overdue", "empty"), (unit, column["name"])
            on_sunday = current_on_sunday[column["name"]]["status"]
            assert on_sunday in ("due_soon", "overdue", "empty"), unit
    assert missed_on_monday > 0  # the sample portal has units that missed that week


def test_the_april_report_dates_the_misses_on_the_monday(replayed, tmp_path: Path) -> None:
    workspace, _ = replayed
    result = CliRunner().invoke(
        app, ["report", "monthly", "--month", "2024-04", "--format", "md", "--out",
              str(tmp_path)], env=workspace.env(night("2024-05-06")), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    [report] = tmp_path.glob("*.md")
    clauses = re.split(r"[；。\n]", report.read_text(encoding="utf-8"))
    overdue = [clause for clause in clauses if "出现逾期" in clause]
    assert any("4月29日" in clause for clause in overdue)
    assert not [clause for clause in overdue if "4月28日" in clause]

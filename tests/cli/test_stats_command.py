"""`monitor stats`: the SPEC §5 list, the table and bad options."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import Result

from monitor.config import load_config
from storage import migrations
from storage.models import Column, Post
from storage.session import create_db_engine, session_factory
from storage.sync import sync_config

SITE = "http://127.0.0.1:8000/"
CONFIG = f"""\
site: {{name: 瑞河县人民政府门户网站, url: "{SITE}"}}
units:
  - name: 县水利局
    group: 县直单位
    annual_target: 450
    columns:
      - {{name: 工作动态, url: "{SITE}slj/gzdt/", category: dynamics, cycle: weekly}}
      - {{name: 通知公告, url: "{SITE}slj/tzgg/", category: notice, cycle: monthly}}
  - name: 青石镇
    group: 乡镇
    annual_target: 4
    columns:
      - {{name: 乡镇动态, url: "{SITE}qsz/xzdt/", category: dynamics, cycle: weekly}}
"""
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
SEEN = datetime.fromisoformat("2024-05-01T02:00:00+08:00")
POSTS = [("slj/gzdt/", date(2024, 4, 3)), ("slj/gzdt/", date(2024, 4, 24)),
         ("slj/tzgg/", date(2024, 4, 25)), ("slj/tzgg/", date(2024, 3, 1)),
         ("qsz/xzdt/", date(2024, 5, 7)), ("qsz/xzdt/", date(2024, 2, 1))]


@pytest.fixture
def recorded(tmp_path: Path, database_url: str) -> list[str]:
    path = tmp_path / "portal.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    engine = create_db_engine(database_url)
    migrations.upgrade(engine)
    with session_factory(engine).begin() as session:
        sync_config(session, load_config(path))
        columns = {c.url.removeprefix(SITE): c.id for c in session.scalars(select(Column))}
        for number, (column, day) in enumerate(POSTS):
            session.add(Post(column_id=columns[column], url=f"{SITE}{column}{number}.html",
                             title="标题", date=day, first_seen=SEEN, last_seen=SEEN))
    engine.dispose()
    return ["--config", str(path), "--db", database_url]


def test_stats_json_is_one_object_per_unit_in_the_spec_shape(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("stats", "--from", "2024-04-01", "--to", "2024-04-30", "--json", *recorded,
                     env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"unit": "县水利局", "group": "县直单位", "annual_target": 450,
         "period": {"from": "2024-04-01", "to": "2024-04-30", "dynamics": 2, "disclosure": 1,
                    "total": 3},
         "ytd": {"dynamics": 2, "disclosure": 2, "total": 4},
         "weekly": {"weeks": 5, "missed": 3},
         "completion": 0.89, "rank_in_group": 1, "rank": 2, "warnings": []},
        {"unit": "青石镇", "group": "乡镇", "annual_target": 4,
         "period": {"from": "2024-04-01", "to": "2024-04-30", "dynamics": 0, "disclosure": 0,
                    "total": 0},
         "ytd": {"dynamics": 1, "disclosure": 0, "total": 1},
         "weekly": {"weeks": 5, "missed": 5},
         "completion": 25.0, "rank_in_group": 1, "rank": 1, "warnings": []},
    ]


def test_stats_defaults_to_this_month_up_to_now(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("stats", "--json", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    township = json.loads(result.stdout)[1]
    assert township["period"] == {"from": "2024-05-01", "to": "2024-05-10", "dynamics": 1,
                                  "disclosure": 0, "total": 1}
    assert township["ytd"]["total"] == 2


def test_stats_table_lists_every_unit(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("stats", "--as-of", "2024-04-30", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert "Figures 2024-04-01 to 2024-04-30 (as of 2024-04-30)" in result.stdout
    assert "县水利局" in result.stdout and "青石镇" in result.stdout


def test_stats_bad_as_of_exits_1(run_cli: Callable[..., Result], recorded: list[str]) -> None:
    result = run_cli("stats", "--as-of", "2024-4-1", *recorded, env=NOW)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --as-of: '2024-4-1' is not a date; expected YYYY-MM-DD, e.g. 2024-05-10\n")


def test_stats_in_an_unknown_year_warns(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("stats", "--as-of", "2027-06-30", "--json", *recorded, env=NOW)
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: 2027: the official holiday calendar is not known")
    assert json.loads(result.stdout)[0]["warnings"][0].startswith("2027:")

"""`monitor check`: exit codes, messages, the exact JSON shape and the table."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import Result

from monitor.domain import ProblemType
from monitor.i18n import speaking
from monitor.labels import problem_label

SITE = "http://127.0.0.1:8000/"  # the site of every portal the conftest writes
UNITS = [
    {"name": "县水利局", "group": "县直单位", "aliases": ["水利局"], "annual_target": 450,
     "columns": ["slj/gzdt/", "slj/tzgg/"]},
    {"name": "县卫生健康委员会", "group": "县直单位", "aliases": ["卫健委"],
     "columns": ["wjw/gzdt/"]},
]
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+08:00")


def spec_example(portal) -> None:
    """The SPEC §5 example: 工作动态 posted every Wednesday but one up to 10 April, then
    19 April; 通知公告 on 2 April; the notices column failed on the last crawl."""
    days = [date(2024, 1, 3) + timedelta(weeks=n) for n in range(15)]
    days = [d for d in days if d != date(2024, 2, 14)] + [date(2024, 4, 19)]
    posts = [("slj/gzdt/", day) for day in days] + [("slj/tzgg/", date(2024, 4, 2))]
    for number, (column, day) in enumerate(posts):
        portal.post(column, number, day, at("2024-04-20 02:00"), date_source="list",
                    seen_on_first_crawl=True)
    portal.crawl(at("2024-05-10 02:00"), unreachable={"slj/tzgg/": "HTTP 503"})


@pytest.fixture
def recorded(record_portal: Callable[..., list[str]]) -> list[str]:
    return record_portal(UNITS, spec_example)


# The details are worded in the office's language; the keys are SPEC §5's.
@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_check_json_has_exactly_the_spec_shape(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "--unit", "水利局", "--no-crawl", "--json", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "unit": "县水利局",
        "as_of": "2024-05-10",
        "columns": [
            {"name": "工作动态", "category": "dynamics", "url": f"{SITE}slj/gzdt/",
             "cycle": "weekly", "posts": 15, "last_post": "2024-04-19", "status": "overdue",
             "stale": True, "due": "2024-04-28",
             "stale_reason": "最近发布2024-04-19，已21天未更新（动态类栏目不超过14天）",
             "unreachable_reason": None},
            {"name": "通知公告", "category": "notice", "url": f"{SITE}slj/tzgg/",
             "cycle": "monthly", "posts": 1, "last_post": "2024-04-02", "status": "unreachable",
             "stale": False, "due": "2024-05-31", "stale_reason": None,
             "unreachable_reason": "最近一次抓取无法访问栏目：服务器出错（HTTP 503）"},
        ],
        "weekly": {"from": "2024-01-01", "to": "2024-05-10", "weeks": 18, "missed": 3,
                   "missed_weeks": ["2024-02-12", "2024-04-22", "2024-04-29"]},
        "problems": [
            {"id": 1, "type": "overdue_column", "column": "工作动态", "url": f"{SITE}slj/gzdt/",
             "target": None, "detail": "每周更新栏目，应于2024-04-28前更新，最近发布2024-04-19",
             "facts": {"cycle": "weekly", "due": "2024-04-28", "last_post": "2024-04-19"},
             "state": "open", "first_seen": "2024-05-10"},
            {"id": 2, "type": "stale_national", "column": "工作动态", "url": f"{SITE}slj/gzdt/",
             "target": None,
             "detail": "最近发布2024-04-19，已21天未更新（动态类栏目不超过14天）",
             "facts": {"category": "dynamics", "limit": 14, "last_post": "2024-04-19",
                       "age": 21, "has_posts": True},
             "state": "open", "first_seen": "2024-05-10"},
            {"id": 3, "type": "unreachable_column", "column": "通知公告",
             "url": f"{SITE}slj/tzgg/", "target": None,
             "detail": "最近一次抓取无法访问栏目：服务器出错（HTTP 503）",
             "facts": {"outcome": "unreachable", "reason": "HTTP 503"}, "state": "open",
             "first_seen": "2024-05-10"},
        ],
        "warnings": [],
    }


def test_check_table_shows_columns_weekly_line_and_problems(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "-u", "县水利局", "--no-crawl", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert "县水利局 as of 2024-05-10" in result.stdout
    assert ("weekly rule 2024-01-01 to 2024-05-10: 18 weeks counted, 3 missed "
            "(weeks of 2024-02-12, 2024-04-22, 2024-04-29)") in result.stdout
    with speaking("en"):
        labels = [problem_label(t) for t in (ProblemType.OVERDUE_COLUMN,
                                             ProblemType.UNREACHABLE_COLUMN)]
    assert all(label in result.stdout for label in labels)
    assert result.stderr == ""


def test_as_of_and_period_options_change_the_judgement(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", "--json", "--as-of", "2024-04-20",
                     "--from", "2024-04-01", "--to", "2024-04-30", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["as_of"] == "2024-04-20"
    assert document["columns"][0]["status"] == "ok"
    assert document["weekly"] == {"from": "2024-04-01", "to": "2024-04-30", "weeks": 2,
                                  "missed": 0, "missed_weeks": []}


def test_unknown_unit_exits_1_naming_the_closest(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "--unit", "水务局", "--no-crawl", *recorded, env=NOW)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "error: unknown unit '水务局'; closest: 县水利局\n"


def test_part_of_an_alias_names_the_unit(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "--unit", "卫健", "--no-crawl", "--json", *recorded, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["unit"] == "县卫生健康委员会"


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_a_part_that_fits_several_units_exits_1_listing_them(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "--unit", "县", "--no-crawl", *recorded, env=NOW)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("错误：'县' 可指多个单位：县水利局、县卫生健康委员会；"
                             "请写出单位全称或别名\n")


@pytest.mark.parametrize(("options", "message"), [
    (["--as-of", "2024-13-01"],
     "--as-of: '2024-13-01' is not a date; expected YYYY-MM-DD, e.g. 2024-05-10"),
    (["--as-of", "10/05/2024"],
     "--as-of: '10/05/2024' is not a date; expected YYYY-MM-DD, e.g. 2024-05-10"),
    (["--from", "2024-04-01"],
     "--from and --to go together: give both, e.g. --from 2024-04-01 --to 2024-04-30"),
    (["--from", "2024-05-01", "--to", "2024-04-01"],
     "period starts 2024-05-01 after it ends 2024-04-01"),
])
def test_bad_dates_exit_1_with_one_line(
    run_cli: Callable[..., Result], recorded: list[str], options: list[str], message: str
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", *options, *recorded, env=NOW)
    assert result.exit_code == 1
    assert result.stderr == f"error: {message}\n"


def test_a_year_without_official_calendar_warns_on_stderr(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    result = run_cli("check", "-u", "水利局", "--no-crawl", "--json", "--as-of", "2027-03-01",
                     *recorded, env=NOW)
    assert result.exit_code == 0
    [warning] = json.loads(result.stdout)["warnings"]
    assert warning.startswith("2027: the official holiday calendar is not known")
    assert result.stderr.startswith("warning: 2027: the official holiday calendar")


def test_missing_unit_is_a_usage_error(
    run_cli: Callable[..., Result], recorded: list[str]
) -> None:
    assert run_cli("check", "--no-crawl", *recorded).exit_code == 2


def test_an_unmigrated_database_exits_1(
    run_cli: Callable[..., Result], write_config: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_config(UNITS)
    result = run_cli("check", "-u", "水利局", "--no-crawl", "--config", str(path),
                     "--db", f"sqlite:///{tmp_path}/empty.db")
    assert result.exit_code == 1
    assert result.stderr == "error: the database is empty; run 'monitor db upgrade' first\n"

"""`monitor problems list|ignore|reopen`: filters, the life an officer drives, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime

import pytest
from rich.cells import cell_len
from sqlalchemy import select
from typer.testing import Result

from storage.models import Problem, Unit
from tests.conftest import one_site

UNITS = [
    {"name": "县水利局", "group": "县直单位", "aliases": ["水利局"], "columns": ["slj/gzdt/"]},
    {"name": "青石镇", "group": "乡镇", "columns": ["qsz/xzdt/"]},
]
NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}
CRAWLED = datetime.fromisoformat("2024-05-10T02:00:00+08:00")


def water_bureau_posted_in_april(portal) -> None:
    portal.post("slj/gzdt/", 1, date(2024, 4, 19), CRAWLED, seen_on_first_crawl=True)
    portal.crawl(CRAWLED)


@pytest.fixture
def options(record_portal: Callable[..., list[str]]) -> list[str]:
    """县水利局 last posted on 19 April (overdue and stale); 青石镇 has never posted (empty)."""
    return record_portal(UNITS, water_bureau_posted_in_april)


@pytest.fixture
def refreshed(run_cli: Callable[..., Result], options: list[str]) -> list[str]:
    """`check --no-crawl` refreshes the rule problems of the whole portal."""
    assert run_cli("check", "-u", "水利局", "--no-crawl", "--json", *options,
                   env=NOW).exit_code == 0
    return options


def listed(run_cli: Callable[..., Result], options: list[str], *filters: str) -> list[dict]:
    result = run_cli("problems", "list", "--json", *filters, *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_list_shows_open_problems_of_every_unit(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    problems = listed(run_cli, refreshed)
    assert [(p["id"], p["type"], p["unit"], p["column"], p["state"]) for p in problems] == [
        (1, "overdue_column", "县水利局", "工作动态", "open"),
        (2, "stale_national", "县水利局", "工作动态", "open"),
        (3, "empty_column", "青石镇", "乡镇动态", "open"),
        (4, "stale_national", "青石镇", "乡镇动态", "open"),
    ]
    assert problems[0]["first_seen"] == "2024-05-10" and problems[0]["recurring"] is False


def test_list_filters_by_unit_and_type(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    assert [p["id"] for p in listed(run_cli, refreshed, "--unit", "青石镇")] == [3, 4]
    assert [p["id"] for p in listed(run_cli, refreshed, "--type", "stale_national")] == [2, 4]


def test_ignore_hides_a_problem_until_it_is_reopened(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    ignored = run_cli("problems", "ignore", "3", "--reason", "新设栏目，下月启用", *refreshed,
                      env=NOW)
    assert (ignored.exit_code, ignored.stdout) == (0, "problem 3 ignored: 新设栏目，下月启用\n")
    assert 3 not in [p["id"] for p in listed(run_cli, refreshed)]
    [hidden] = listed(run_cli, refreshed, "--state", "ignored")
    assert (hidden["id"], hidden["ignored_reason"]) == (3, "新设栏目，下月启用")
    # A later refresh keeps it ignored.
    run_cli("check", "-u", "青石镇", "--no-crawl", "--json", *refreshed, env=NOW)
    assert [p["id"] for p in listed(run_cli, refreshed, "--state", "ignored")] == [3]
    reopened = run_cli("problems", "reopen", "3", *refreshed, env=NOW)
    assert (reopened.exit_code, reopened.stdout) == (0, "problem 3 reopened\n")
    assert 3 in [p["id"] for p in listed(run_cli, refreshed)]


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_table_output_and_an_empty_list(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    table = run_cli("problems", "list", *refreshed, env=NOW)
    assert table.exit_code == 0
    assert "问题（未整改）" in table.stdout and "栏目逾期未更新" in table.stdout
    empty = run_cli("problems", "list", "--state", "fixed", *refreshed, env=NOW)
    assert (empty.exit_code, empty.stdout) == (0, "没有状态为“已整改”的问题\n")


def test_unknown_id_exits_1_with_a_clear_message(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    ignored = run_cli("problems", "ignore", "99", "--reason", "x", *refreshed, env=NOW)
    assert (ignored.exit_code, ignored.stderr) == (
        1, "error: no problem with id 99 (see 'monitor problems list')\n")
    reopened = run_cli("problems", "reopen", "99", *refreshed, env=NOW)
    assert reopened.exit_code == 1


def test_reopening_an_open_problem_exits_1(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    result = run_cli("problems", "reopen", "1", *refreshed, env=NOW)
    assert (result.exit_code, result.stderr) == (1, "error: problem 1 is already open\n")


def test_ignore_needs_a_reason(run_cli: Callable[..., Result], refreshed: list[str]) -> None:
    assert run_cli("problems", "ignore", "1", *refreshed, env=NOW).exit_code == 2
    blank = run_cli("problems", "ignore", "1", "--reason", " ", *refreshed, env=NOW)
    assert (blank.exit_code, blank.stderr) == (
        1, "error: a reason is required to ignore a problem (--reason TEXT)\n")


@pytest.mark.parametrize("filters", [["--state", "closed"], ["--type", "typo"]])
def test_unknown_state_or_type_is_a_usage_error(
    run_cli: Callable[..., Result], refreshed: list[str], filters: list[str]
) -> None:
    assert run_cli("problems", "list", *filters, *refreshed, env=NOW).exit_code == 2


def test_unknown_unit_filter_exits_1(run_cli: Callable[..., Result], options: list[str]) -> None:
    result = run_cli("problems", "list", "--unit", "县教育局", *options, env=NOW)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown unit '县教育局'")


def hostile_problem(portal) -> None:
    session = portal.session
    session.flush()
    unit = session.scalar(select(Unit).where(Unit.name == "县水利局"))
    session.add(Problem(site_id=one_site(session),
                        type="broken_link", key="broken_link:hostile", unit_id=unit.id,
                        url="http://127.0.0.1:8000/slj/gzdt/1.html",
                        target="http://127.0.0.1:9/x", state="open",
                        detail="[/bold]标题\x1b]0;pwned\x07\x1b[2J\u202eexe.txt",
                        first_seen=CRAWLED, last_seen=CRAWLED))


def test_a_hostile_text_reaches_the_terminal_inert(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]]
) -> None:
    options = record_portal(UNITS, hostile_problem)
    result = run_cli("problems", "list", *options, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout
    assert "[/bold]" in result.stdout


def test_confirm_keeps_a_problem_open_and_refuses_a_closed_one(
    run_cli: Callable[..., Result], refreshed: list[str]
) -> None:
    confirmed = run_cli("problems", "confirm", "1", *refreshed, env=NOW)
    assert (confirmed.exit_code, confirmed.stdout) == (0, "problem 1 confirmed\n")
    assert 1 in [p["id"] for p in listed(run_cli, refreshed)]
    run_cli("problems", "ignore", "2", "--reason", "误报", *refreshed, env=NOW)
    refused = run_cli("problems", "confirm", "2", *refreshed, env=NOW)
    assert (refused.exit_code, refused.stderr) == (
        1, "error: problem 2 is ignored; only an open problem can be confirmed\n")


def long_broken_link(portal) -> None:
    """A broken link whose page and target URLs are each wider than half a terminal."""
    session = portal.session
    session.flush()
    unit = session.scalar(select(Unit).where(Unit.name == "县水利局"))
    page = "http://127.0.0.1:8000/slj/gzdt/2024/04/19/" + "a" * 60 + ".html"
    session.add(Problem(site_id=one_site(session),
                        type="broken_link", key="broken_link:long", unit_id=unit.id,
                        url=page, target="http://127.0.0.1:8000/files/" + "b" * 70 + ".pdf",
                        state="open", detail="关于做好二〇二四年汛期防汛抗旱工作的通知附件下载",
                        first_seen=CRAWLED, last_seen=CRAWLED))


@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_the_table_shows_the_link_target_and_fits_a_100_column_terminal(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]]
) -> None:
    options = record_portal(UNITS, long_broken_link)
    result = run_cli("problems", "list", *options, env=NOW | {"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 100
    # Folded, not cut: the sixth column, read down, is the whole target.
    header = "".join(line.split("┃")[6].strip() for line in lines if line.startswith("┃"))
    target = "".join(line.split("│")[6].strip() for line in lines if line.startswith("│"))
    assert header == "链接目标"
    assert target == "http://127.0.0.1:8000/files/" + "b" * 70 + ".pdf"

"""Crawls cut short on the sample portal: an error in one column's callback, SIGTERM and
kill -9 mid-crawl, and a second crawl started while one runs.

Each leaves every other column read, records what was not read (`failed` with a reason,
or `not_reached`), exits 1, and judges no unread column on stale data: the figures of
the columns read equal those of an uninterrupted crawl (`crawled`, the same night).
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import yaml

from monitor.app import App
from monitor.services.check import check_document, check_unit
from monitor.settings import Environment
from sampleportal import serve_portal
from sampleportal.model import Portal

# Several crawls in one module fixture: slow on a loaded machine.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(1800)]

# The column whose configured list selector is not valid CSS: its callback raises.
BROKEN_SELECTOR = "ul[["


def wait_for_columns(workspace, run_at_least: int, columns: int, process) -> int:
    """Wait until the newest run has ended `columns` columns; its id."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()[-3000:]
        try:
            rows = workspace.query(
                "SELECT run_id, count(*) FROM column_crawl WHERE run_id >= ? GROUP BY run_id "
                "ORDER BY run_id DESC LIMIT 1", run_at_least)
        except sqlite3.OperationalError:  # the crawl is writing
            rows = []
        if rows and rows[0][1] >= columns:
            return rows[0][0]
        time.sleep(0.2)
    raise AssertionError("the crawl read no columns in time")


def unit_checks(workspace, units: list[str]) -> dict[str, dict]:
    """What `monitor check --no-crawl --json` shows of each unit (the same service, in
    this process: fifty subprocesses would take minutes)."""
    app = App(environment=Environment(config_path=workspace.config, db_url=workspace.db_url,
                                      now=workspace.running.portal.default_now))
    try:
        with app.sessions() as session:
            return {unit: check_document(check_unit(session, app.config, unit,
                                                    app.clock.today())) for unit in units}
    finally:
        app.engine.dispose()


def read_columns(workspace, run_id: int) -> set[str]:
    """Columns the run read completely: the list, and every article of its posts."""
    return {name for (name,) in workspace.query(
        "SELECT c.name || '@' || u.name FROM column_crawl cc "
        "JOIN portal_column c ON c.id = cc.column_id JOIN unit u ON u.id = c.unit_id "
        "WHERE cc.run_id = ? AND cc.outcome = 'ok' AND NOT EXISTS (SELECT 1 FROM post p "
        "WHERE p.column_id = c.id AND p.article_fetched_at IS NULL AND p.removed_at IS NULL)",
        run_id)}


def column_figures(checks: dict[str, dict], keep: set[str] | None = None) -> dict[str, dict]:
    return {f"{column['name']}@{unit}": {key: column[key] for key in
                                         ("posts", "last_post", "status", "stale", "due")}
            for unit, document in checks.items() for column in document["columns"]
            if keep is None or f"{column['name']}@{unit}" in keep}


@pytest.fixture(scope="module")
def faults(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory, crawl_workspace,
           crawled):
    now = sample_portal.default_now
    units = [unit.name for unit in sample_portal.units]
    reference = unit_checks(crawled, units)
    with serve_portal(sample_portal, now=now) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("faults"))
        document = yaml.safe_load(workspace.config.read_text(encoding="utf-8"))
        broken = document["units"][2]["columns"][0]  # a table list: read with selectors
        broken["list"] = {"item": BROKEN_SELECTOR}
        workspace.config.write_text(yaml.safe_dump(document, allow_unicode=True),
                                    encoding="utf-8")
        broken_name = f"{broken['name']}@{document['units'][2]['name']}"

        first = workspace.start_crawl(now)
        first_run = wait_for_columns(workspace, 1, 8, first)
        second = workspace.start_crawl(now)
        second_out, second_err = second.communicate(timeout=120)
        first.send_signal(signal.SIGTERM)
        first_out, first_err = first.communicate(timeout=300)
        after_term = unit_checks(workspace, units)
        term_run = workspace.query("SELECT status, columns_ok, columns_failed, error FROM "
                                   "crawl_run WHERE id = ?", first_run)[0]
        term_outcomes = dict(workspace.query(
            "SELECT outcome, count(*) FROM column_crawl WHERE run_id = ? GROUP BY outcome",
            first_run))
        term_read = read_columns(workspace, first_run)

        killed = workspace.start_crawl(now)
        killed_run = wait_for_columns(workspace, first_run + 1, 5, killed)
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=60)
        last = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--json"],
                              env=workspace.env(now), capture_output=True, text=True,
                              timeout=600)
        killed_row = workspace.query("SELECT status, error FROM crawl_run WHERE id = ?",
                                     killed_run)[0]
        yield {
            "reference": reference, "broken": broken_name,
            "second": (second.returncode, second_out, second_err),
            "first": (first.returncode, first_out, first_err), "term_run": term_run,
            "term_outcomes": term_outcomes, "term_read": term_read, "after_term": after_term,
            "killed_row": killed_row, "last": last, "after_last": unit_checks(workspace, units),
            "workspace": workspace, "columns": sum(len(u.columns) for u in sample_portal.units),
        }


def test_a_second_crawl_of_the_portal_says_one_runs_and_exits_1(faults) -> None:
    code, out, err = faults["second"]
    assert code == 1
    assert out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("错误：另一个本网站采集任务（")
    assert "正在使用此数据库" in line


def test_sigterm_records_the_run_as_interrupted_and_exits_1(faults) -> None:
    code, _out, err = faults["first"]
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("错误：采集被 SIGTERM 中断")
    status, columns_ok, columns_failed, error = faults["term_run"]
    assert status == "interrupted"
    outcomes = faults["term_outcomes"]
    assert sum(outcomes.values()) == faults["columns"]
    assert outcomes.get("not_reached", 0) > 0
    assert (columns_ok, columns_failed) == (outcomes["ok"], faults["columns"] - outcomes["ok"])
    assert "SIGTERM" in error


def test_after_sigterm_columns_read_have_the_figures_of_a_full_crawl_and_others_none(
    faults,
) -> None:
    read = faults["term_read"]
    assert read
    assert column_figures(faults["after_term"], read) == \
        column_figures(faults["reference"], read)
    # A column not read is unreachable; never a status a full crawl would not give it.
    after, reference = column_figures(faults["after_term"]), column_figures(faults["reference"])
    for name in set(after) - read - {faults["broken"]}:
        assert after[name]["status"] in {"unreachable", reference[name]["status"]}, name


def test_a_killed_crawl_is_closed_as_interrupted_by_the_next_one(faults) -> None:
    status, error = faults["killed_row"]
    assert status == "interrupted"
    assert "killed" in error


def test_an_error_in_one_columns_callback_fails_that_column_only(faults) -> None:
    last = faults["last"]
    assert last.returncode == 1
    summary = json.loads(last.stdout)
    assert summary["columns_failed"] == 1
    [failed] = [f for unit in summary["units"] for f in unit["failed"]]
    assert failed["outcome"] == "error"
    assert failed["reason"].startswith("SelectorSyntaxError: ")
    lines = last.stderr.strip().splitlines()
    assert lines[-1] == f"错误：{faults['columns']}个栏目中有1个未能读取；保留最近已知状态"
    assert any("column not read" in line and failed["column"] in line for line in lines)
    assert any(line.startswith("ERROR crawler.columns: error reading ") for line in lines)


def test_after_the_faults_every_other_column_has_the_figures_of_a_full_crawl(faults) -> None:
    after = column_figures(faults["after_last"])
    reference = column_figures(faults["reference"])
    broken = faults["broken"]
    assert after[broken]["status"] == "unreachable"
    assert {k: v for k, v in after.items() if k != broken} == \
        {k: v for k, v in reference.items() if k != broken}

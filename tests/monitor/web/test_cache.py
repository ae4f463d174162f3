"""Pages are served from the services' results until the data or the day changes."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from monitor.cli import app
from monitor.web.cache import JudgementCache

from .conftest import UNIT_NAME, csrf_of


def test_a_value_is_computed_once_per_version() -> None:
    cache = JudgementCache()
    calls: list[int] = []
    version = (date(2024, 5, 10), 1, None, 7, None)
    assert cache.get(version, "k", lambda: calls.append(1) or "first") == "first"
    assert cache.get(version, "k", lambda: calls.append(2) or "second") == "first"
    assert calls == [1]
    moved = (date(2024, 5, 10), 2, None, 7, None)
    assert cache.get(moved, "k", lambda: calls.append(3) or "third") == "third"
    assert calls == [1, 3]


def test_a_problem_ignored_in_the_cli_leaves_the_unit_page_at_once(office_client, dashboard):
    page = office_client.get(f"/api/units/{UNIT_NAME}").json()
    [problem, *_] = page["problems"]
    result = CliRunner().invoke(app, ["problems", "ignore", str(problem["id"]), "--reason",
                                      "已核实"], env=dashboard.environ(), catch_exceptions=False)
    assert result.exit_code == 0
    after = office_client.get(f"/api/units/{UNIT_NAME}").json()
    assert problem["id"] not in [p["id"] for p in after["problems"]]
    expected = CliRunner().invoke(app, ["check", "--unit", UNIT_NAME, "--no-crawl", "--json"],
                                  env=dashboard.environ(), catch_exceptions=False)
    assert after == json.loads(expected.stdout)


def test_a_problem_ignored_on_the_dashboard_leaves_the_unit_page(office_client) -> None:
    html = office_client.get(f"/units/{UNIT_NAME}").text
    problem = office_client.get(f"/api/units/{UNIT_NAME}").json()["problems"][0]
    assert f"<td>{problem['id']}</td>" in html
    token = csrf_of(html)
    office_client.post(f"/problems/{problem['id']}/ignore",
                       data={"csrf_token": token, "reason": "已核实"})
    assert f"<td>{problem['id']}</td>" not in office_client.get(f"/units/{UNIT_NAME}").text

"""/api/units/{name} is `monitor check --json --no-crawl`, /api/stats is `monitor stats
--json` (SPEC §5, §8): the same documents from the same services."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from monitor.cli import app


def _cli_json(dashboard, *args: str) -> object:
    result = CliRunner().invoke(app, list(args), env=dashboard.environ(),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_each_units_api_document_equals_check_json_no_crawl(office_client, dashboard) -> None:
    for name in dashboard.unit_names:
        expected = _cli_json(dashboard, "check", "--unit", name, "--no-crawl", "--json")
        response = office_client.get(f"/api/units/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json() == expected, name


def test_the_stats_api_document_equals_stats_json(office_client, dashboard) -> None:
    expected = _cli_json(dashboard, "stats", "--json")
    assert office_client.get("/api/stats").json() == expected


def test_a_unit_is_found_by_its_alias_as_on_the_command_line(office_client, dashboard) -> None:
    expected = _cli_json(dashboard, "check", "--unit", "水利局", "--no-crawl", "--json")
    assert office_client.get("/api/units/水利局").json() == expected
    assert expected["unit"] == "县水利局"


def test_an_unknown_unit_is_a_404_in_json(office_client) -> None:
    response = office_client.get("/api/units/不存在的单位")
    assert response.status_code == 404
    assert response.json() == {"error": "页面不存在"}


def test_the_overview_shows_each_national_item_as_monitor_national(office_client,
                                                                    dashboard) -> None:
    document = _cli_json(dashboard, "national", "--json")
    html = office_client.get("/").text
    section = html[html.index('<section id="national">'):]
    section = section[:section.index("</section>")]
    assert ("有单项否决" in section) is document["veto"]
    for item in document["items"]:
        assert f"<td>{item['label']}</td>" in section
    vetoed = section.count('<tr class="veto">')
    assert vetoed == sum(1 for item in document["items"] if item["veto"])

"""`monitor stats`: the SPEC §5 list, the table and bad options, on the counted portal
(tests/cli/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

from typer.testing import Result

NOW = {"MONITOR_NOW": "2024-05-10T09:00:00+08:00"}


def test_stats_json_is_one_object_per_unit_in_the_spec_shape(
    run_cli: Callable[..., Result], counted_portal: list[str]
) -> None:
    result = run_cli("stats", "--from", "2024-04-01", "--to", "2024-04-30", "--json",
                     *counted_portal, env=NOW)
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
    run_cli: Callable[..., Result], counted_portal: list[str]
) -> None:
    result = run_cli("stats", "--json", *counted_portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    township = json.loads(result.stdout)[1]
    assert township["period"] == {"from": "2024-05-01", "to": "2024-05-10", "dynamics": 1,
                                  "disclosure": 0, "total": 1}
    assert township["ytd"]["total"] == 2


def test_stats_table_lists_every_unit(
    run_cli: Callable[..., Result], counted_portal: list[str]
) -> None:
    result = run_cli("stats", "--as-of", "2024-04-30", *counted_portal, env=NOW)
    assert result.exit_code == 0, result.stderr
    assert "Figures 2024-04-01 to 2024-04-30 (as of 2024-04-30)" in result.stdout
    assert "县水利局" in result.stdout and "青石镇" in result.stdout


def test_stats_bad_as_of_exits_1(
    run_cli: Callable[..., Result], counted_portal: list[str]
) -> None:
    result = run_cli("stats", "--as-of", "2024-4-1", *counted_portal, env=NOW)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --as-of: '2024-4-1' is not a date; expected YYYY-MM-DD, e.g. 2024-05-10\n")


def test_stats_in_an_unknown_year_warns(
    run_cli: Callable[..., Result], counted_portal: list[str]
) -> None:
    result = run_cli("stats", "--as-of", "2027-06-30", "--json", *counted_portal, env=NOW)
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: 2027: the official holiday calendar is not known")
    assert json.loads(result.stdout)[0]["warnings"][0].startswith("2027:")

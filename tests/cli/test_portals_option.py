"""Many portals in one installation (SPEC §7): `--config DIR`, `--portal NAME`, `--all`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from monitor.config import load_config
from storage.session import create_db_engine, session_factory
from storage.sync import sync_config
from tests.cli.conftest import COUNTED_UNITS, portal_config

AS_OF = "2024-05-10"


def write_portal(directory: Path, stem: str, name: str, port: int) -> Path:
    """A copy of the CLI tests' counted portal as portal `name`, served on `port`."""
    config: dict[str, Any] = portal_config(COUNTED_UNITS)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    text = text.replace("瑞河县人民政府门户网站", name).replace("127.0.0.1:8000",
                                                                 f"127.0.0.1:{port}")
    directory.mkdir(exist_ok=True)
    path = directory / f"{stem}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def two_portals(tmp_path: Path) -> Path:
    directory = tmp_path / "portals"
    write_portal(directory, "beihe", "北河县人民政府门户网站", 8001)
    write_portal(directory, "nanshan", "南山县人民政府门户网站", 8002)
    return directory


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


LISTING = "北河县人民政府门户网站 (beihe), 南山县人民政府门户网站 (nanshan)"


def test_a_directory_of_several_portals_and_no_choice_names_them_all(
    run_cli: Callable[..., Result], two_portals: Path
) -> None:
    result = run_cli("--config", str(two_portals), "config", "check")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: 2 portals are configured in {two_portals}: choose one with --portal NAME: "
        f"{LISTING}"]


def test_a_reading_command_offers_all_beside_portal(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    result = run_cli("stats", "--config", str(two_portals), "--db", database_url)
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: 2 portals are configured in {two_portals}: choose one with --portal NAME, "
        f"or all of them with --all: {LISTING}"]


@pytest.mark.parametrize("name", ["nanshan", "南山县人民政府门户网站"])
def test_portal_picks_one_by_file_stem_or_site_name(
    run_cli: Callable[..., Result], two_portals: Path, name: str
) -> None:
    result = run_cli("config", "check", "--config", str(two_portals), "--portal", name,
                     "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["site"] == "南山县人民政府门户网站"


def test_portal_given_before_the_command_applies_too(
    run_cli: Callable[..., Result], two_portals: Path
) -> None:
    result = run_cli("--config", str(two_portals), "--portal", "beihe", "config", "check",
                     "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["site"] == "北河县人民政府门户网站"


def test_an_unknown_portal_is_an_error_that_lists_the_portals(
    run_cli: Callable[..., Result], two_portals: Path
) -> None:
    result = run_cli("config", "check", "--config", str(two_portals), "--portal", "xihe")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: no portal named 'xihe'; the portals are: {LISTING}"]


def test_two_files_naming_the_same_portal_are_a_config_error(
    run_cli: Callable[..., Result], two_portals: Path
) -> None:
    write_portal(two_portals, "zz-copy", "北河县人民政府门户网站", 8003)
    result = run_cli("config", "check", "--config", str(two_portals), "--portal", "beihe")
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {two_portals / 'zz-copy.yaml'}:1 site.name: the portal "
        f"'北河县人民政府门户网站' is also configured in {two_portals / 'beihe.yaml'}; each "
        "portal needs its own name"]


def test_an_empty_directory_is_a_config_error(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("config", "check", "--config", str(tmp_path))
    assert result.exit_code == 1
    assert error_lines(result) == [
        f"error: {tmp_path}: no portal files (*.yaml, *.yml) in this directory"]


def test_a_directory_of_one_portal_needs_no_option(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    write_portal(tmp_path / "one", "beihe", "北河县人民政府门户网站", 8001)
    result = run_cli("config", "check", "--config", str(tmp_path / "one"), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["site"] == "北河县人民政府门户网站"


def test_portal_and_all_together_are_a_usage_error(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    result = run_cli("stats", "--config", str(two_portals), "--db", database_url,
                     "--portal", "beihe", "--all")
    assert result.exit_code == 2
    assert "--portal and --all exclude each other: give one" in result.stderr


def recorded(directory: Path, database_url: str) -> None:
    """Record every portal of `directory` in the database, as a first crawl would."""
    engine = create_db_engine(database_url)
    try:
        with session_factory(engine).begin() as session:
            for path in sorted(directory.glob("*.yaml")):
                sync_config(session, load_config(path))
    finally:
        engine.dispose()


def test_stats_all_ranks_the_portals_with_each_portals_own_figures(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    recorded(two_portals, database_url)
    options = ["--config", str(two_portals), "--db", database_url, "--as-of", AS_OF]
    every = run_cli("stats", *options, "--all", "--json")
    assert every.exit_code == 0, every.stderr
    rows = json.loads(every.stdout)
    assert [row["portal"] for row in rows] == ["北河县人民政府门户网站", "南山县人民政府门户网站"]
    assert [row["rank"] for row in rows] == [1, 1]
    assert rows[0]["unit_count"] == 2
    assert rows[0]["annual_target"] == 454
    for row, stem in zip(rows, ["beihe", "nanshan"], strict=True):
        single = run_cli("stats", *options, "--portal", stem, "--json")
        assert single.exit_code == 0, single.stderr
        assert row["units"] == json.loads(single.stdout)


def test_stats_all_prints_one_line_per_portal(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    recorded(two_portals, database_url)
    result = run_cli("stats", "--config", str(two_portals), "--db", database_url, "--as-of",
                     AS_OF, "--all", env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stderr
    assert "Portals ranked, 2024-05-01 to 2024-05-10 (as of 2024-05-10)" in result.stdout
    lines = [line for line in result.stdout.splitlines() if "人民政府门户网站" in line]
    assert len(lines) == 2


def test_national_all_gives_a_document_per_portal(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    recorded(two_portals, database_url)
    options = ["--config", str(two_portals), "--db", database_url, "--as-of", AS_OF]
    every = run_cli("national", *options, "--all", "--json")
    assert every.exit_code == 0, every.stderr
    documents = json.loads(every.stdout)
    assert list(documents) == ["北河县人民政府门户网站", "南山县人民政府门户网站"]
    single = run_cli("national", *options, "--portal", "nanshan", "--json")
    assert documents["南山县人民政府门户网站"] == json.loads(single.stdout)


def test_export_all_gives_json_keyed_by_portal_or_a_file_per_portal(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str, tmp_path: Path
) -> None:
    recorded(two_portals, database_url)
    options = ["export", "posts", "--config", str(two_portals), "--db", database_url, "--all"]
    documents = run_cli(*options, "--format", "json")
    assert documents.exit_code == 0, documents.stderr
    assert json.loads(documents.stdout) == {"北河县人民政府门户网站": [],
                                            "南山县人民政府门户网站": []}
    files = run_cli(*options, "--out", str(tmp_path / "out"))
    assert files.exit_code == 0, files.stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["beihe.csv",
                                                                          "nanshan.csv"]
    refused = run_cli(*options)
    assert refused.exit_code == 1
    assert error_lines(refused) == [
        "error: with --all, give --out DIR (a file per portal in it), or --format json for "
        "one document on stdout"]


def test_report_all_writes_each_portals_report_in_its_own_folder(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str, tmp_path: Path
) -> None:
    recorded(two_portals, database_url)
    result = run_cli("report", "quarterly", "--quarter", "2024Q2", "--format", "md",
                     "--config", str(two_portals), "--db", database_url, "--all",
                     "--out", str(tmp_path / "reports"))
    assert result.exit_code == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [path.parent.name for path in written] == ["beihe", "nanshan"]
    assert all(path.is_file() for path in written)


def test_one_scheduler_lists_every_portals_jobs_without_a_portal_option(
    run_cli: Callable[..., Result], two_portals: Path, database_url: str
) -> None:
    listed = run_cli("schedule", "--list", "--json", "--config", str(two_portals), "--db",
                     database_url)
    assert listed.exit_code == 0, listed.stderr
    crawls = {job["job"]: job["trigger"] for job in json.loads(listed.stdout)
              if job["job"].startswith("crawl")}
    assert crawls == {"crawl@beihe": "cron 0 2 * * *",
                      "crawl@nanshan": "cron 0 2 * * * + 120 min"}
    one = run_cli("schedule", "--list", "--json", "--config", str(two_portals), "--db",
                  database_url, "--portal", "nanshan")
    assert one.exit_code == 0, one.stderr
    assert [job["job"] for job in json.loads(one.stdout) if job["job"].startswith("crawl")] == [
        "crawl"]

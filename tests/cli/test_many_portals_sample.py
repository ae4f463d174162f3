"""Three copies of the sample portal on three ports, as three portals of one installation
(one config directory, one database): each portal's `check --json`, `stats --json` and
monthly report (月报) are what a single-portal installation of it gives (SPEC §7).

Every crawl is the real `monitor crawl` in a child process, at the portal's default night.
The installation's database is the test's own (SQLite, and PostgreSQL with
MONITOR_TEST_PG_URL); each single-portal installation has an SQLite file of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from sampleportal import RunningPortal, generate_portal, serve_portal
from sampleportal.configfile import portal_config

pytestmark = [pytest.mark.slow, pytest.mark.browser]

STEMS = ("dongcheng", "xicheng", "nancheng")
UNITS_CHECKED = 3


def write_portal(running: RunningPortal, stem: str, path: Path) -> Path:
    document = portal_config(running.portal, running.base_url)
    document["site"]["name"] = f"{document['site']['name']}（{stem}）"
    document["evidence"] = {"enabled": False}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    return path


def monitor(config: Path, db_url: str, running: RunningPortal, *args: str) -> str:
    now = running.portal.default_now.isoformat()
    env = dict(os.environ, MONITOR_CONFIG=str(config), MONITOR_DB=db_url, MONITOR_NOW=now,
               MONITOR_LANG="en")
    done = subprocess.run([sys.executable, "-m", "monitor", *args], env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def comparable(document: Any) -> Any:
    """A document without what differs between two databases of the same facts: the row ids
    of problems."""
    if isinstance(document, dict):
        return {key: comparable(value) for key, value in document.items() if key != "id"}
    if isinstance(document, list):
        return [comparable(value) for value in document]
    return document


@pytest.fixture(scope="module")
def portals() -> Iterator[list[RunningPortal]]:
    portal = generate_portal(1)
    with ExitStack() as stack:
        yield [stack.enter_context(serve_portal(portal)) for _ in STEMS]


def outputs(config: Path, db_url: str, running: RunningPortal, units: list[str],
            out: Path, *portal: str) -> dict[str, Any]:
    found: dict[str, Any] = {"stats": json.loads(monitor(config, db_url, running, "stats",
                                                         *portal, "--json"))}
    for unit in units:
        found[unit] = json.loads(monitor(config, db_url, running, "check", "--unit", unit,
                                         "--no-crawl", *portal, "--json"))
    found["月报"] = monthly_report(config, db_url, running, out, *portal)
    return found


def monthly_report(config: Path, db_url: str, running: RunningPortal, out: Path,
                   *portal: str) -> dict[str, str]:
    """The last whole month's report as Markdown, by file name."""
    last_month = running.portal.default_now.date().replace(day=1) - timedelta(days=1)
    monitor(config, db_url, running, "report", "monthly", "--month", f"{last_month:%Y-%m}",
            "--format", "md", "--out", str(out), *portal)
    reports = {path.name: path.read_text(encoding="utf-8") for path in out.glob("*.md")}
    assert reports, f"no report written in {out}"
    return reports


def test_each_portal_of_one_installation_reads_as_a_single_portal_installation(
    portals: list[RunningPortal], tmp_path: Path, database_url: str
) -> None:
    units = [unit.name for unit in portals[0].portal.units[:UNITS_CHECKED]]
    directory = tmp_path / "portals"
    for stem, running in zip(STEMS, portals, strict=True):
        write_portal(running, stem, directory / f"{stem}.yaml")
    for stem, running in zip(STEMS, portals, strict=True):
        running.set_now(running.portal.default_now)
        monitor(directory, database_url, running, "crawl", "--portal", stem, "--json")

    for stem, running in zip(STEMS, portals, strict=True):
        single = write_portal(running, stem, tmp_path / stem / "portal.yaml")
        single_db = f"sqlite:///{tmp_path / stem / 'monitor.db'}"
        monitor(single, single_db, running, "db", "upgrade")
        monitor(single, single_db, running, "crawl", "--json")
        alone = outputs(single, single_db, running, units, tmp_path / stem / "alone")
        together = outputs(directory, database_url, running, units,
                           tmp_path / stem / "together", "--portal", stem)
        assert comparable(together) == comparable(alone), stem

    every = json.loads(monitor(directory, database_url, portals[0], "stats", "--all",
                               "--json"))
    assert sorted(row["portal"] for row in every) == sorted(
        f"{portals[0].portal.site_name}（{stem}）" for stem in STEMS)

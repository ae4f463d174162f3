"""`monitor national`: the stored probes and the home page's newest item read into the
SPEC §5 shape, and the command's exit codes and messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta

from typer.testing import Result

from storage.models import CrawlRun, ProbeResult
from tests.conftest import one_site

NOW = {"MONITOR_NOW": "2024-05-10T20:00:00+08:00"}
UNITS = [{"name": "县水利局", "group": "县直单位", "columns": ["slj/gzdt/"]}]
SITE = "http://127.0.0.1:8000/"
# The window's first probe: 7 days ending on 2024-05-10, the day itself included.
FIRST_PROBE = datetime.fromisoformat("2024-05-04T00:30:00+08:00")


def probes_and_home(failures: int, per_day: int = 20) -> Callable:
    def fill(portal) -> None:
        for day in range(7):
            for number in range(per_day):
                at = FIRST_PROBE + timedelta(days=day, minutes=number * 30)
                ok = day * per_day + number >= failures
                portal.session.add(ProbeResult(site_id=one_site(portal.session),
                                               url=SITE, at=at, ok=ok, elapsed_ms=100))
        # Before the window: never counted.
        portal.session.add(ProbeResult(site_id=one_site(portal.session),
                                       url=SITE, at=FIRST_PROBE - timedelta(hours=2), ok=False,
                                       elapsed_ms=15000))
        portal.session.add(CrawlRun(site_id=portal.site_id, started_at=FIRST_PROBE,
                                    home_read=True, home_newest_item=date(2024, 4, 20)))
        # A later run read the home page after as-of: not a fact of 2024-05-08.
        portal.session.add(CrawlRun(site_id=portal.site_id,
                                    started_at=datetime.fromisoformat("2024-05-09T02:00+08:00"),
                                    home_read=True, home_newest_item=date(2024, 5, 8)))
    return fill


def items(result: Result) -> dict[str, dict]:
    assert result.exit_code == 0, result.stderr
    return {item["key"]: item for item in json.loads(result.stdout)["items"]}


def test_seven_failed_probes_of_140_veto_the_portal(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]]
) -> None:
    options = record_portal(UNITS, probes_and_home(failures=7))
    result = run_cli("national", "--json", *options, env=NOW)
    document = json.loads(result.stdout)
    assert document["veto"] is True
    found = items(result)["site_unavailable"]
    assert {key: found[key] for key in ("value", "unit", "threshold", "veto", "note")} == {
        "value": 5.0, "unit": "%", "threshold": 5, "veto": True,
        "note": "共监测140次，失败或超过15秒7次"}


def test_a_day_with_too_few_probes_is_not_judged(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]]
) -> None:
    options = record_portal(UNITS, probes_and_home(failures=7, per_day=19))
    found = items(run_cli("national", "--json", *options, env=NOW))["site_unavailable"]
    assert (found["value"], found["veto"]) == (None, False)
    assert found["note"] == "7天监测次数少于每天20次，不作判定"


def test_the_home_page_item_is_the_one_read_by_the_last_run_up_to_as_of(
    run_cli: Callable[..., Result], record_portal: Callable[..., list[str]]
) -> None:
    options = record_portal(UNITS, probes_and_home(failures=0))
    earlier = items(run_cli("national", "--json", "--as-of", "2024-05-08", *options, env=NOW))
    later = items(run_cli("national", "--json", *options, env=NOW))
    assert (earlier["home_not_updated"]["value"], earlier["home_not_updated"]["veto"]) == (
        18, True)
    assert (later["home_not_updated"]["value"], later["home_not_updated"]["veto"]) == (
        2, False)


def test_a_portal_never_crawled_exits_1_saying_so(
    run_cli: Callable[..., Result], write_config: Callable[..., object], database_url: str
) -> None:
    path = write_config(UNITS)
    result = run_cli("national", "--config", str(path), "--db", database_url, env=NOW)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == ("error: 瑞河县人民政府门户网站 is not recorded in the database yet: "
                             "run `monitor crawl` first\n")

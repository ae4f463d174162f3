"""One scheduler for many portals: staggered crawls, politeness groups (SPEC §7)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine

from monitor.app import App
from monitor.clock import SHANGHAI
from monitor.config import PortalConfig
from monitor.config.portals import PortalFile, Portals
from monitor.scheduler.jobs import (
    GROUP_LOCKS,
    OffsetTrigger,
    job_kind,
    planned_portal_jobs,
    run_job,
)
from monitor.scheduler.portals import (
    crawl_offsets,
    group_of,
    politeness_groups,
    portal_addresses,
    portal_hosts,
)
from monitor.scheduler.runner import make_scheduler, misfire_grace, reconcile, scheduled_jobs


def portal(name: str, url: str, window: int = 240) -> PortalConfig:
    return PortalConfig.model_validate({
        "site": {"name": name, "url": url},
        "schedule": {"crawl_window_minutes": window},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": f"{url}slj/gzdt/", "category": "dynamics"}]}]})


def test_crawls_are_spread_evenly_over_the_window_in_name_order() -> None:
    assert crawl_offsets(["c", "a", "b", "d"], 240) == {"a": 0, "b": 60, "c": 120, "d": 180}


def test_one_portal_crawls_at_the_jobs_own_time() -> None:
    assert crawl_offsets(["a"], 240) == {"a": 0}
    assert crawl_offsets([], 240) == {}


def test_offsets_stay_within_the_window_for_many_portals() -> None:
    offsets = crawl_offsets([f"p{index:03d}" for index in range(500)], 240)
    assert min(offsets.values()) == 0
    assert max(offsets.values()) == 239
    assert offsets == crawl_offsets(sorted(offsets, reverse=True), 240)


def test_portals_sharing_a_host_or_an_address_form_one_group() -> None:
    groups = politeness_groups({
        "a": {"www.a.gov.cn", "10.0.0.1"},
        "b": {"www.b.gov.cn", "10.0.0.1"},      # another name, the same platform address
        "c": {"WWW.B.GOV.CN"},                  # b's host, written in capitals
        "d": {"www.d.gov.cn", "10.0.0.4"},
    })
    assert groups == [["a", "b", "c"], ["d"]]
    assert group_of(groups) == {"a": "a", "b": "a", "c": "a", "d": "d"}


def test_a_chain_of_shared_addresses_joins_groups() -> None:
    groups = politeness_groups({"a": {"h1"}, "b": {"h2"}, "c": {"h1", "h2"}})
    assert groups == [["a", "b", "c"]]


def test_a_portals_hosts_are_its_home_pages_and_its_columns() -> None:
    config = portal("A", "http://127.0.0.1:8001/")
    assert portal_hosts(config) == {"127.0.0.1"}
    assert portal_addresses(config) == {"127.0.0.1"}


def test_an_offset_trigger_fires_its_minutes_after_the_base_trigger() -> None:
    trigger = OffsetTrigger(CronTrigger.from_crontab("0 2 * * *", timezone=SHANGHAI), 90)
    now = datetime(2024, 5, 6, 9, 0, tzinfo=SHANGHAI)
    first = trigger.get_next_fire_time(None, now)
    assert first == datetime(2024, 5, 7, 3, 30, tzinfo=SHANGHAI)
    assert trigger.get_next_fire_time(first, first) == datetime(2024, 5, 8, 3, 30,
                                                                 tzinfo=SHANGHAI)
    # Between 02:00 and 03:30 the day's run is still to come.
    late = datetime(2024, 5, 7, 2, 30, tzinfo=SHANGHAI)
    assert trigger.get_next_fire_time(None, late) == first


def installation(*members: tuple[str, str]) -> Portals:
    return Portals(Path("portals"), tuple(
        PortalFile(Path(f"portals/{stem}.yaml"), portal(stem.upper(), url))
        for stem, url in members))


def test_each_portal_has_its_own_jobs_with_staggered_crawls_and_its_group() -> None:
    portals = installation(("a", "http://127.0.0.1:8001/"), ("b", "http://127.0.0.1:8002/"),
                           ("c", "http://10.0.0.3/"))
    jobs = {job.name: job for job in planned_portal_jobs(
        portals, "sqlite://", {"A": "A", "B": "A", "C": "C"})}
    assert {job_kind(name) for name in jobs} >= {"crawl", "probe", "monthly_report"}
    assert {name for name in jobs if job_kind(name) == "crawl"} == {"crawl@a", "crawl@b",
                                                                     "crawl@c"}
    now = datetime(2024, 5, 6, 9, 0, tzinfo=SHANGHAI)
    starts = {name: jobs[name].trigger.get_next_fire_time(None, now)
              for name in ("crawl@a", "crawl@b", "crawl@c")}
    assert starts == {"crawl@a": datetime(2024, 5, 7, 2, 0, tzinfo=SHANGHAI),
                      "crawl@b": datetime(2024, 5, 7, 3, 20, tzinfo=SHANGHAI),
                      "crawl@c": datetime(2024, 5, 7, 4, 40, tzinfo=SHANGHAI)}
    assert jobs["crawl@b"].args == ("crawl@b", str(Path("portals/b.yaml").resolve()),
                                    "sqlite://", "A")
    assert jobs["link_recheck@c"].args[-1] == "C"
    assert len(jobs["probe@a"].args) == 3  # a probe takes no group's lock


def test_one_portal_keeps_the_jobs_it_always_had() -> None:
    jobs = planned_portal_jobs(installation(("a", "http://127.0.0.1:8001/")), "sqlite://", {})
    assert "crawl" in {job.name for job in jobs}
    assert all(len(job.args) == 3 for job in jobs)


def test_a_groups_lock_is_one_lock_and_groups_do_not_share_it() -> None:
    assert GROUP_LOCKS.of("A") is GROUP_LOCKS.of("A")
    assert GROUP_LOCKS.of("A") is not GROUP_LOCKS.of("B")
    held = GROUP_LOCKS.of("A")
    with held:
        waiting = threading.Thread(target=lambda: GROUP_LOCKS.of("B").acquire() or None)
        waiting.start()
        waiting.join(timeout=5)
        assert not waiting.is_alive()  # another group is not held up
    GROUP_LOCKS.of("B").release()


def write_directory(tmp_path: Path) -> Path:
    directory = tmp_path / "portals"
    directory.mkdir()
    for stem, port in (("a", 8001), ("b", 8002), ("c", 8003)):
        (directory / f"{stem}.yaml").write_text(
            f'site: {{name: "{stem.upper()}", url: "http://127.0.0.1:{port}/"}}\n'
            "units:\n  - name: 县水利局\n    group: 县直单位\n    columns:\n"
            f'      - {{name: 工作动态, url: "http://127.0.0.1:{port}/slj/gzdt/", '
            "category: dynamics}\n", encoding="utf-8")
    return directory


def test_one_scheduler_stores_every_portals_jobs_and_a_restart_keeps_them(
    engine: Engine, tmp_path: Path, database_url: str
) -> None:
    app = App(config_option=write_directory(tmp_path), db_option=database_url)
    jobs = scheduled_jobs(app)
    first = make_scheduler(app, 1)
    first.start(paused=True)
    reconcile(first, jobs, misfire_grace(app.portals))
    before = {job.id: (job.next_run_time, tuple(job.args)) for job in first.get_jobs()}
    first.shutdown(wait=False)

    again_app = App(config_option=app.config_source, db_option=database_url)
    again = make_scheduler(again_app, 1)
    again.start(paused=True)
    reconcile(again, scheduled_jobs(again_app), misfire_grace(again_app.portals))
    after = {job.id: (job.next_run_time, tuple(job.args)) for job in again.get_jobs()}
    again.shutdown(wait=False)
    assert after == before
    crawls = {job_id: value for job_id, value in after.items() if job_kind(job_id) == "crawl"}
    assert set(crawls) == {"crawl@a", "crawl@b", "crawl@c"}
    # The three share 127.0.0.1: one group, named by its first portal.
    assert {value[1][-1] for value in crawls.values()} == {"A"}
    starts = {job_id: value[0].astimezone(SHANGHAI).strftime("%H:%M")
              for job_id, value in crawls.items()}
    assert starts == {"crawl@a": "02:00", "crawl@b": "03:20", "crawl@c": "04:40"}


def test_a_portal_whose_job_fails_frees_its_host_group_for_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("site: [", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="monitor.scheduler"):
        run_job("crawl@broken", str(broken), "sqlite://", "platform")
    assert "job crawl@broken not run" in caplog.text
    lock = GROUP_LOCKS.of("platform")
    assert lock.acquire(blocking=False)
    lock.release()

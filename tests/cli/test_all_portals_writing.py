"""`--all` on the commands that write per portal (`crawl`, `links recheck`, `probe`), on a
config directory of real sample portals (SPEC §7): each portal in turn, one line each, one
portal's failure leaving the others to run, the worst exit status.

Every command is the real `monitor` in a child process, at the sample portal's default
night, in English; the installation's database is the test's own (SQLite, and PostgreSQL
with MONITOR_TEST_PG_URL).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, text
from typer.testing import Result

from sampleportal import RunningPortal, generate_portal, serve_portal
from sampleportal.configfile import portal_config
from tests.crawler.scrapyd.conftest import free_port
from tests.monitor.alerts.conftest import Mailbox, SmtpServer

STEMS = ("beihe", "nanshan", "xihe")  # file-name order: the order --all works in


def site_name(running: RunningPortal, stem: str) -> str:
    return f"{running.portal.site_name}（{stem}）"


def write_directory(directory: Path, portals: list[RunningPortal],
                    down: str | None = None, smtp_port: int | None = None) -> Path:
    """The portals as one config directory; the one named `down` on a port where nothing
    listens; their alerts by e-mail through `smtp_port` when given."""
    directory.mkdir(parents=True, exist_ok=True)
    for stem, running in zip(STEMS, portals, strict=True):
        base_url = running.base_url
        if stem == down:
            base_url = f"http://127.0.0.1:{free_port()}/"
        document = portal_config(running.portal, base_url)
        document["site"]["name"] = site_name(running, stem)
        document["evidence"] = {"enabled": False}
        if smtp_port is not None:
            document["email"] = {"smtp": {"host": "127.0.0.1", "port": smtp_port},
                                 "sender": "政务公开办 <gkb@example.gov.cn>",
                                 "office": [f"gkb@{stem}.example.gov.cn"]}
        (directory / f"{stem}.yaml").write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return directory


def start(config: Path, db_url: str, running: RunningPortal, *args: str,
          later: timedelta = timedelta(0)) -> subprocess.Popen[str]:
    """`monitor ARGS` at the portal's default night, or `later` than it."""
    env = dict(os.environ, MONITOR_CONFIG=str(config), MONITOR_DB=db_url,
               MONITOR_NOW=(running.portal.default_now + later).isoformat(), MONITOR_LANG="en")
    return subprocess.Popen([sys.executable, "-m", "monitor", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def monitor(config: Path, db_url: str, running: RunningPortal, *args: str,
            later: timedelta = timedelta(0)) -> subprocess.CompletedProcess[str]:
    child = start(config, db_url, running, *args, later=later)
    out, err = child.communicate(timeout=900)
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def query(db_url: str, sql: str) -> list[tuple]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def portals() -> Iterator[list[RunningPortal]]:
    portal = generate_portal(1)
    with ExitStack() as stack:
        running = [stack.enter_context(serve_portal(portal)) for _ in STEMS]
        for each in running:
            each.set_now(portal.default_now)
        yield running


@pytest.fixture
def unit(portals: list[RunningPortal]) -> str:
    """One unit, so that each crawl is short."""
    return portals[0].portal.units[0].name


RUN_LINE = re.compile(r"run (\d+): (\d+) columns, (\d+) read, 0 not read; (\d+) list pages, "
                      r"(\d+) new posts, 0 withdrawn")


@pytest.mark.slow
def test_crawl_all_crawls_every_portal_in_turn_and_prints_a_line_for_each(
        portals: list[RunningPortal], unit: str, tmp_path: Path, database_url: str) -> None:
    directory = write_directory(tmp_path / "portals", portals)
    columns = len(portals[0].portal.unit(unit).columns)

    done = monitor(directory, database_url, portals[0], "crawl", "--all", "--unit", unit)

    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert [line.partition(" ")[0] for line in lines] == [
        f"{site_name(running, stem)}:" for stem, running in zip(STEMS, portals, strict=True)]
    counts = [RUN_LINE.fullmatch(line.partition(" ")[2]) for line in lines]
    assert all(counts), lines
    # One run per portal, in file-name order, each of its own portal; the same counts.
    runs = query(database_url, "SELECT r.id, s.name, r.status FROM crawl_run r "
                               "JOIN site s ON s.id = r.site_id ORDER BY r.id")
    assert [(str(run), name, status) for run, name, status in runs] == [
        (match.group(1), site_name(running, stem), "finished")
        for match, stem, running in zip(counts, STEMS, portals, strict=True)]
    assert {match.groups()[1:] for match in counts} == {match.groups()[1:] for match in counts[:1]}
    assert counts[0].group(2) == counts[0].group(3) == str(columns)

    rechecked = monitor(directory, database_url, portals[0], "links", "recheck", "--all",
                        "--json")
    assert rechecked.returncode == 0, rechecked.stderr[-3000:]
    document = json.loads(rechecked.stdout)
    assert list(document) == [site_name(running, stem)
                              for stem, running in zip(STEMS, portals, strict=True)]
    assert {tuple(sorted(each)) for each in document.values()} == {
        ("blocked", "broken", "checked", "ok", "run", "unchecked")}


@pytest.mark.slow
def test_one_portal_failing_leaves_the_others_crawled_and_sets_the_exit_status(
        portals: list[RunningPortal], unit: str, tmp_path: Path, database_url: str) -> None:
    directory = write_directory(tmp_path / "portals", portals, down="nanshan")
    beihe, nanshan, xihe = (site_name(running, stem)
                            for stem, running in zip(STEMS, portals, strict=True))

    done = monitor(directory, database_url, portals[0], "crawl", "--all", "--unit", unit,
                   "--json")

    assert done.returncode == 1, done.stderr[-3000:]
    document = json.loads(done.stdout)
    assert list(document) == [beihe, nanshan, xihe]
    assert [document[name]["portal_answered"] for name in document] == [True, False, True]
    assert done.stderr.splitlines()[-1] == f"error: 1 of 3 portals failed: {nanshan}"
    runs = query(database_url, "SELECT s.name, r.status FROM crawl_run r "
                               "JOIN site s ON s.id = r.site_id ORDER BY r.id")
    assert [name for name, _status in runs] == [beihe, nanshan, xihe]

    plain = monitor(directory, database_url, portals[0], "crawl", "--all", "--unit", unit)
    assert plain.returncode == 1
    [first, failed, last] = plain.stdout.splitlines()
    assert first.startswith(f"{beihe}: run ") and last.startswith(f"{xihe}: run ")
    assert failed.startswith(f"{nanshan}: failed (exit status 1): error: the portal did not "
                             "answer this run (home page: ")


@pytest.mark.slow
@pytest.mark.slow
def test_check_all_crawls_the_unit_on_every_portal_each_in_a_process_of_its_own(
        portals: list[RunningPortal], unit: str, tmp_path: Path, database_url: str) -> None:
    # A crawl's reactor runs once per process: the second portal's crawl used to fail.
    directory = write_directory(tmp_path / "portals", portals, down="xihe")
    beihe, nanshan, xihe = (site_name(running, stem)
                            for stem, running in zip(STEMS, portals, strict=True))

    done = monitor(directory, database_url, portals[0], "check", "--all", "--unit", unit,
                   "--json")

    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    assert (f"warning: the portal did not answer: {unit} could not be read; its columns are "
            "shown as unreachable with their last known state, nobody is accused"
            ) in done.stderr.splitlines()
    document = json.loads(done.stdout)
    assert list(document) == [beihe, nanshan, xihe]
    assert query(database_url, "SELECT s.name, r.status FROM crawl_run r "
                               "JOIN site s ON s.id = r.site_id ORDER BY r.id") == [
        (beihe, "finished"), (nanshan, "finished"), (xihe, "finished")]
    for stem in STEMS:
        alone = monitor(directory, database_url, portals[0], "check", "--portal", stem,
                        "--unit", unit, "--no-crawl", "--json")
        assert json.loads(alone.stdout) == document[site_name(portals[0], stem)], stem


@pytest.mark.slow
def test_alerts_send_all_sends_what_waits_in_each_portals_outbox(
        portals: list[RunningPortal], unit: str, tmp_path: Path, database_url: str) -> None:
    smtp = SmtpServer(free_port(), Mailbox())
    directory = write_directory(tmp_path / "portals", portals, smtp_port=smtp.port)
    assert monitor(directory, database_url, portals[0], "crawl", "--all", "--unit",
                   unit).returncode == 0
    # The server is down: each portal's weekly alerts wait in its outbox.
    for stem in STEMS:
        assert monitor(directory, database_url, portals[0], "alerts", "weekly", "--portal",
                       stem).returncode == 1
    waiting = dict(query(database_url, "SELECT s.name, count(*) FROM alert_outbox o "
                                       "JOIN site s ON s.id = o.site_id GROUP BY s.name"))
    assert len(waiting) == len(STEMS) and all(waiting.values()), waiting

    smtp.start()
    try:
        # Once their first retry time (5 minutes) has come.
        done = monitor(directory, database_url, portals[0], "alerts", "send", "--all",
                       later=timedelta(minutes=10))
    finally:
        smtp.stop()

    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        f"{site_name(running, stem)}: {waiting[site_name(running, stem)]} sent, 0 not accepted"
        for stem, running in zip(STEMS, portals, strict=True)]
    # Each portal's digest went to its own office.
    offices = sorted(recipient for _sender, recipients, _raw in smtp.mailbox.received
                     for recipient in recipients if recipient.startswith("gkb@"))
    assert sorted(set(offices)) == sorted(f"gkb@{stem}.example.gov.cn" for stem in STEMS)


@pytest.mark.slow
def test_probe_all_probes_each_portal(
        portals: list[RunningPortal], tmp_path: Path, database_url: str) -> None:
    directory = write_directory(tmp_path / "portals", portals, down="xihe")
    done = monitor(directory, database_url, portals[0], "probe", "--all")

    # A page that does not answer is the probe's finding, not its failure.
    assert done.returncode == 0, done.stderr[-3000:]
    pages = len(json.loads(monitor(directory, database_url, portals[0], "probe", "--portal",
                                   "beihe", "--json").stdout))
    assert done.stdout.splitlines() == [
        f"{site_name(portals[0], 'beihe')}: {pages} pages probed, 0 failed now; 0 over the "
        "failure threshold in their window",
        f"{site_name(portals[1], 'nanshan')}: {pages} pages probed, 0 failed now; 0 over "
        "the failure threshold in their window",
        f"{site_name(portals[2], 'xihe')}: {pages} pages probed, {pages} failed now; 0 over "
        "the failure threshold in their window"]


@pytest.mark.slow
def test_sigterm_stops_the_portal_being_crawled_and_begins_no_other(
        tmp_path: Path, database_url: str) -> None:
    portal = generate_portal(1)
    with ExitStack() as stack:
        # Slow answers, so the first portal's crawl is still reading when the signal comes.
        portals = [stack.enter_context(serve_portal(portal, latency_seconds=0.05))
                   for _ in STEMS]
        for running in portals:
            running.set_now(portal.default_now)
        directory = write_directory(tmp_path / "portals", portals)
        crawl = start(directory, database_url, portals[0], "crawl", "--all")
        deadline = time.monotonic() + 120
        while not query(database_url, "SELECT count(*) FROM column_crawl")[0][0] >= 3:
            assert crawl.poll() is None and time.monotonic() < deadline, crawl.stderr
            time.sleep(0.2)
        crawl.send_signal(signal.SIGTERM)
        out, err = crawl.communicate(timeout=180)

    assert crawl.returncode == 1
    beihe, nanshan, xihe = (site_name(running, stem)
                            for stem, running in zip(STEMS, portals, strict=True))
    assert err.splitlines()[-1] == (f"error: interrupted by SIGTERM: 2 portal(s) not reached "
                                    f"were left alone: {nanshan}, {xihe}")
    assert out.splitlines() == [f"{beihe}: failed (exit status 1): error: crawl interrupted "
                                "by SIGTERM; the run is recorded as interrupted and its unread "
                                "columns keep their last known state"]
    assert query(database_url, "SELECT s.name, r.status FROM crawl_run r "
                               "JOIN site s ON s.id = r.site_id") == [(beihe, "interrupted")]


@pytest.mark.parametrize("command", [["crawl"], ["links", "recheck"], ["probe"],
                                     ["alerts", "send"]])
def test_all_and_portal_together_are_a_usage_error(
        run_cli: Callable[..., Result], tmp_path: Path, portals: list[RunningPortal],
        command: list[str]) -> None:
    directory = write_directory(tmp_path / "portals", portals)
    result = run_cli(*command, "--config", str(directory), "--portal", "beihe", "--all")
    assert result.exit_code == 2
    boxed = [line.strip("│ ") for line in result.stderr.splitlines() if line.startswith("│")]
    assert boxed == ["Invalid value for --all: --portal and --all exclude each other: give one"]


@pytest.mark.parametrize("command", [["crawl"], ["links", "recheck"], ["probe"],
                                     ["alerts", "send"]])
def test_several_portals_and_no_choice_offer_all(
        run_cli: Callable[..., Result], tmp_path: Path, portals: list[RunningPortal],
        command: list[str]) -> None:
    directory = write_directory(tmp_path / "portals", portals)
    result = run_cli(*command, "--config", str(directory))
    assert result.exit_code == 1
    listing = ", ".join(f"{site_name(running, stem)} ({stem})"
                        for stem, running in zip(STEMS, portals, strict=True))
    assert result.stderr.splitlines() == [
        f"error: 3 portals are configured in {directory}: choose one with --portal NAME, "
        f"or all of them with --all: {listing}"]

"""`monitor links recheck` end to end: after a crawl of the sample portal, the re-check
asks for the due targets only, reads no column, and the link problems follow it."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote, urlsplit

import pytest

from sampleportal import serve_portal
from sampleportal.model import Portal

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LINK_PROBLEMS = "('broken_link', 'dead_image', 'broken_attachment', 'blocked')"


@dataclass
class Recheck:
    now: datetime
    due: set[str]
    # The due targets and every hop of their redirect chains.
    allowed: set[str]
    due_statuses: list[str]
    exit_code: int
    output: dict
    requested: set[tuple[str, str]]  # (host, path) the portal was asked for
    requests: int
    # Due targets of the portal's own host found broken without a redirect last time.
    broken_before: set[str]
    site_counts: dict[tuple[str, str], int]  # (method, path) → requests


def due_targets(workspace, now: datetime, unit: str | None = None) -> set[str]:
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    sql = ("SELECT DISTINCT link_target.url FROM link_target "
           "WHERE (status IN ('pending', 'broken', 'blocked') OR next_check_at IS NULL "
           "OR next_check_at <= ?)")
    params: list[object] = [stamp]
    if unit is not None:
        sql += (" AND link_target.id IN (SELECT link_ref.target_id FROM link_ref "
                "JOIN page ON page.id = link_ref.page_id JOIN post ON post.id = page.post_id "
                "JOIN portal_column ON portal_column.id = post.column_id "
                "JOIN unit ON unit.id = portal_column.unit_id WHERE unit.name = ?)")
        params.append(unit)
    return {url for (url,) in workspace.query(sql, *params)}


def requested_by_portal(running) -> set[tuple[str, str]]:
    return ({("site", path) for (_, path) in running.log.counts()}
            | {("external", path) for (_, path) in running.external_log.counts()})


def as_requested(running, urls: set[str]) -> set[tuple[str, str]]:
    site = urlsplit(running.base_url).netloc
    external = urlsplit(running.hosts.external).netloc
    roles = {site: "site", external: "external"}
    return {(roles[urlsplit(url).netloc], unquote(urlsplit(url).path)) for url in urls
            if urlsplit(url).netloc in roles}


def recheck(workspace, now: datetime, *args: str) -> Recheck:
    running = workspace.running
    due = due_targets(workspace, now, *([args[1]] if args[:1] == ("--unit",) else []))
    allowed = set(due)
    due_statuses = []
    broken_before = set()
    for url, chain, status in workspace.query(
            "SELECT url, redirect_chain, status FROM link_target"):
        if url in due:
            allowed.update(json.loads(chain or "[]"))
            due_statuses.append(status)
            if status == "broken" and len(json.loads(chain or "[]")) <= 1 \
                    and url.startswith(running.base_url + "/"):
                broken_before.add(url)
    running.set_now(now)
    running.log.reset()
    running.external_log.reset()
    done = subprocess.run([sys.executable, "-m", "monitor", "links", "recheck", "--json", *args],
                          env=workspace.env(now), capture_output=True, text=True, timeout=300)
    output = json.loads(done.stdout) if done.returncode == 0 else {"stderr": done.stderr}
    return Recheck(now, due, allowed, due_statuses, done.returncode, output, requested_by_portal(running),
                   running.log.total + running.external_log.total, broken_before,
                   running.log.counts())


@pytest.fixture(scope="module")
def rechecks(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory, crawl_workspace):
    start = sample_portal.default_now
    with serve_portal(sample_portal, now=start) as running:
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("recheck"))
        workspace.crawl(start)
        problems_before = set(workspace.query(
            f"SELECT target, type, state FROM problem WHERE type IN {LINK_PROBLEMS}"))
        unit = recheck(workspace, start + timedelta(hours=1), "--unit", "县水利局")
        soon = recheck(workspace, start + timedelta(hours=2))
        # Working targets are re-checked between half and one and a half re-check periods.
        later = recheck(workspace, start + timedelta(days=11))
        problems_after = set(workspace.query(
            f"SELECT target, type, state FROM problem WHERE type IN {LINK_PROBLEMS}"))
        all_targets = {url for (url,) in workspace.query("SELECT url FROM link_target")}
        yield {"workspace": workspace, "unit": unit, "soon": soon, "later": later,
               "before": problems_before, "after": problems_after, "all": all_targets}


def test_a_recheck_soon_after_the_crawl_asks_only_for_the_broken_and_blocked_targets(rechecks):
    soon: Recheck = rechecks["soon"]
    workspace = rechecks["workspace"]
    assert soon.exit_code == 0, soon.output
    assert soon.due and soon.due < rechecks["all"]
    assert set(soon.due_statuses) <= {"broken", "blocked", "unchecked"}
    assert soon.output["checked"] == len(soon.due)
    assert soon.requested <= as_requested(workspace.running, soon.allowed)


def test_a_target_broken_since_the_crawl_is_asked_once_by_the_recheck(rechecks):
    soon: Recheck = rechecks["soon"]
    assert soon.broken_before
    for url in soon.broken_before:
        path = unquote(urlsplit(url).path)
        assert soon.site_counts.get(("GET", path), 0) <= 1, url


def test_a_recheck_reads_no_column_list_and_no_article(rechecks):
    workspace = rechecks["workspace"]
    columns = {url for (url,) in workspace.query("SELECT url FROM portal_column")}
    articles = {url for (url,) in workspace.query("SELECT url FROM page")}
    for run in (rechecks["unit"], rechecks["soon"], rechecks["later"]):
        assert run.requests > 0
        assert not run.requested & as_requested(workspace.running,
                                                (columns | articles) - run.allowed)


def test_after_the_recheck_period_every_target_is_checked_once(rechecks):
    later: Recheck = rechecks["later"]
    assert later.exit_code == 0, later.output
    assert later.due == rechecks["all"]
    assert later.output["checked"] == len(rechecks["all"])
    assert later.output["ok"] > later.output["broken"] > 0


def test_a_unit_recheck_asks_only_for_targets_on_that_units_articles(rechecks):
    unit: Recheck = rechecks["unit"]
    assert unit.exit_code == 0, unit.output
    assert unit.output["checked"] == len(unit.due)
    assert unit.requested <= as_requested(rechecks["workspace"].running, unit.allowed)
    assert unit.due < rechecks["soon"].due


def test_link_problems_stay_as_they_were_when_nothing_changed(rechecks):
    assert rechecks["before"] and rechecks["after"] == rechecks["before"]


def test_an_unknown_unit_is_refused_with_one_line(rechecks):
    workspace = rechecks["workspace"]
    done = subprocess.run([sys.executable, "-m", "monitor", "links", "recheck", "--unit",
                           "不存在的单位"], env=workspace.env(), capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith("错误：") and done.stderr.count("\n") == 1, done.stderr

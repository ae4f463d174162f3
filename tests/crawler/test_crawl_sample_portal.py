"""`monitor crawl` against the sample portal, compared with the portal's truth.

One replay serves the module: a first crawl on 2024-04-24 followed by seven nightly
crawls, each checked against what the portal showed that night. The portal has all five
list styles (TRS pages, Hanweb dataproxy, a JavaScript list read in Chromium, a table with
年月日 dates, a GBK site with [MM-DD] dates crossing New Year).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sampleportal import Truth, serve_portal
from sampleportal.model import ListStyle, Portal
from sampleportal.plans import UNIT_PLANS
from sampleportal.traps import TRAPS

FIRST_NIGHT = datetime.fromisoformat("2024-04-24T02:00:00+08:00")
NIGHTS = 8
# Requests an ideal crawler needs to see a column's newest posts.
FIRST_PAGE_REQUESTS = {ListStyle.HANWEB: 2, ListStyle.JSLIST: 2}
# The styles of the default portal (others are served as flavours of it).
DEFAULT_STYLES = sorted({plan.style for plan in UNIT_PLANS}
                        | {column.style for plan in UNIT_PLANS for column in plan.columns
                           if column.style is not None})

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@dataclass
class Night:
    now: datetime
    summary: dict
    posts: dict[str, tuple[str, str | None, str | None]]
    requests: int
    rechecks: int
    new_targets: int
    # (host role, method, request target) asked for more than once that night.
    repeated: dict[tuple[str, str, str], int]
    # (host role, request target) of every hop of the targets found failing that night.
    failing: set[tuple[str, str]]


@pytest.fixture(scope="module")
def replay(sample_portal: Portal, tmp_path_factory: pytest.TempPathFactory,
           crawl_workspace) -> Iterator[tuple[list[Night], object]]:
    with serve_portal(sample_portal, now=FIRST_NIGHT) as running:
        # The nights count the crawl's own requests: no evidence captures among them.
        workspace = crawl_workspace(running, tmp_path_factory.mktemp("replay"), evidence=False)
        nights = []
        for number in range(NIGHTS):
            now = FIRST_NIGHT + timedelta(days=number)
            due = due_target_paths(workspace, now)
            targets_before = workspace.query("SELECT count(*) FROM link_target")[0][0]
            running.log.reset()
            running.external_log.reset()
            summary = workspace.crawl(now)
            rechecks = sum(n for (_, path), n in running.log.counts().items()
                           if ("site", path) in due)
            rechecks += sum(n for (_, path), n in running.external_log.counts().items()
                            if ("external", path) in due)
            nights.append(Night(
                now, summary, workspace.live_posts(),
                running.log.total + running.external_log.total, rechecks,
                workspace.query("SELECT count(*) FROM link_target")[0][0] - targets_before,
                repeated_requests(running), failing_hops(workspace),
            ))
        yield nights, workspace


def repeated_requests(running) -> dict[tuple[str, str, str], int]:
    return {(role, method, target): n
            for role, log in (("site", running.log), ("external", running.external_log))
            for (method, target), n in log.exact_counts().items() if n > 1}


def failing_hops(workspace) -> set[tuple[str, str]]:
    site = urlsplit(workspace.running.base_url).netloc
    hops = set()
    for url, chain in workspace.query(
            "SELECT url, redirect_chain FROM link_target WHERE status <> 'ok'"):
        for hop in {url, *json.loads(chain or "[]")}:
            parts = urlsplit(hop)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            hops.add(("site" if parts.netloc == site else "external", target))
    return hops


def due_target_paths(workspace, now: datetime) -> set[tuple[str, str]]:
    """Link targets the crawl will check again by schedule (not new), with the hops of
    their redirect chains (a re-check follows them again): (host role, path)."""
    stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    rows = workspace.query(
        "SELECT url, redirect_chain FROM link_target WHERE status IN ('pending', 'broken', "
        "'blocked') OR next_check_at IS NULL OR next_check_at <= ?", stamp)
    site = urlsplit(workspace.running.base_url).netloc
    return {("site" if urlsplit(hop).netloc == site else "external", unquote(urlsplit(hop).path))
            for url, chain in rows for hop in {url, *json.loads(chain or "[]")}}


def expected_posts(truth: Truth, running, at: datetime, unit: str | None = None
                   ) -> dict[str, tuple]:
    return {
        post.url(running.hosts): (
            post.title,
            post.claimed.isoformat() if post.date_source else None,
            post.date_source.value if post.date_source else None,
        )
        for post in truth.posts(at=at, unit=unit)
    }


def test_first_crawl_records_every_post_with_full_title_and_exact_date(
    replay, sample_truth: Truth
) -> None:
    nights, workspace = replay
    first = nights[0]
    assert first.posts == expected_posts(sample_truth, workspace.running, first.now)
    assert first.summary["columns_failed"] == 0


def test_titles_the_list_cuts_are_read_whole_from_the_article(
    replay, sample_truth: Truth, sample_portal: Portal
) -> None:
    nights, workspace = replay
    first = nights[0]
    cutting = {(unit.name, column.name) for unit in sample_portal.units
               for column in unit.columns if column.style in (ListStyle.LEGACY, ListStyle.TABLE)}
    cut = {post.url(workspace.running.hosts): post.title
           for post in sample_truth.posts(at=first.now)
           if (post.unit, post.column) in cutting and len(post.title) > 24}
    assert cut, "the sample portal's legacy and table lists cut long titles"
    sources = dict(workspace.query("SELECT url, title_source FROM post"))
    assert {url: first.posts[url][0] for url in cut} == cut
    assert {sources[url] for url in cut} == {"meta"}
    assert set(sources.values()) == {"list", "meta"}


@pytest.mark.parametrize("style", DEFAULT_STYLES)
def test_each_list_style_is_read_completely(
    replay, sample_truth: Truth, sample_portal: Portal, style: ListStyle
) -> None:
    nights, workspace = replay
    first = nights[0]
    styled = {(unit.name, column.name) for unit in sample_portal.units
              for column in unit.columns if column.style is style}
    want = {post.url(workspace.running.hosts) for post in sample_truth.posts(at=first.now)
            if (post.unit, post.column) in styled}
    assert want, f"the sample portal shows no post in a {style} column"
    expected = expected_posts(sample_truth, workspace.running, first.now)
    assert {url: first.posts.get(url) for url in want} == {url: expected[url] for url in want}


def test_every_night_ends_with_exactly_the_portals_posts(replay, sample_truth: Truth) -> None:
    nights, workspace = replay
    for night in nights:
        expected = expected_posts(sample_truth, workspace.running, night.now)
        missing = sorted(set(expected) - set(night.posts))
        extra = sorted(set(night.posts) - set(expected))
        wrong = sorted(url for url in expected if url in night.posts
                       and night.posts[url] != expected[url])
        assert (missing, extra, wrong) == ([], [], []), f"night of {night.now.date()}"


def test_nightly_crawls_stay_within_a_tenth_of_the_ideal_request_count(
    replay, sample_portal: Portal
) -> None:
    nights, _ = replay
    columns = sum(FIRST_PAGE_REQUESTS.get(column.style, 1)
                  for unit in sample_portal.units for column in unit.columns)
    for night in nights[1:]:
        ideal = columns + 1 + night.summary["posts_new"] + night.new_targets  # 1: home page
        made = night.requests - night.rechecks
        assert made <= 1.1 * ideal, (
            f"{night.now.date()}: {made} requests for an ideal {ideal} "
            f"(+{night.rechecks} scheduled re-checks)")


def test_no_url_is_asked_twice_in_a_night_but_to_confirm_a_failure(replay) -> None:
    nights, _ = replay
    # The one trap asked twice on purpose: it answers 429 with Retry-After, then 200.
    [rate_limited] = [("site", trap.href) for trap in TRAPS if trap.key == "rate_limited"]
    for night in nights:
        unexpected = {key: n for key, n in night.repeated.items()
                      if (key[0], key[2]) not in night.failing | {rate_limited}}
        assert unexpected == {}, f"night of {night.now.date()}"


def test_back_dated_posts_are_first_seen_days_after_their_date(
    replay, sample_truth: Truth
) -> None:
    nights, workspace = replay
    later = [post for post in sample_truth.posts(at=nights[-1].now)
             if post.published_at > nights[0].now and post.backdated]
    assert later, "the replay window should contain back-dated posts"
    for post in later:
        (first_seen, claimed, on_first_crawl), = workspace.query(
            "SELECT first_seen, date, seen_on_first_crawl FROM post WHERE url = ?",
            post.url(workspace.running.hosts))
        seen_day = datetime.fromisoformat(first_seen).replace(tzinfo=UTC).astimezone(
            post.published_at.tzinfo).date()
        assert (seen_day - datetime.fromisoformat(claimed).date()).days > 3
        assert on_first_crawl == 0
    backdated_problems = {url for (url,) in workspace.query(
        "SELECT url FROM problem WHERE type = 'backdated_post' AND state = 'open'")}
    assert backdated_problems == {post.url(workspace.running.hosts) for post in later}


def test_withdrawn_posts_are_marked_not_deleted(
    sample_portal: Portal, sample_truth: Truth, tmp_path: Path, crawl_workspace
) -> None:
    before = datetime.fromisoformat("2023-12-14T02:00:00+08:00")
    after = datetime.fromisoformat("2023-12-16T02:00:00+08:00")
    withdrawn = [post for post in sample_truth.posts(at=after, include_withdrawn=True,
                                                     unit="县水利局")
                 if post.withdrawn_at is not None and before < post.withdrawn_at <= after]
    assert withdrawn, "the sample portal withdraws a 县水利局 post on 2023-12-15"
    with serve_portal(sample_portal, now=before) as running:
        workspace = crawl_workspace(running, tmp_path)
        workspace.crawl(before, "--unit", "县水利局")
        summary = workspace.crawl(after, "--unit", "县水利局")
        assert summary["posts_removed"] == len(withdrawn)
        for post in withdrawn:
            (removed_at,), = workspace.query("SELECT removed_at FROM post WHERE url = ?",
                                             post.url(running.hosts))
            assert removed_at is not None
        assert workspace.live_posts() == expected_posts(sample_truth, running, after, "县水利局")


def test_the_portal_never_answers_more_requests_at_once_than_allowed(
    sample_portal: Portal, tmp_path: Path, crawl_workspace
) -> None:
    # Every answer takes 50 ms, so a crawler that allowed more would be caught at it.
    with serve_portal(sample_portal, now=FIRST_NIGHT, latency_seconds=0.05) as running:
        workspace = crawl_workspace(running, tmp_path)
        workspace.crawl(FIRST_NIGHT, "--unit", "县水利局", "--unit", "县教育体育局")
        allowed = 4  # crawl.concurrency_per_host in the sample portal's config
        assert 2 <= running.log.max_concurrent_requests <= allowed


def test_a_crawl_killed_mid_way_and_run_again_ends_with_exactly_the_truth(
    sample_portal: Portal, sample_truth: Truth, tmp_path: Path, crawl_workspace
) -> None:
    now = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
    with serve_portal(sample_portal, now=now) as running:
        workspace = crawl_workspace(running, tmp_path)
        process = workspace.start_crawl(now)
        deadline = datetime.now() + timedelta(seconds=120)
        while workspace.query("SELECT count(*) FROM post")[0][0] < 200:
            assert datetime.now() < deadline and process.poll() is None
        process.kill()
        process.wait()
        workspace.crawl(now)
        assert workspace.live_posts() == expected_posts(sample_truth, running, now)
        duplicates = workspace.query(
            "SELECT url FROM post GROUP BY column_id, url HAVING count(*) > 1")
        assert duplicates == []


def test_two_workers_record_exactly_the_truth_within_the_per_host_limit(
    sample_portal: Portal, sample_truth: Truth, tmp_path: Path, crawl_workspace
) -> None:
    now = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
    # Slow answers, so that two workers each using the whole limit would be caught.
    with serve_portal(sample_portal, now=now, latency_seconds=0.02) as running:
        workspace = crawl_workspace(running, tmp_path)
        summary = workspace.crawl(now, "--workers", "2")
        assert workspace.live_posts() == expected_posts(sample_truth, running, now)
        columns = sum(len(unit.columns) for unit in sample_portal.units)
        assert (summary["columns_ok"], summary["columns_failed"]) == (columns, 0)
        assert summary["posts_new"] == len(workspace.live_posts())
        assert 2 <= running.log.max_concurrent_requests <= 4  # crawl.concurrency_per_host
        (pages, run_posts), = workspace.query(
            "SELECT pages, posts_new FROM crawl_run WHERE id = ?", summary["run"])
        assert (pages, run_posts) == (summary["pages"], summary["posts_new"])


def _worker_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        # This test's own workers only: other crawls may run on the same machine.
        if b"crawler.worker" in command and command[0] == sys.executable.encode():
            found.append(int(entry.name))
    return found


def test_workers_stop_when_their_crawl_is_killed_and_the_rerun_ends_with_the_truth(
    sample_portal: Portal, sample_truth: Truth, tmp_path: Path, crawl_workspace
) -> None:
    now = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
    with serve_portal(sample_portal, now=now) as running:
        workspace = crawl_workspace(running, tmp_path)
        process = workspace.start_crawl(now, "--workers", "2")
        deadline = datetime.now() + timedelta(seconds=120)
        while workspace.query("SELECT count(*) FROM post")[0][0] < 200:
            assert datetime.now() < deadline and process.poll() is None
        assert _worker_processes(), "the crawl runs in worker processes"
        process.kill()
        process.wait()
        deadline = datetime.now() + timedelta(seconds=15)
        while _worker_processes():
            assert datetime.now() < deadline, "workers outlived their crawl"
        workspace.crawl(now, "--workers", "2")
        assert workspace.live_posts() == expected_posts(sample_truth, running, now)
        duplicates = workspace.query(
            "SELECT url FROM post GROUP BY column_id, url HAVING count(*) > 1")
        assert duplicates == []

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.shards import (
    COUNTS_PREFIX,
    PROGRESS_PREFIX,
    Assignment,
    ProgressEvent,
    counts_from_json,
    counts_line,
    deal,
    merge_counts,
    worker_count,
    worker_share,
)
from monitor.crawlfacts.items import ColumnDone
from monitor.crawlfacts.links import LinkTarget
from monitor.domain import LinkKind
from monitor.rules.outage import HostTally
from storage.crawl_store import RunCounts


def test_columns_are_dealt_like_cards_so_every_worker_gets_a_mix() -> None:
    assert deal([1, 2, 3, 4, 5], 2) == [[1, 3, 5], [2, 4]]


@pytest.mark.parametrize(
    ("asked", "per_host", "work", "expected"),
    [(2, 4, 100, 2), (4, 2, 100, 2), (3, 4, 1, 1), (1, 4, 100, 1), (2, 1, 100, 1),
     (2, 4, 0, 1)],
)
def test_a_run_never_has_more_workers_than_connections_per_host_or_work(
    asked: int, per_host: int, work: int, expected: int
) -> None:
    assert worker_count(asked, per_host, work) == expected


def test_workers_share_the_per_host_limit_and_wait_longer_between_requests() -> None:
    share = worker_share(4, 0.25, 2)
    assert (share.concurrency_per_host, share.delay_seconds) == (2, 0.5)
    # Three workers on a limit of four: one connection each, three in all, never five.
    assert worker_share(4, 0, 3).concurrency_per_host == 1


def test_an_assignment_survives_its_trip_through_json() -> None:
    assignment = Assignment(
        phase="links", shard=1, shards=2, run_id=7, site_id=1,
        now=datetime.fromisoformat("2024-05-10T02:00:00+08:00"), config_path="/c/portal.yaml",
        db_url="sqlite:///m.db", browser_path=None, column_ids=(3, 5),
        targets=(LinkTarget("http://127.0.0.1:8000/文件 1.pdf", LinkKind.ATTACHMENT),),
    )
    assert Assignment.from_json(assignment.to_json()) == assignment


def test_counts_survive_their_trip_through_a_line() -> None:
    counts = RunCounts(pages=3, posts_new=5, columns_ok=1, columns_failed=1, links_checked=9,
                       new_by_column={4: 5},
                       outcome_by_column={
                           4: ColumnDone(4, "ok", None, 3, True, date(2024, 4, 1)),
                           6: ColumnDone(6, "unreachable", "timeout", 0, False, None)},
                       home_page="ok", home_newest_item=date(2024, 4, 29),
                       link_hosts={"http://file.ruihe.gov.cn": HostTally(4, 4)})
    line = counts_line(counts)
    assert line.startswith(COUNTS_PREFIX) and "\n" not in line
    assert counts_from_json(line[len(COUNTS_PREFIX):]) == counts


def test_progress_events_are_single_lines() -> None:
    line = ProgressEvent("list_page", 12).to_line()
    assert line.startswith(PROGRESS_PREFIX) and "\n" not in line
    assert ProgressEvent.from_json(line[len(PROGRESS_PREFIX):]) == ProgressEvent("list_page", 12)


def test_merged_counts_add_up_the_workers() -> None:
    run = RunCounts(pages=1, new_by_column={1: 2})
    merge_counts(run, RunCounts(pages=2, posts_new=3, links_checked=4, new_by_column={1: 1, 2: 2},
                                outcome_by_column={2: ColumnDone(2, "ok", None, 2, True, None)}))
    assert (run.pages, run.posts_new, run.links_checked) == (3, 3, 4)
    assert run.new_by_column == {1: 3, 2: 2}
    assert set(run.outcome_by_column) == {2}


def test_merged_counts_keep_the_home_page_and_add_up_each_hosts_link_checks() -> None:
    run = RunCounts(home_page="timeout", link_hosts={"http://a": HostTally(2, 1)})
    merge_counts(run, RunCounts(link_hosts={"http://a": HostTally(3, 3),
                                            "http://b": HostTally(1, 0)}))
    assert run.home_page == "timeout"
    assert run.link_hosts == {"http://a": HostTally(5, 4), "http://b": HostTally(1, 0)}


def test_merged_counts_keep_the_newest_item_the_home_page_listed() -> None:
    run = RunCounts()
    merge_counts(run, RunCounts(home_page="ok", home_newest_item=date(2024, 4, 29)))
    assert (run.home_page, run.home_newest_item) == ("ok", date(2024, 4, 29))

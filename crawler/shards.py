"""Splitting one crawl run between worker processes, and putting their counts together.

Scrapy runs in one thread: a first crawl of some 100,000 articles keeps one core busy
while the machine has more. With `crawl.workers: N` the run's columns, and then its link
targets, are dealt out to N processes (`crawler.worker`). The per-host limits are divided
between them, so the portal sees no more parallel requests, and no shorter pauses, than
the config allows.

Everything here is pure: the parent (`crawler.pool`) and the workers share these types.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Literal, TypeVar

from monitor.crawlfacts.items import ColumnDone
from monitor.crawlfacts.links import LinkTarget
from monitor.domain import LinkKind
from monitor.rules.outage import HostTally
from storage.crawl_store import RunCounts

Phase = Literal["columns", "links"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class Assignment:
    """What one worker process is asked to do, sent as JSON on its stdin."""

    phase: Phase
    shard: int
    shards: int
    run_id: int
    site_id: int
    now: datetime
    config_path: str
    db_url: str
    browser_path: str | None
    column_ids: tuple[int, ...] = ()
    read_home_page: bool = False
    targets: tuple[LinkTarget, ...] = ()

    def to_json(self) -> str:
        data = asdict(self)
        data["now"] = self.now.isoformat()
        data["targets"] = [[target.url, target.kind.value, target.known_broken]
                           for target in self.targets]
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Assignment:
        data = json.loads(text)
        data["now"] = datetime.fromisoformat(data["now"])
        data["column_ids"] = tuple(data["column_ids"])
        data["targets"] = tuple(LinkTarget(url, LinkKind(kind), known_broken)
                                for url, kind, known_broken in data["targets"])
        return cls(**data)


def worker_count(asked: int, concurrency_per_host: int, work_items: int) -> int:
    """How many workers a run uses: as asked, but never more than the per-host limit
    (each worker needs at least one connection of it) nor than there is work."""
    return max(1, min(asked, concurrency_per_host, work_items))


def deal(items: Sequence[_T], shards: int) -> list[list[_T]]:
    """Deal `items` out like cards, so each shard gets a like mix of large and small
    columns (columns are listed unit by unit, and units differ in size)."""
    return [list(items[shard::shards]) for shard in range(shards)]


@dataclass(frozen=True)
class WorkerShare:
    """The part of the per-host limits one of `shards` workers may use."""

    concurrency_per_host: int
    delay_seconds: float


def worker_share(concurrency_per_host: int, delay_seconds: float, shards: int) -> WorkerShare:
    # N workers each waiting N times the delay make the host wait the delay on average.
    return WorkerShare(max(1, concurrency_per_host // shards), delay_seconds * shards)


# --- messages from a worker, one JSON object per line on its stdout --------------------

PROGRESS_PREFIX = "@progress "
COUNTS_PREFIX = "@counts "


@dataclass(frozen=True)
class ProgressEvent:
    """One thing a worker did, for the parent's progress display."""

    event: Literal["list_page", "column_done", "article", "link_checked"]
    new_posts: int = 0

    def to_line(self) -> str:
        return PROGRESS_PREFIX + json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ProgressEvent:
        return cls(**json.loads(text))


def counts_line(counts: RunCounts) -> str:
    outcomes = {str(column_id): {**asdict(done), "oldest_date": _iso(done.oldest_date)}
                for column_id, done in counts.outcome_by_column.items()}
    data = {**asdict(counts), "new_by_column": {str(k): v for k, v in
                                                counts.new_by_column.items()},
            "outcome_by_column": outcomes, "home_newest_item": _iso(counts.home_newest_item)}
    return COUNTS_PREFIX + json.dumps(data, ensure_ascii=False)


def counts_from_json(text: str) -> RunCounts:
    data = json.loads(text)
    outcomes = {}
    for column_id, done in data.pop("outcome_by_column").items():
        oldest = done.pop("oldest_date")
        outcomes[int(column_id)] = ColumnDone(
            **done, oldest_date=date.fromisoformat(oldest) if oldest else None)
    new_by_column = {int(k): v for k, v in data.pop("new_by_column").items()}
    link_hosts = {host: HostTally(**tally) for host, tally in data.pop("link_hosts").items()}
    newest = data.pop("home_newest_item")
    return RunCounts(**data, new_by_column=new_by_column, outcome_by_column=outcomes,
                     link_hosts=link_hosts,
                     home_newest_item=date.fromisoformat(newest) if newest else None)


def merge_counts(into: RunCounts, part: RunCounts) -> None:
    """Add one worker's counts to the run's."""
    into.pages += part.pages
    into.posts_new += part.posts_new
    into.posts_removed += part.posts_removed
    into.columns_ok += part.columns_ok
    into.columns_failed += part.columns_failed
    into.columns_capped += part.columns_capped
    into.links_checked += part.links_checked
    for column_id, new in part.new_by_column.items():
        into.new_by_column[column_id] = into.new_by_column.get(column_id, 0) + new
    into.outcome_by_column.update(part.outcome_by_column)
    into.home_page = into.home_page or part.home_page
    into.home_newest_item = into.home_newest_item or part.home_newest_item
    for host, tally in part.link_hosts.items():
        mine = into.link_hosts.get(host, HostTally())
        into.link_hosts[host] = HostTally(mine.checked + tally.checked,
                                          mine.no_answer + tally.no_answer)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None

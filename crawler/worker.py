"""One crawl worker process: `python -m crawler.worker`, started by `crawler.pool`.

It reads its `Assignment` (JSON) on stdin, runs the column crawl of its columns or the
link check of its targets in its own reactor with its share of the per-host limits,
writes to the database as a single-process crawl does, and reports on stdout: a line per
progress event, then one line with its counts. If the parent process dies, the worker
stops (what it wrote stays; the next run reads the rest, as after a killed crawl).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from crawler.process import crawl_in_process, recorder_for
from crawler.shards import Assignment, ProgressEvent, counts_line
from monitor.clock import Clock
from monitor.config import load_config
from monitor.crawlfacts.plan import CrawlPlan
from storage.crawl_store import plan_columns
from storage.session import create_db_engine, session_factory

# How often the worker looks whether its parent is still there.
_PARENT_CHECK_SECONDS = 1.0


class LineProgress:
    """The progress display's interface, written as lines for the parent to show."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self._lock = threading.Lock()

    def list_page(self, new_posts: int) -> None:
        self._send(ProgressEvent("list_page", new_posts))

    def column_done(self) -> None:
        self._send(ProgressEvent("column_done"))

    def article(self) -> None:
        self._send(ProgressEvent("article"))

    def link_checked(self) -> None:
        self._send(ProgressEvent("link_checked"))

    def _send(self, event: ProgressEvent) -> None:
        with self._lock:
            self.stream.write(event.to_line() + "\n")
            self.stream.flush()


def run_assignment(assignment: Assignment, stream: TextIO) -> None:
    config = load_config(Path(assignment.config_path))
    sessions = session_factory(create_db_engine(assignment.db_url))
    recorder = recorder_for(sessions, config, assignment.run_id, assignment.now)
    progress = LineProgress(stream)
    if assignment.phase == "columns":
        with sessions() as session:
            jobs = plan_columns(session, assignment.site_id, None, config.crawl.first_crawl_since,
                                column_ids=assignment.column_ids)
        plan = CrawlPlan(assignment.run_id, tuple(jobs), Clock(assignment.now).today(),
                         config.crawl.max_pages_per_column, assignment.browser_path,
                         config.site.url, read_home_page=assignment.read_home_page,
                         soft404_patterns=tuple(config.crawl.soft404_patterns),
                         max_items_per_page=config.crawl.max_items_per_page)
        crawl_in_process(config, assignment.browser_path, recorder, progress, plan, None,
                         assignment.shards)
    else:
        crawl_in_process(config, assignment.browser_path, recorder, progress, None,
                         lambda: assignment.targets, assignment.shards)
    stream.write(counts_line(recorder.counts) + "\n")
    stream.flush()


def _stop_when_orphaned(parent: int) -> None:
    # A crawl killed with SIGKILL cannot tell its workers; they would go on writing while
    # the next run starts. Leaving at once is safe: every write is an idempotent upsert.
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(3)


def main() -> None:
    assignment = Assignment.from_json(sys.stdin.read())
    threading.Thread(target=_stop_when_orphaned, args=(os.getppid(),), daemon=True).start()
    run_assignment(assignment, sys.stdout)


if __name__ == "__main__":
    main()

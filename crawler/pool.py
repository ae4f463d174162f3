"""The parent side of a crawl shared between worker processes (`crawl.workers` > 1).

The columns are dealt out to the workers; once every worker has read its columns, the
link targets due are dealt out the same way (a target found by two workers' columns is
still checked once). Each worker writes to the database itself and reports its progress
and its counts as lines on its stdout (`crawler.shards`); this process only shows the
progress and adds the counts up. A worker that fails fails the run; the others are
stopped. Workers stop by themselves when this process dies (`crawler.worker`).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from crawler.shards import (
    COUNTS_PREFIX,
    PROGRESS_PREFIX,
    Assignment,
    Phase,
    ProgressEvent,
    counts_from_json,
    deal,
    merge_counts,
)
from monitor.crawlfacts.links import LinkTarget
from monitor.errors import CrawlWorkerFailed
from storage.crawl_store import CrawlRecorder, RunCounts

# How much of a failed worker's stderr the error message quotes.
_STDERR_TAIL = 2000


class WorkerPool:
    """The workers of run `run_id`: each loads the config file `config_path` and opens the
    database `db_url` itself."""

    def __init__(self, config_path: Path, db_url: str, site_id: int, run_id: int,
                 now: datetime, browser: str | None, shards: int):
        self.config_path = config_path
        self.db_url = db_url
        self.site_id = site_id
        self.run_id = run_id
        self.now = now
        self.browser = browser
        self.shards = shards

    def crawl(self, column_ids: Sequence[int], recorder: CrawlRecorder, progress: Any,
              link_targets: Callable[[], Sequence[LinkTarget]] | None = None) -> None:
        """Read the columns, then check the targets `link_targets` gives (by default every
        target due); the counts go into `recorder`."""
        parts = deal(list(column_ids), self.shards)
        self._run("columns", [
            self._assignment("columns", shard, column_ids=tuple(part),
                             read_home_page=shard == 0)
            for shard, part in enumerate(parts)
        ], recorder.counts, progress)
        targets = list(link_targets() if link_targets is not None
                       else recorder.due_link_targets())
        if targets:
            self._run("links", [
                self._assignment("links", shard, targets=tuple(part))
                for shard, part in enumerate(deal(targets, self.shards)) if part
            ], recorder.counts, progress)

    def _assignment(self, phase: Phase, shard: int, column_ids: tuple[int, ...] = (),
                    read_home_page: bool = False,
                    targets: tuple[LinkTarget, ...] = ()) -> Assignment:
        return Assignment(
            phase=phase, shard=shard, shards=self.shards, run_id=self.run_id,
            site_id=self.site_id, now=self.now, config_path=str(self.config_path.resolve()),
            db_url=self.db_url, browser_path=self.browser, column_ids=column_ids,
            read_home_page=read_home_page, targets=targets,
        )

    def _run(self, phase: Phase, assignments: list[Assignment], counts: RunCounts,
             progress: Any) -> None:
        workers = [_Worker.start(assignment, progress) for assignment in assignments]
        try:
            for worker in workers:
                worker.wait()
            failed = [worker for worker in workers if worker.returncode != 0]
            if failed:
                raise CrawlWorkerFailed(phase, failed[0].assignment.shard,
                                        failed[0].returncode, failed[0].stderr_tail())
            for worker in workers:
                merge_counts(counts, worker.counts())
        finally:
            for worker in workers:
                worker.stop()


class _Worker:
    """One worker process and the thread that reads its stdout."""

    def __init__(self, assignment: Assignment, process: subprocess.Popen[str], progress: Any):
        self.assignment = assignment
        self.process = process
        self.progress = progress
        self.stderr_lines: list[str] = []
        self._counts: RunCounts | None = None
        self._stdout = threading.Thread(target=self._read_stdout, daemon=True)
        self._stderr = threading.Thread(target=self._read_stderr, daemon=True)
        self._stdout.start()
        self._stderr.start()

    @classmethod
    def start(cls, assignment: Assignment, progress: Any) -> _Worker:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.worker"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        )
        assert process.stdin is not None
        process.stdin.write(assignment.to_json())
        process.stdin.close()
        return cls(assignment, process, progress)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def wait(self) -> None:
        self.process.wait()
        self._stdout.join()
        self._stderr.join()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait()

    def counts(self) -> RunCounts:
        if self._counts is None:
            raise CrawlWorkerFailed(self.assignment.phase, self.assignment.shard,
                                    self.returncode, "ended without reporting its counts")
        return self._counts

    def stderr_tail(self) -> str:
        return "".join(self.stderr_lines)[-_STDERR_TAIL:]

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith(PROGRESS_PREFIX):
                _show(self.progress, ProgressEvent.from_json(line[len(PROGRESS_PREFIX):]))
            elif line.startswith(COUNTS_PREFIX):
                self._counts = counts_from_json(line[len(COUNTS_PREFIX):])

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            del self.stderr_lines[:-200]


def _show(progress: Any, event: ProgressEvent) -> None:
    if progress is None:
        return
    if event.event == "list_page":
        progress.list_page(event.new_posts)
    elif event.event == "column_done":
        progress.column_done()
    elif event.event == "article":
        progress.article()
    else:
        progress.link_checked()

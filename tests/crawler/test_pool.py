from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crawler.pool import WorkerPool
from crawler.shards import Assignment
from monitor.errors import CrawlWorkerFailed
from storage.crawl_store import RunCounts


@pytest.mark.slow
def test_a_worker_that_cannot_start_its_work_fails_the_run_with_its_last_error_line(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing.yaml"
    pool = WorkerPool(missing, "sqlite://", site_id=1, run_id=1,
                      now=datetime.fromisoformat("2024-05-10T02:00:00+08:00"),
                      browser=None, shards=2)
    assignment = Assignment(phase="columns", shard=1, shards=2, run_id=1, site_id=1,
                            now=pool.now, config_path=str(missing), db_url="sqlite://",
                            browser_path=None, column_ids=(1,))
    with pytest.raises(CrawlWorkerFailed) as failure:
        pool._run("columns", [assignment], RunCounts(), None)
    assert str(failure.value).startswith("采集进程 1（columns）异常结束，退出码 1：")
    assert "missing.yaml" in str(failure.value)

"""What a scrapyd job is given and what it reports: the spec's round trip, the reading of
a job's state and log, and the egg that carries the project to scrapyd."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.job import JobSpec, anchored, job_database_url
from crawler.shards import counts_line
from monitor.config import load_config
from monitor.errors import CrawlError, ScrapydJobFailed
from monitor.services.crawl_backends.egg import build_egg
from monitor.services.crawl_backends.scrapyd import JobState, job_counts, job_state
from storage.crawl_store import RunCounts

SAMPLE_CONFIG = Path(__file__).resolve().parents[3] / "config" / "sample.yaml"
NOW = datetime(2024, 5, 10, 1, 0, tzinfo=UTC)


def test_a_job_spec_carries_the_run_and_the_config_but_not_the_database_password() -> None:
    config = load_config(SAMPLE_CONFIG)
    spec = JobSpec.of(7, 2, NOW, "postgresql+psycopg://monitor:s3cret@db.internal/monitor",
                      config, [3, 5])
    argument = spec.encode()
    assert "s3cret" not in argument and len(argument) < 128 * 1024
    back = JobSpec.decode(argument)
    assert back == spec
    assert back.db_url == "postgresql+psycopg://monitor@db.internal/monitor"
    assert back.portal_config() == config


def test_a_spec_too_large_for_one_command_line_argument_is_a_clear_error() -> None:
    spec = JobSpec(7, 2, NOW, "sqlite:////srv/monitor.db", os.urandom(200_000).hex(), ())
    with pytest.raises(CrawlError, match="网站配置过大，无法交给 scrapyd 任务"):
        spec.encode()


def test_a_relative_sqlite_file_is_named_from_the_root_for_the_job() -> None:
    assert anchored("sqlite:///var/monitor.db", Path("/srv/monitor")) == (
        "sqlite:////srv/monitor/var/monitor.db")
    assert anchored("sqlite:////data/monitor.db", Path("/srv")) == "sqlite:////data/monitor.db"
    url = "postgresql+psycopg://monitor@db.internal/monitor"
    assert anchored(url, Path("/srv")) == url


def test_the_job_machines_database_url_wins_over_the_passwordless_one() -> None:
    spec_url = "postgresql+psycopg://monitor@db.internal/monitor"
    assert job_database_url(spec_url, None) == spec_url
    with_password = "postgresql+psycopg://monitor:s3cret@db.internal/monitor"
    assert job_database_url(spec_url, with_password) == with_password


def test_a_jobs_state_is_found_in_the_job_list() -> None:
    listing = {"pending": [{"id": "a"}], "running": [{"id": "b", "log_url": "/logs/b.log"}],
               "finished": [{"id": "c", "log_url": "/logs/c.log"}]}
    assert job_state(listing, "a") == JobState("pending")
    assert job_state(listing, "b") == JobState("running", "/logs/b.log")
    assert job_state(listing, "c") == JobState("finished", "/logs/c.log")
    assert job_state(listing, "gone") == JobState(None)


def test_the_counts_a_job_logged_are_read_back() -> None:
    counts = RunCounts(pages=4, posts_new=3, columns_ok=2, new_by_column={11: 3},
                       home_page="ok")
    log = ("2024-05-10 09:00:00 [scrapy.core.engine] INFO: Spider opened\n"
           f"2024-05-10 09:01:00 [crawler.job] INFO: {counts_line(counts)}\n")
    assert job_counts("job1", log) == counts


def test_a_job_without_counts_failed_and_its_last_error_is_quoted() -> None:
    log = ("2024-05-10 09:00:00 [scrapy.utils.log] INFO: Scrapy started\n"
           "Traceback (most recent call last):\n"
           '  File "x.py", line 1, in <module>\n'
           "monitor.errors.CrawlError: run 7 of site 2 is not running in the job's database\n")
    with pytest.raises(ScrapydJobFailed, match="scrapyd 任务 job1 未完成采集即结束："
                       "monitor.errors.CrawlError: run 7 of site 2 is not running"):
        job_counts("job1", log)


def test_a_job_whose_log_scrapyd_does_not_keep_cannot_be_judged() -> None:
    with pytest.raises(ScrapydJobFailed, match="logs_dir"):
        job_counts("job1", None)


def test_the_egg_is_built_the_same_way_twice_and_names_its_settings() -> None:
    egg = build_egg()
    assert build_egg() == egg
    names = zipfile.ZipFile(io.BytesIO(egg.content)).namelist()
    for module in ("crawler/spiders/portal_job.py", "crawler/settings.py",
                   "monitor/config/models.py", "storage/crawl_store.py",
                   "monitor/defaults/expressions.yaml", "storage/alembic/env.py"):
        assert module in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]
    entry_points = zipfile.ZipFile(io.BytesIO(egg.content)).read("EGG-INFO/entry_points.txt")
    assert entry_points.decode() == "[scrapy]\nsettings = crawler.settings\n"


# Run with the egg first on sys.path and the checkout's editable-install finder removed, as
# on a scrapyd machine where the project is not installed: every import must come from it.
_FROM_EGG_ONLY = """
import sys
sys.meta_path[:] = [finder for finder in sys.meta_path if "editable" not in repr(finder)]
sys.path[:] = [entry for entry in sys.path if entry not in ("", {checkout!r})]
sys.path.insert(0, {egg!r})
import crawler.spiders.portal_job, monitor, storage
from monitor.content import ExpressionDictionary
for module in (crawler.spiders.portal_job, monitor, storage):
    assert module.__file__.startswith({egg!r}), module.__file__
assert ExpressionDictionary.load_default().entries
print("from the egg")
"""


@pytest.mark.slow
def test_the_egg_alone_carries_what_a_job_imports_and_reads(tmp_path: Path) -> None:
    egg = tmp_path / "portal-monitor.egg"
    egg.write_bytes(build_egg().content)
    checkout = str(Path(__file__).resolve().parents[3])
    done = subprocess.run(
        [sys.executable, "-c", _FROM_EGG_ONLY.format(egg=str(egg), checkout=checkout)],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "from the egg"

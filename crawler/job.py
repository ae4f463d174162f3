"""A crawl run read by a scrapyd job (`crawl.backend: scrapyd`): what the job is given and
what it reports back.

The process that opens the run (`monitor crawl`, holding the portal's lease) hands the job a
`JobSpec` as one spider argument; the job (`crawler.spiders.portal_job`) reads the columns,
checks the link targets due and writes to the shared database as a local crawl does, then
logs its counts on one line of its log, which the opening process fetches from scrapyd's
`logs/` and adds to the run, as it adds up its worker processes' counts.

Everything here is pure: both sides share these functions.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from crawler.shards import COUNTS_PREFIX, counts_from_json
from monitor.config import PortalConfig
from monitor.errors import CrawlError
from monitor.i18n import _
from storage.crawl_store import RunCounts

# The job's spider (crawler.spiders.portal_job) as scrapyd lists it.
JOB_SPIDER = "portal_job"
# scrapyd passes a spider argument on the job's command line, where Linux allows one
# argument 128 KiB (`-a spec=` included).
MAX_ARGUMENT = 128 * 1024 - 64


@dataclass(frozen=True)
class JobSpec:
    """What one scrapyd job is asked to do: read these columns of an opened run."""

    run_id: int
    site_id: int
    now: datetime
    # The database without its password (scrapyd shows a job's arguments to anyone who
    # asks it): the job machine's MONITOR_DB supplies the URL with the password.
    db_url: str
    config: str
    column_ids: tuple[int, ...]

    @classmethod
    def of(cls, run_id: int, site_id: int, now: datetime, db_url: str, config: PortalConfig,
           column_ids: Iterable[int]) -> JobSpec:
        return cls(run_id, site_id, now, without_password(anchored(db_url, Path.cwd())),
                   config.model_dump_json(), tuple(column_ids))

    def portal_config(self) -> PortalConfig:
        return PortalConfig.model_validate_json(self.config)

    def encode(self) -> str:
        """One spider argument: a whole county's config is some hundred kilobytes of JSON
        and one command-line argument may not exceed 128 KiB; compressed it is a tenth.
        Raises CrawlError when even that is too large."""
        data = json.dumps({
            "run_id": self.run_id, "site_id": self.site_id, "now": self.now.isoformat(),
            "db_url": self.db_url, "config": self.config, "column_ids": list(self.column_ids),
        }, ensure_ascii=False)
        encoded = base64.urlsafe_b64encode(zlib.compress(data.encode("utf-8"), 9)).decode("ascii")
        if len(encoded) > MAX_ARGUMENT:
            raise CrawlError(_("the portal's config is too large to hand to a scrapyd job "
                               "({size} bytes compressed, at most {limit})").format(
                                   size=len(encoded), limit=MAX_ARGUMENT))
        return encoded

    @classmethod
    def decode(cls, text: str) -> JobSpec:
        data = json.loads(zlib.decompress(base64.urlsafe_b64decode(text.encode("ascii"))))
        return cls(run_id=data["run_id"], site_id=data["site_id"],
                   now=datetime.fromisoformat(data["now"]), db_url=data["db_url"],
                   config=data["config"], column_ids=tuple(data["column_ids"]))


def anchored(db_url: str, cwd: Path) -> str:
    """An SQLite file named relative to `cwd` (the default `var/monitor.db`) named from the
    root: scrapyd runs its jobs in a directory of its own."""
    url = make_url(db_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return db_url
    if Path(url.database).is_absolute():
        return db_url
    return url.set(database=str(cwd / url.database)).render_as_string(hide_password=False)


def without_password(db_url: str) -> str:
    url = make_url(db_url)
    # `URL.set(password=None)` leaves the password: None there means "unchanged".
    bare = URL.create(url.drivername, url.username, None, url.host, url.port, url.database,
                      url.query)
    return bare.render_as_string(hide_password=False)


def job_database_url(spec_url: str, job_environment_url: str | None) -> str:
    """The database a job writes to: its machine's MONITOR_DB when set (it carries the
    password the job's arguments leave out), else the one the run was opened in."""
    return job_environment_url or spec_url


def counts_in_log(lines: Iterable[str]) -> RunCounts | None:
    """The counts a job logged once it had read everything, or None when it logged none
    (it failed, or was stopped, before the end)."""
    for line in lines:
        at = line.find(COUNTS_PREFIX)
        if at >= 0:
            return counts_from_json(line[at + len(COUNTS_PREFIX):])
    return None


# How many of a failed job's error lines the crawl's error quotes.
ERROR_LINES = 5


def errors_in_log(lines: Iterable[str]) -> list[str]:
    """The last error lines of a job's log (Scrapy writes `[logger] ERROR: …`, and a
    traceback's last line names the exception), for the message of a failed job."""
    found: list[str] = []
    previous = ""
    for line in lines:
        text = line.rstrip()
        if " ERROR: " in text or " CRITICAL: " in text:
            found.append(text)
        elif text and not text.startswith((" ", "\t")) and previous.startswith(" "):
            found.append(text)  # the exception line closing a traceback
        previous = text
    return found[-ERROR_LINES:]

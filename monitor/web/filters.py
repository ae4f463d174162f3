"""Template filters: instants in Asia/Shanghai, run durations, links that are only links."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from monitor.clock import local_date, to_local
from storage.dashboard_queries import RunRow


def local_day(instant: datetime | None) -> str:
    return "" if instant is None else local_date(instant).isoformat()


def local_time(instant: datetime | None) -> str:
    return "" if instant is None else f"{to_local(instant):%Y-%m-%d %H:%M}"


def duration(run: RunRow) -> str:
    if run.finished_at is None:
        return "—"
    seconds = int((run.finished_at - run.started_at).total_seconds())
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} 分 {seconds} 秒" if minutes else f"{seconds} 秒"


def http_only(url: str | None) -> str:
    """A crawled URL as a link target only when it is http(s): a `javascript:` URL found
    on a page must not become a link the officer clicks."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return "#"

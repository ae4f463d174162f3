"""Backdated posts: a post that first appeared more than 3 days after its claimed date
(SPEC §4.7 `backdated_post`, listed in the monthly report, §6).

The comparison is between calendar days in Asia/Shanghai: the local date on which a crawl
first saw the post against the date the column shows for it. A post seen on its column's
first crawl is never backdated: that crawl finds the whole history at once, so its
first-seen time says nothing about when the post appeared. Undated posts have no claim to
compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from monitor.calendar import local_date

BACKDATED_AFTER_DAYS = 3


@dataclass(frozen=True)
class SeenPost:
    """A recorded post with its claimed date and when a crawl first saw it (aware time)."""

    unit: str
    column: str
    url: str
    title: str
    claimed: date | None
    first_seen: datetime
    seen_on_first_crawl: bool


@dataclass(frozen=True)
class BackdatedFinding:
    post: SeenPost
    claimed: date
    first_seen_day: date

    @property
    def days_late(self) -> int:
        return (self.first_seen_day - self.claimed).days

    @property
    def facts(self) -> dict[str, object]:
        """The finding as a problem's detail keeps it (monitor/problem_details.py words it)."""
        return {"claimed": self.claimed.isoformat(),
                "first_seen": self.first_seen_day.isoformat(), "days_late": self.days_late}


def backdated_posts(
    posts: Sequence[SeenPost], threshold_days: int = BACKDATED_AFTER_DAYS
) -> list[BackdatedFinding]:
    """Posts first seen more than `threshold_days` days after their claimed date, in order."""
    findings: list[BackdatedFinding] = []
    for post in posts:
        if post.claimed is None or post.seen_on_first_crawl:
            continue
        seen_day = local_date(post.first_seen)
        if (seen_day - post.claimed).days > threshold_days:
            findings.append(BackdatedFinding(post, post.claimed, seen_day))
    return findings

"""Time as the product sees it: stored in UTC, shown and judged in Asia/Shanghai.

Every "now" in the product comes from a `Clock`, so `MONITOR_NOW` (a fixed instant)
replays a past night exactly. Dates of posts are local (Shanghai) calendar dates: a post
at 00:00 on a Monday belongs to that Monday, not to Sunday in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Clock:
    fixed: datetime | None = None

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        if self.fixed is not None:
            return self.fixed.astimezone(UTC)
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's calendar date in Asia/Shanghai."""
        return local_date(self.now())


def local_date(instant: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("local_date needs a timezone-aware datetime")
    return instant.astimezone(SHANGHAI).date()


def to_local(instant: datetime) -> datetime:
    return instant.astimezone(SHANGHAI)

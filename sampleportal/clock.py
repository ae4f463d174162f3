"""The server's simulated clock: what "now" is for the portal, settable while it runs."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; without an offset it is read as Asia/Shanghai time."""
    text = text.strip().replace("Z", "+00:00")
    # An unescaped '+' in a query string arrives as a space.
    text = re.sub(r"(T[\d:.]+) (\d{2}:?\d{2})$", r"\1+\2", text)
    instant = datetime.fromisoformat(text)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=SHANGHAI)
    return instant


class SimulatedClock:
    """A thread-safe settable instant; request threads read it, tests set it."""

    def __init__(self, now: datetime) -> None:
        self._lock = threading.Lock()
        self._now = _aware(now)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, now: datetime) -> None:
        with self._lock:
            self._now = _aware(now)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = self._now + delta
            return self._now


def _aware(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("the simulated clock needs a timezone-aware datetime")
    return instant.astimezone(SHANGHAI)

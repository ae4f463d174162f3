"""Pacing chat messages: at most `per_minute` a minute to one chat URL.

钉钉 robots take 20 messages a minute and refuse the rest (errcode 130101); 企业微信 group
robots likewise. Messages to one URL are spaced evenly, 60 / per_minute seconds apart, so
no minute — however the vendor counts it — holds more than the limit. The clock and the
sleep are given, so a test can watch the spacing without waiting.

The spacing holds within one run (`alerts weekly`, `alerts send`), which is where the
messages of a week go out together; runs are minutes apart, and a message a robot still
refuses for its limit waits in the outbox for the next one.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Pacer:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}

    def wait(self, channel: str) -> None:
        """Return when a message may go to `channel`."""
        last = self._last.get(channel)
        if last is None:
            return
        delay = last + self.interval - self._clock()
        if delay > 0:
            self._sleep(delay)

    def posted(self, channel: str) -> None:
        """A message went to `channel` now (or was tried: a refusal counts too)."""
        self._last[channel] = self._clock()

"""The signals that ask a run of the monitor to stop, and the one way of handling them.

A crawl, the scheduler and `--all`'s child processes all stop on ctrl-c (SIGINT) and on a
service manager's SIGTERM; each installs its own handler for the length of its work and
puts the previous one back after it.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

StopHandler = Callable[[int, FrameType | None], None]


@contextmanager
def on_stop_signals(handler: StopHandler) -> Iterator[None]:
    """`handler` for SIGINT and SIGTERM inside the block. Python lets only the main thread
    set handlers, so elsewhere (a crawl run by a thread of a test or of the scheduler) the
    block runs with the handlers it has."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor.errors import SchedulerLockError
from monitor.scheduler.lock import SchedulerLease
from storage.session import session_factory

STALE = timedelta(minutes=5)


class SteppedClock:
    """Wall-clock time the test moves by hand."""

    def __init__(self) -> None:
        self.instant = datetime(2024, 5, 6, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.instant

    def advance(self, delta: timedelta) -> None:
        self.instant += delta


def lease(engine: Engine, clock: SteppedClock, holder: str) -> SchedulerLease:
    return SchedulerLease(session_factory(engine), STALE, holder=holder, now=clock)


def test_a_second_scheduler_is_refused_while_the_first_beats(engine: Engine) -> None:
    clock = SteppedClock()
    first = lease(engine, clock, "host:1:a")
    first.acquire()
    clock.advance(timedelta(minutes=4))
    assert first.heartbeat()
    clock.advance(timedelta(minutes=4))
    with pytest.raises(SchedulerLockError, match=r"另一个定时任务程序（host:1:a）正在使用此数据库"):
        lease(engine, clock, "host:2:b").acquire()


def test_a_released_lock_can_be_taken_at_once(engine: Engine) -> None:
    clock = SteppedClock()
    first = lease(engine, clock, "host:1:a")
    first.acquire()
    first.release()
    second = lease(engine, clock, "host:2:b")
    second.acquire()
    assert second.current() is not None and second.current().holder == "host:2:b"  # type: ignore[union-attr]


def test_a_dead_schedulers_lock_is_taken_over_after_the_stale_period(engine: Engine) -> None:
    clock = SteppedClock()
    dead = lease(engine, clock, "host:1:a")
    dead.acquire()
    clock.advance(STALE + timedelta(seconds=1))
    successor = lease(engine, clock, "host:2:b")
    successor.acquire()
    # The old holder, should it wake up, learns it lost the lock and must stop.
    assert not dead.heartbeat()
    assert successor.heartbeat()


def test_releasing_does_not_remove_a_lock_someone_else_holds(engine: Engine) -> None:
    clock = SteppedClock()
    dead = lease(engine, clock, "host:1:a")
    dead.acquire()
    clock.advance(STALE * 2)
    successor = lease(engine, clock, "host:2:b")
    successor.acquire()
    dead.release()
    assert successor.current().holder == "host:2:b"  # type: ignore[union-attr]


def test_a_lease_held_by_a_process_of_this_machine_that_died_is_taken_at_once(
    engine: Engine,
) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)
    clock = SteppedClock()
    lease(engine, clock, f"{socket.gethostname()}:{ended.stdout.strip()}:a").acquire()
    clock.advance(timedelta(seconds=5))
    second = lease(engine, clock, "host:2:b")
    second.acquire()
    assert second.current().holder == "host:2:b"


def test_a_lease_held_by_a_live_process_of_this_machine_is_refused(engine: Engine) -> None:
    clock = SteppedClock()
    lease(engine, clock, f"{socket.gethostname()}:{os.getpid()}:a").acquire()
    with pytest.raises(SchedulerLockError, match="另一个定时任务程序"):
        lease(engine, clock, "host:2:b").acquire()

"""One scheduler per database: the `scheduler` lease (see `storage.lease`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import SchedulerLockError
from monitor.i18n import _
from storage.lease import DatabaseLease, LeaseHolder, describe_holder, wall_clock

LOCK_NAME = "scheduler"

__all__ = ["LOCK_NAME", "LeaseHolder", "SchedulerLease", "describe_holder", "wall_clock"]


class SchedulerLease(DatabaseLease):
    def __init__(
        self,
        sessions: sessionmaker[Session],
        stale_after: timedelta,
        holder: str | None = None,
        now: Callable[[], datetime] = wall_clock,
        name: str = LOCK_NAME,
    ) -> None:
        super().__init__(sessions, stale_after, name, _("scheduler"), SchedulerLockError,
                         holder, now)

"""One holder per database of a named lease: a row in `scheduler_lock`, kept alive by a
heartbeat. The scheduler holds one (two schedulers would run every job twice), and so does
each crawl of a portal (two crawls would write one run's facts twice).

The first to insert the row holds the lease; it refreshes `heartbeat_at` every few seconds
and deletes the row when it stops. A second process finds a fresh heartbeat and refuses to
start. A holder that died without cleaning up (power cut, kill -9) leaves a heartbeat that
stops moving; once it is older than `stale_after` — or at once when the holder was a
process of this machine that no longer exists — the next one takes the lease over. The
take-over is a conditional UPDATE on the old holder and heartbeat, so two processes racing
for a stale lease cannot both win.

Lease times are wall-clock, never `MONITOR_NOW`: they judge whether a process is alive now,
not what day the data are judged at.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import MonitorError
from monitor.i18n import _
from storage.base import rows_changed
from storage.models import SchedulerLock

log = logging.getLogger("storage.lease")


def wall_clock() -> datetime:
    return datetime.now(UTC)


def describe_holder() -> str:
    """host:pid:nonce — the nonce tells apart a restarted process that reuses a pid."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_is_gone(holder: str) -> bool:
    """Whether `holder` (host:pid:nonce) was a process of this machine that has ended."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, someone else's
    return False


@dataclass(frozen=True)
class LeaseHolder:
    holder: str
    acquired_at: datetime
    heartbeat_at: datetime


class DatabaseLease:
    """The lease `name`; `what` names its holders in messages ("scheduler", "crawl of this
    portal"), and `error` is raised when another holds it."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        stale_after: timedelta,
        name: str,
        what: str,
        error: type[MonitorError],
        holder: str | None = None,
        now: Callable[[], datetime] = wall_clock,
    ) -> None:
        self._sessions = sessions
        self._stale_after = stale_after
        self.holder = holder or describe_holder()
        self._now = now
        self._name = name
        self._what = what
        self._error = error

    def acquire(self) -> None:
        """Take the lease, or raise `error` naming the process that holds it."""
        if self._insert():
            return
        current = self.current()
        if current is None:  # released between our insert and our read
            if self._insert():
                return
            current = self.current()
        assert current is not None
        age = self._now() - current.heartbeat_at
        if age <= self._stale_after and not holder_is_gone(current.holder):
            raise self._error(_(
                "another {what} ({holder}) already runs against this database, last heartbeat "
                "{age} s ago; stop it first (a {what} that died is taken over after {stale} s)"
            ).format(what=self._what, holder=current.holder, age=int(age.total_seconds()),
                     stale=int(self._stale_after.total_seconds())))
        if not self._take_over(current):
            raise self._error(_(
                "another {what} took over the stale {name} lock at the same moment"
            ).format(what=self._what, name=self._name))
        log.warning("took over the %s lock of %s, silent for %d s",
                    self._name, current.holder, int(age.total_seconds()))

    def heartbeat(self) -> bool:
        """Refresh the lease; False when it is no longer ours (taken over while we stalled)."""
        with self._sessions.begin() as session:
            changed = rows_changed(session,
                update(SchedulerLock)
                .where(SchedulerLock.name == self._name, SchedulerLock.holder == self.holder)
                .values(heartbeat_at=self._now())
            )
            return changed == 1

    def release(self) -> None:
        with self._sessions.begin() as session:
            session.execute(
                delete(SchedulerLock).where(
                    SchedulerLock.name == self._name, SchedulerLock.holder == self.holder
                )
            )

    def current(self) -> LeaseHolder | None:
        with self._sessions() as session:
            row = session.scalar(select(SchedulerLock).where(SchedulerLock.name == self._name))
            if row is None:
                return None
            return LeaseHolder(row.holder, row.acquired_at, row.heartbeat_at)

    def _insert(self) -> bool:
        now = self._now()
        try:
            with self._sessions.begin() as session:
                session.add(SchedulerLock(name=self._name, holder=self.holder,
                                          acquired_at=now, heartbeat_at=now))
        except IntegrityError:
            return False
        return True

    def _take_over(self, stale: LeaseHolder) -> bool:
        now = self._now()
        with self._sessions.begin() as session:
            changed = rows_changed(session,
                update(SchedulerLock)
                .where(
                    SchedulerLock.name == self._name,
                    SchedulerLock.holder == stale.holder,
                    SchedulerLock.heartbeat_at == stale.heartbeat_at,
                )
                .values(holder=self.holder, acquired_at=now, heartbeat_at=now)
            )
            return changed == 1

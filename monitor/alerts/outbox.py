"""The outbox: every alert is written here before it is sent, and marked sent after the
SMTP server accepted it. Nothing is lost (a message the server did not take waits for the
next run, with a growing back-off) and nothing is sent twice (a message's dedupe key is
unique, and a sender claims a message before sending it, so two runs at the same time —
the weekly job and the outbox job — cannot both send it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.compose import ComposedMessage
from monitor.alerts.mailer import DeliveryError, SmtpMailer, build_email
from storage.models import AlertMessage

FIRST_RETRY = timedelta(minutes=5)
LONGEST_RETRY = timedelta(hours=6)
# A claimed message is left alone by other senders this long; a sender that died while
# sending leaves it to be retried after that.
CLAIM = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """5 min, 10 min, 20 min … at most 6 h after the `attempts`-th failure."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_RETRY)


@dataclass(frozen=True)
class Queued:
    added: int
    already_queued: int


def enqueue(session: Session, messages: Iterable[ComposedMessage], now: datetime) -> Queued:
    added = already = 0
    for message in messages:
        exists = session.scalar(
            select(AlertMessage.id).where(AlertMessage.dedupe_key == message.dedupe_key))
        if exists is not None:
            already += 1
            continue
        try:
            with session.begin_nested():
                session.add(AlertMessage(
                    dedupe_key=message.dedupe_key, kind=message.kind, unit_id=message.unit_id,
                    week=message.week, recipients=list(message.recipients),
                    subject=message.subject, body_text=message.body_text,
                    body_html=message.body_html, created_at=now, attempts=0))
        except IntegrityError:
            already += 1  # queued by a concurrent run a moment ago
            continue
        added += 1
    return Queued(added, already)


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int
    errors: tuple[str, ...]


def deliver_due(
    sessions: sessionmaker[Session], mailer: SmtpMailer, sender: str, now: datetime
) -> Delivery:
    """Send every unsent message whose retry time has come; record each outcome at once."""
    sent = failed = 0
    errors: list[str] = []
    unreachable: str | None = None
    for message_id in _due_ids(sessions, now):
        if not _claim(sessions, message_id, now):
            continue
        if unreachable is not None:
            # The server cannot be reached: do not wait for its timeout once per message.
            _record_failure(sessions, message_id, unreachable, now)
            failed += 1
            continue
        try:
            refused = _send(sessions, mailer, sender, message_id)
        except DeliveryError as err:
            _record_failure(sessions, message_id, str(err), now)
            failed += 1
            errors.append(str(err))
            if err.unreachable:
                unreachable = str(err)
            continue
        _record_sent(sessions, message_id, refused, now)
        sent += 1
    return Delivery(sent, failed, tuple(dict.fromkeys(errors)))


def _due_ids(sessions: sessionmaker[Session], now: datetime) -> list[int]:
    with sessions() as session:
        return list(session.scalars(
            select(AlertMessage.id)
            .where(AlertMessage.sent_at.is_(None),
                   or_(AlertMessage.next_attempt_at.is_(None),
                       AlertMessage.next_attempt_at <= now))
            .order_by(AlertMessage.id)))


def _claim(sessions: sessionmaker[Session], message_id: int, now: datetime) -> bool:
    with sessions.begin() as session:
        result = session.execute(
            update(AlertMessage)
            .where(AlertMessage.id == message_id, AlertMessage.sent_at.is_(None),
                   or_(AlertMessage.next_attempt_at.is_(None),
                       AlertMessage.next_attempt_at <= now))
            .values(next_attempt_at=now + CLAIM))
        return result.rowcount == 1


def _send(sessions: sessionmaker[Session], mailer: SmtpMailer, sender: str,
          message_id: int) -> list[str]:
    with sessions() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        email = build_email(sender, row.recipients, row.subject, row.body_text, row.body_html,
                            row.dedupe_key, row.created_at)
        recipients = list(row.recipients)
    return mailer.send(email, sender, recipients)


def _record_sent(sessions: sessionmaker[Session], message_id: int, refused: list[str],
                 now: datetime) -> None:
    with sessions.begin() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        row.sent_at = now
        row.attempts += 1
        row.next_attempt_at = None
        row.last_error = f"refused recipients: {', '.join(refused)}" if refused else None


def _record_failure(sessions: sessionmaker[Session], message_id: int, error: str,
                    now: datetime) -> None:
    with sessions.begin() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        row.attempts += 1
        row.last_error = error
        row.next_attempt_at = now + retry_delay(row.attempts)


@dataclass(frozen=True)
class WaitingMessage:
    id: int
    kind: str
    week: date
    recipients: tuple[str, ...]
    subject: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None


@dataclass(frozen=True)
class OutboxStatus:
    sent: int
    waiting: tuple[WaitingMessage, ...]
    last_sent_at: datetime | None


def outbox_status(session: Session) -> OutboxStatus:
    sent = session.scalar(
        select(func.count()).select_from(AlertMessage).where(AlertMessage.sent_at.is_not(None)))
    last = session.scalar(select(func.max(AlertMessage.sent_at)))
    waiting = tuple(
        WaitingMessage(row.id, row.kind, row.week, tuple(row.recipients), row.subject,
                       row.attempts, row.last_error, row.next_attempt_at)
        for row in session.scalars(
            select(AlertMessage).where(AlertMessage.sent_at.is_(None)).order_by(AlertMessage.id))
    )
    return OutboxStatus(sent or 0, waiting, last)


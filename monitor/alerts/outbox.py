"""The outbox: every alert is written here before it is sent, and marked sent after the
SMTP server (or the chat group's robot, `monitor.alerts.chatoutbox`) accepted it. Nothing
is lost (a message the server did not take waits for the next run, with a growing
back-off) and nothing is sent twice (a message's dedupe key is unique on its channel —
e-mail, or one chat URL — within its portal, and a sender claims a message before sending
it, so two runs at the same time — the weekly job and the outbox job — cannot both send
it).

Each recipient is followed on its own. A recipient the server accepted is done. One it
refused for now (4xx) stays pending: the next attempts go to the pending recipients only,
with the same Message-ID. One it refused for good (5xx) is recorded as refused, shown by
`alerts status` and in the office's next digest. When the content went out but no final
reply came (a timeout after DATA) the message may or may not have been delivered: it is
NOT sent again — at most once, since a slow server that did queue it would hand the unit
a duplicate — and it is recorded as uncertain, for the office to check, like a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.compose import ComposedMessage
from monitor.alerts.mailer import DeliveryError, SmtpMailer, Transaction, build_email
from storage.base import rows_changed
from storage.models import EMAIL_CHANNEL, AlertMessage

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


def enqueue(session: Session, site_id: int, messages: Iterable[ComposedMessage],
            now: datetime) -> Queued:
    """Queue the portal's messages; one already queued (same key, same channel) is not
    queued again."""
    added = already = 0
    for message in messages:
        exists = session.scalar(
            select(AlertMessage.id).where(AlertMessage.site_id == site_id,
                                          AlertMessage.dedupe_key == message.dedupe_key,
                                          AlertMessage.channel == message.channel))
        if exists is not None:
            already += 1
            continue
        try:
            with session.begin_nested():
                session.add(AlertMessage(
                    site_id=site_id, dedupe_key=message.dedupe_key, channel=message.channel,
                    kind=message.kind, unit_id=message.unit_id,
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
    """`sent`: messages done (no recipient left to try); `failed`: messages still waiting;
    `undelivered`: recipients refused for good or left uncertain in this run."""

    sent: int
    failed: int
    errors: tuple[str, ...]
    undelivered: tuple[str, ...] = ()


def deliver_due(
    sessions: sessionmaker[Session], site_id: int, mailer: SmtpMailer, sender: str,
    now: datetime,
) -> Delivery:
    """Send every unsent message of the portal whose retry time has come (through its own
    mail server); record each outcome at once."""
    sent = failed = 0
    errors: list[str] = []
    undelivered: list[str] = []
    unreachable: str | None = None
    for message_id in due_ids(sessions, site_id, now, chat=False):
        if not claim(sessions, message_id, now):
            continue
        if unreachable is not None:
            # The server cannot be reached: do not wait for its timeout once per message.
            record_failure(sessions, message_id, unreachable, now)
            failed += 1
            continue
        try:
            transaction = _send(sessions, mailer, sender, message_id)
        except DeliveryError as err:
            record_failure(sessions, message_id, str(err), now)
            failed += 1
            errors.append(str(err))
            if err.unreachable:
                unreachable = str(err)
            continue
        _record_transaction(sessions, message_id, transaction, now)
        undelivered += [f"{recipient}: {reply}" for recipient, reply in
                        transaction.refused.items()]
        undelivered += [f"{recipient}: {UNCERTAIN}" for recipient in transaction.uncertain]
        if transaction.deferred:
            failed += 1
            errors.append(deferred_summary(transaction))
        else:
            sent += 1
    return Delivery(sent, failed, tuple(dict.fromkeys(errors)), tuple(undelivered))


UNCERTAIN = "no reply after the message was sent; maybe delivered, not sent again"
UNCERTAIN_CHAT = "no answer from the chat robot after the message was posted; maybe delivered, " \
    "not posted again"


def due_ids(sessions: sessionmaker[Session], site_id: int, now: datetime,
            chat: bool) -> list[int]:
    """The portal's unsent e-mails (or chat messages) whose retry time has come, oldest
    first."""
    on_channel = (AlertMessage.channel != EMAIL_CHANNEL if chat
                  else AlertMessage.channel == EMAIL_CHANNEL)
    with sessions() as session:
        return list(session.scalars(
            select(AlertMessage.id)
            .where(AlertMessage.site_id == site_id, AlertMessage.sent_at.is_(None),
                   on_channel,
                   or_(AlertMessage.next_attempt_at.is_(None),
                       AlertMessage.next_attempt_at <= now))
            .order_by(AlertMessage.id)))


def claim(sessions: sessionmaker[Session], message_id: int, now: datetime) -> bool:
    with sessions.begin() as session:
        claimed = rows_changed(session, (
            update(AlertMessage)
            .where(AlertMessage.id == message_id, AlertMessage.sent_at.is_(None),
                   or_(AlertMessage.next_attempt_at.is_(None),
                       AlertMessage.next_attempt_at <= now))
            .values(next_attempt_at=now + CLAIM)))
        return claimed == 1


def _send(sessions: sessionmaker[Session], mailer: SmtpMailer, sender: str,
          message_id: int) -> Transaction:
    with sessions() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        email = build_email(sender, row.recipients, row.subject, row.body_text, row.body_html,
                            row.dedupe_key, row.created_at)
        pending = pending_recipients(row)
    return mailer.send(email, sender, pending)


def pending_recipients(row: AlertMessage) -> list[str]:
    """The recipients still to try: neither delivered, nor refused for good, nor uncertain."""
    done = {*(row.delivered_to or ()), *(row.refused_to or {}), *(row.uncertain_to or ())}
    return [recipient for recipient in row.recipients if recipient not in done]


def _record_transaction(sessions: sessionmaker[Session], message_id: int,
                        transaction: Transaction, now: datetime) -> None:
    with sessions.begin() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        row.attempts += 1
        # New lists and dicts, not changed in place: the JSON columns see the change.
        row.delivered_to = [*(row.delivered_to or ()), *transaction.accepted]
        row.refused_to = {**(row.refused_to or {}), **transaction.refused}
        row.uncertain_to = [*(row.uncertain_to or ()), *transaction.uncertain]
        if transaction.deferred:
            row.last_error = deferred_summary(transaction)
            row.next_attempt_at = now + retry_delay(row.attempts)
            return
        row.sent_at = now
        row.next_attempt_at = None
        row.last_error = None


def deferred_summary(transaction: Transaction) -> str:
    """The server's reply when it deferred the whole message; else recipient by recipient."""
    replies = set(transaction.deferred.values())
    if len(replies) == 1 and not (transaction.accepted or transaction.refused
                                  or transaction.uncertain):
        return replies.pop()
    return "; ".join(f"{recipient}: {reply}"
                     for recipient, reply in transaction.deferred.items())[:1000]


def record_failure(sessions: sessionmaker[Session], message_id: int, error: str,
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
class Undelivered:
    """A recipient a finished message did not reach for sure: refused for good (5xx), or
    uncertain (no reply after the content was sent)."""

    message_id: int
    kind: str
    week: date
    recipient: str
    refused: bool
    reply: str
    at: datetime
    # A chat group (the recipient is its URL as the config writes it), not a mailbox.
    chat: bool = False


@dataclass(frozen=True)
class OutboxStatus:
    sent: int
    waiting: tuple[WaitingMessage, ...]
    last_sent_at: datetime | None
    undelivered: tuple[Undelivered, ...] = ()


def outbox_status(session: Session, site_id: int) -> OutboxStatus:
    """The portal's outbox: what was sent, what waits, who was not reached."""
    of_portal = AlertMessage.site_id == site_id
    sent = session.scalar(select(func.count()).select_from(AlertMessage).where(
        of_portal, AlertMessage.sent_at.is_not(None)))
    last = session.scalar(select(func.max(AlertMessage.sent_at)).where(of_portal))
    waiting = tuple(
        WaitingMessage(row.id, row.kind, row.week, tuple(pending_recipients(row)), row.subject,
                       row.attempts, row.last_error, row.next_attempt_at)
        for row in session.scalars(
            select(AlertMessage).where(of_portal, AlertMessage.sent_at.is_(None))
            .order_by(AlertMessage.id))
    )
    finished = session.scalars(
        select(AlertMessage).where(of_portal, AlertMessage.sent_at.is_not(None))
        .order_by(AlertMessage.id))
    return OutboxStatus(sent or 0, waiting, last, undelivered_of(finished))


def undelivered_since(session: Session, site_id: int, start: datetime, end: datetime
                      ) -> tuple[Undelivered, ...]:
    """The recipients not reached for sure by the portal's messages finished in
    [start, end)."""
    return undelivered_of(session.scalars(
        select(AlertMessage)
        .where(AlertMessage.site_id == site_id, AlertMessage.sent_at >= start,
               AlertMessage.sent_at < end)
        .order_by(AlertMessage.id)))


def undelivered_of(rows: Iterable[AlertMessage]) -> tuple[Undelivered, ...]:
    found: list[Undelivered] = []
    for row in rows:
        if not (row.refused_to or row.uncertain_to) or row.sent_at is None:
            continue
        chat = row.channel != EMAIL_CHANNEL
        found += [Undelivered(row.id, row.kind, row.week, recipient, True, reply, row.sent_at,
                              chat)
                  for recipient, reply in (row.refused_to or {}).items()]
        found += [Undelivered(row.id, row.kind, row.week, recipient, False,
                              UNCERTAIN_CHAT if chat else UNCERTAIN, row.sent_at, chat)
                  for recipient in row.uncertain_to or ()]
    return tuple(found)

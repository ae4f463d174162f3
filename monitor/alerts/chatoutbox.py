"""Delivering the chat messages of the outbox, with the e-mails' guarantees.

Each message is claimed before it is posted (two senders never post the same one) and its
outcome recorded at once: delivered, it is done; refused or not reached, it waits for the
next run with the same growing back-off as an e-mail (nothing is lost while a robot is
down); posted without an answer, it is not posted again and the office is told.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from monitor.alerts.chatpost import ChatPoster, Posted
from monitor.alerts.mailer import DeliveryError
from monitor.alerts.outbox import (
    UNCERTAIN_CHAT,
    Delivery,
    claim,
    due_ids,
    record_failure,
)
from storage.models import AlertMessage


def deliver_chat_due(sessions: sessionmaker[Session], site_id: int, poster: ChatPoster,
                     now: datetime) -> Delivery:
    sent = failed = 0
    errors: list[str] = []
    undelivered: list[str] = []
    # A chat URL that cannot be reached now is not tried again for each of its messages.
    unreachable: dict[str, str] = {}
    for message_id in due_ids(sessions, site_id, now, chat=True):
        if not claim(sessions, message_id, now):
            continue
        channel, text = _message(sessions, message_id)
        if channel in unreachable:
            record_failure(sessions, message_id, unreachable[channel], now)
            failed += 1
            continue
        try:
            posted = poster.post(channel, text)
        except DeliveryError as err:
            record_failure(sessions, message_id, str(err), now)
            failed += 1
            errors.append(str(err))
            if err.unreachable:
                unreachable[channel] = str(err)
            continue
        _record_posted(sessions, message_id, posted, now)
        sent += 1
        if posted is Posted.UNCERTAIN:
            undelivered.append(f"{channel}: {UNCERTAIN_CHAT}")
    return Delivery(sent, failed, tuple(dict.fromkeys(errors)), tuple(undelivered))


def _message(sessions: sessionmaker[Session], message_id: int) -> tuple[str, str]:
    with sessions() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        return row.channel, row.body_text


def _record_posted(sessions: sessionmaker[Session], message_id: int, posted: Posted,
                   now: datetime) -> None:
    with sessions.begin() as session:
        row = session.get(AlertMessage, message_id)
        assert row is not None
        row.attempts += 1
        if posted is Posted.DELIVERED:
            row.delivered_to = [row.channel]
        else:
            row.uncertain_to = [row.channel]
        row.sent_at = now
        row.next_attempt_at = None
        row.last_error = None

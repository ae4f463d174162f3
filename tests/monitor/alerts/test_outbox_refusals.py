"""The outbox against a real SMTP server that refuses one recipient or goes silent after DATA.

Each recipient is followed on its own: a 4xx keeps it pending and retried (the others are
not sent a second copy), a 5xx is recorded and told to the office, a silence after the
content was sent is "maybe delivered" and never resent (at most once).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Engine
from typer.testing import Result

from monitor.alerts.compose import ComposedMessage
from monitor.alerts.mailer import SmtpMailer, SmtpSettings
from monitor.alerts.outbox import deliver_due, enqueue, outbox_status
from storage.session import session_factory
from tests.monitor.alerts.conftest import Mailbox, SmtpServer, free_port, outbox_site

SENDER = "政务公开办 <gkb@example.gov.cn>"
SLJ = ("slj@example.gov.cn", "slj2@example.gov.cn")
MONDAY = datetime(2024, 5, 13, 0, 30, tzinfo=UTC)


@dataclass
class PickyMailbox:
    """Refuses the recipients in `refuse` with the given reply; with `stall` set, stores
    the message and then stays silent that many seconds before answering."""

    refuse: dict[str, str] = field(default_factory=dict)
    stall: float = 0.0
    received: list[tuple[list[str], bytes]] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        self.received.append((list(envelope.rcpt_tos), bytes(envelope.original_content or b"")))
        if self.stall:
            await asyncio.sleep(self.stall)
        return "250 OK"

    def copies_for(self, recipient: str) -> int:
        return sum(recipient in rcpt for rcpt, _raw in self.received)


@pytest.fixture
def picky() -> Iterator[tuple[PickyMailbox, int]]:
    mailbox = PickyMailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


def queue_one(engine: Engine, recipients: tuple[str, ...] = SLJ) -> None:
    with session_factory(engine).begin() as session:
        enqueue(session, outbox_site(engine), [ComposedMessage("weekly", "weekly:2024-05-13:unit:1", None,
                                          date(2024, 5, 13), recipients, "【提醒】县水利局",
                                          "正文", "<p>正文</p>")], MONDAY)


def deliver(engine: Engine, port: int, at: datetime, timeout: float = 5.0):  # noqa: ANN201
    with SmtpMailer(SmtpSettings("127.0.0.1", port, None, timeout=timeout)) as mailer:
        return deliver_due(session_factory(engine), outbox_site(engine), mailer, SENDER, at)


def status(engine: Engine):  # noqa: ANN201
    with session_factory(engine)() as session:
        return outbox_status(session, outbox_site(engine))


def test_a_temporary_refusal_of_one_recipient_keeps_it_pending_and_retries_only_it(
    engine: Engine, picky: tuple[PickyMailbox, int]
) -> None:
    mailbox, port = picky
    mailbox.refuse = {"slj2@example.gov.cn": "450 4.2.1 mailbox busy"}
    queue_one(engine)
    first = deliver(engine, port, MONDAY)
    assert (first.sent, first.failed) == (0, 1)
    assert first.errors == ("slj2@example.gov.cn: SMTP 450: 4.2.1 mailbox busy",)
    assert [rcpt for rcpt, _raw in mailbox.received] == [["slj@example.gov.cn"]]
    [waiting] = status(engine).waiting
    assert waiting.recipients == ("slj2@example.gov.cn",)
    assert waiting.next_attempt_at == MONDAY + timedelta(minutes=5)

    mailbox.refuse = {}
    assert deliver(engine, port, MONDAY + timedelta(minutes=1)).sent == 0  # not due yet
    later = deliver(engine, port, MONDAY + timedelta(minutes=6))
    assert (later.sent, later.failed) == (1, 0)
    assert [rcpt for rcpt, _raw in mailbox.received] == [["slj@example.gov.cn"],
                                                         ["slj2@example.gov.cn"]]
    ids = {message_from_bytes(raw, policy=policy.default)["Message-ID"]
           for _rcpt, raw in mailbox.received}
    assert len(ids) == 1  # the same message, completed
    state = status(engine)
    assert (state.sent, state.waiting, state.undelivered) == (1, (), ())


def test_a_permanent_refusal_is_recorded_and_not_retried(
    engine: Engine, picky: tuple[PickyMailbox, int]
) -> None:
    mailbox, port = picky
    mailbox.refuse = {"slj2@example.gov.cn": "550 5.1.1 no such user"}
    queue_one(engine)
    delivery = deliver(engine, port, MONDAY)
    assert (delivery.sent, delivery.failed) == (1, 0)
    assert delivery.undelivered == ("slj2@example.gov.cn: SMTP 550: 5.1.1 no such user",)
    assert deliver(engine, port, MONDAY + timedelta(days=1)).sent == 0
    assert mailbox.copies_for("slj@example.gov.cn") == 1
    assert mailbox.copies_for("slj2@example.gov.cn") == 0
    [refused] = status(engine).undelivered
    assert (refused.recipient, refused.refused, refused.reply) == (
        "slj2@example.gov.cn", True, "SMTP 550: 5.1.1 no such user")


def test_every_recipient_refused_for_now_leaves_the_message_waiting(
    engine: Engine, picky: tuple[PickyMailbox, int]
) -> None:
    mailbox, port = picky
    mailbox.refuse = dict.fromkeys(SLJ, "451 4.3.0 try later")
    queue_one(engine)
    assert (deliver(engine, port, MONDAY).failed, mailbox.received) == (1, [])
    [waiting] = status(engine).waiting
    assert waiting.recipients == SLJ


def test_a_server_silent_after_data_is_maybe_delivered_and_never_resent(
    engine: Engine, picky: tuple[PickyMailbox, int]
) -> None:
    mailbox, port = picky
    mailbox.stall = 2.0
    queue_one(engine)
    delivery = deliver(engine, port, MONDAY, timeout=0.5)
    assert delivery.failed == 0
    assert [line.split(":")[0] for line in delivery.undelivered] == list(SLJ)
    mailbox.stall = 0.0
    for hours in (1, 7, 30):
        deliver(engine, port, MONDAY + timedelta(hours=hours))
    assert len(mailbox.received) == 1  # the one copy the slow server took: no duplicate
    state = status(engine)
    assert state.waiting == ()
    assert [(u.recipient, u.refused) for u in state.undelivered] == [(r, False) for r in SLJ]


Monitor = Callable[..., Result]


@dataclass
class RefusingMailbox(Mailbox):
    refuse: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope, address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.slow
def test_a_permanent_refusal_shows_in_status_and_in_next_weeks_digest(
    smtp_server: SmtpServer, monitor: Monitor
) -> None:
    smtp_server.mailbox = RefusingMailbox(
        refuse={"slj2@example.gov.cn": "550 5.1.1 no such user"})
    smtp_server.start()
    week = monitor("alerts", "weekly")
    assert week.exit_code == 1
    # The command line speaks the office's language (SPEC §9).
    assert "未送达：slj2@example.gov.cn: SMTP 550: 5.1.1 no such user" in week.stdout
    assert week.stderr == ("错误：1个收件人被 SMTP 服务器或群机器人拒收或未确认；不再重试"
                           "（见“monitor alerts status”）\n")
    shown = monitor("alerts", "status")
    assert shown.stdout.endswith("已发送4封（最近：2024-05-13 08:30），等待发送0封，"
                                 "1个收件人未送达\n")
    assert shown.stdout.splitlines()[0].strip() == "未送达（不再重试）"
    [item] = json.loads(monitor("alerts", "status", "--json").stdout)["undelivered"]
    assert (item["recipient"], item["outcome"], item["reply"]) == (
        "slj2@example.gov.cn", "refused", "SMTP 550: 5.1.1 no such user")

    smtp_server.mailbox.refuse = {}
    monitor("alerts", "weekly", now="2024-05-20T08:30:00+08:00")
    digest = [raw for _s, rcpt, raw in smtp_server.mailbox.received
              if rcpt == ["gkb@example.gov.cn"]][-1]
    text = message_from_bytes(digest, policy=policy.default).get_body(("plain",))
    assert text is not None
    assert ("   - slj2@example.gov.cn（2024年5月13日—5月19日提醒）：邮件服务器拒收，不再重发；"
            "SMTP 550: 5.1.1 no such user") in text.get_content().replace("\r\n", "\n")

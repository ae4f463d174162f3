"""Posting to chat URLs at the outbox level: a robot that goes silent after taking the
request, and the schemes apprise posts to (a generic JSON webhook)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor.alerts.chatoutbox import deliver_chat_due
from monitor.alerts.chatpost import ChatPoster
from monitor.alerts.compose import ComposedMessage
from monitor.alerts.outbox import enqueue, outbox_status
from monitor.clock import SHANGHAI
from monitor.config import ChatConfig
from monitor.settings import Environment
from storage.session import session_factory
from tests.monitor.alerts.conftest import free_port, outbox_site
from tests.monitor.alerts.webhook_server import HOOK_TOKEN, WECOM_KEY, WebhookServer

MONDAY = datetime(2024, 5, 13, 8, 30, tzinfo=SHANGHAI)
WECOM = "wecombot://${WECOM_KEY}"


@pytest.fixture
def silent_robot() -> Iterator[int]:
    """Takes the request, then never answers (as a robot that posted it and hung)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for connection in held:
        connection.close()


def queue(engine: Engine, channel: str) -> None:
    with session_factory(engine).begin() as session:
        enqueue(session, outbox_site(engine), [ComposedMessage("weekly", "weekly:2024-05-13:unit:1", None,
                                          date(2024, 5, 13), (channel,), "【政务公开周提醒】",
                                          "【政务公开周提醒】县水利局", "", "县水利局",
                                          channel=channel)], MONDAY)


def deliver(engine: Engine, chat: ChatConfig, environment: Environment, at: datetime,
            timeout: float = 5.0):  # noqa: ANN201
    with ChatPoster(chat, environment, timeout=timeout) as poster:
        return deliver_chat_due(session_factory(engine), outbox_site(engine), poster, at)


def test_a_robot_silent_after_the_request_is_not_posted_to_again(
    engine: Engine, silent_robot: int
) -> None:
    chat = ChatConfig(endpoints={"wecombot": f"http://127.0.0.1:{silent_robot}/"})
    environment = Environment(_secrets={"WECOM_KEY": WECOM_KEY})
    queue(engine, WECOM)
    first = deliver(engine, chat, environment, MONDAY, timeout=0.5)
    assert (first.sent, first.failed) == (1, 0)
    assert first.undelivered == (f"{WECOM}: no answer from the chat robot after the message "
                                 "was posted; maybe delivered, not posted again",)
    later = deliver(engine, chat, environment, MONDAY + timedelta(hours=1), timeout=0.5)
    assert (later.sent, later.failed) == (0, 0)
    with session_factory(engine)() as session:
        [uncertain] = outbox_status(session, outbox_site(engine)).undelivered
    assert uncertain.chat and uncertain.recipient == WECOM and not uncertain.refused


def test_a_json_webhook_is_posted_through_apprise_and_retried_while_down(
    engine: Engine,
) -> None:
    server = WebhookServer(free_port())
    channel = f"json://127.0.0.1:{server.port}/hook?-token=${{HOOK_TOKEN}}"
    environment = Environment(_secrets={"HOOK_TOKEN": HOOK_TOKEN})
    queue(engine, channel)
    down = deliver(engine, ChatConfig(), environment, MONDAY)
    assert (down.sent, down.failed) == (0, 1)
    assert all(HOOK_TOKEN not in error for error in down.errors)
    server.start()
    try:
        up = deliver(engine, ChatConfig(), environment, MONDAY + timedelta(minutes=6))
        again = deliver(engine, ChatConfig(), environment, MONDAY + timedelta(hours=1))
    finally:
        server.stop()
    assert (up.sent, up.failed, again.sent) == (1, 0, 0)
    assert server.robot.texts("hook") == ["【政务公开周提醒】县水利局"]

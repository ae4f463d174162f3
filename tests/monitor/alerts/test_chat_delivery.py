"""Weekly alerts in 钉钉 and 企业微信 groups, against a local robot server (webhook_server).

The week of conftest.py: 县水利局 and 县卫生健康委员会 share one 钉钉 group (signed), the
office reads a 企业微信 group; both units and the office also get their e-mails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import Result

from storage.models import AlertMessage
from storage.session import create_db_engine, session_factory
from tests.monitor.alerts.conftest import free_port
from tests.monitor.alerts.webhook_server import (
    DING_SECRET,
    DING_TOKEN,
    WECOM_KEY,
    WebhookServer,
)

Monitor = Callable[..., Result]
# Checked in English, the command lines and the chat messages alike (the Chinese messages are
# test_chat_compose.py's and test_alert_language.py's); the names come from the config.
pytestmark = pytest.mark.usefixtures("english")

DING = "dingtalk://${DING_SECRET}@${DING_TOKEN}/"
OFFICE_WECOM = "wecombot://${OFFICE_WECOM_KEY}"
SECRETS = (DING_TOKEN, DING_SECRET, WECOM_KEY)
PER_MINUTE = 120  # one message to a group every 0.5 s: the pacing shows, the test is quick


@pytest.fixture
def robots() -> Iterator[WebhookServer]:
    """Not started: each test starts it when the robots are meant to be up."""
    server = WebhookServer(free_port())
    yield server
    server.stop()


@pytest.fixture
def chat_week(portal_week: Path, robots: WebhookServer, monkeypatch: pytest.MonkeyPatch,
              smtp_server) -> Path:
    """The week's config with chat groups; tokens only in the environment."""
    text = portal_week.read_text(encoding="utf-8")
    for contacts in ("[slj@example.gov.cn, slj2@example.gov.cn]", "[wjw@example.gov.cn]"):
        text = text.replace(f"    contacts: {contacts}\n",
                            f"    contacts: {contacts}\n    chat: [\"{DING}\"]\n")
    text += (f"chat:\n  office: [\"{OFFICE_WECOM}\"]\n"
             "  link_base: https://jc.example.gov.cn/\n"
             f"  per_minute: {PER_MINUTE}\n"
             f"  endpoints: {{dingtalk: \"{robots.base}/\", wecombot: \"{robots.base}/\"}}\n")
    portal_week.write_text(text, encoding="utf-8")
    monkeypatch.setenv("DING_SECRET", DING_SECRET)
    monkeypatch.setenv("DING_TOKEN", DING_TOKEN)
    monkeypatch.setenv("OFFICE_WECOM_KEY", WECOM_KEY)
    smtp_server.start()
    return portal_week


def outbox_rows(database_url: str) -> list[AlertMessage]:
    engine = create_db_engine(database_url)
    try:
        with session_factory(engine)() as session:
            return list(session.scalars(select(AlertMessage).order_by(AlertMessage.id)))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_each_group_gets_its_short_message_once_beside_the_e_mails(
    chat_week: Path, robots: WebhookServer, smtp_server, monitor: Monitor
) -> None:
    robots.start()
    result = monitor("alerts", "weekly")
    assert result.exit_code == 0, result.output
    # 4 e-mails, 2 messages in the units' 钉钉 group, the digest in the office's 企业微信.
    assert "7 messages for this week: 7 new, 0 already queued before; 7 sent now" in result.stdout
    assert len(smtp_server.mailbox.received) == 4
    assert robots.robot.refusals == []  # the signature was right every time
    slj, wjw = robots.robot.texts("dingtalk")
    assert slj.splitlines()[0] == "[Open Government Weekly Reminder] 县水利局 (6–12 May 2024)"
    assert "1. 工作动态: last updated 19 April 2024, update due 28 April 2024" in slj
    assert "2 broken links or images not shown" in slj
    assert slj.endswith("Please rectify by 20 May.\nDetails: https://jc.example.gov.cn/units/"
                        "%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80")
    assert wjw.startswith("[Open Government Weekly Reminder] 县卫生健康委员会")
    [digest] = robots.robot.texts("wecombot")
    assert digest.startswith("[Open Government Weekly Digest] 瑞河县人民政府门户网站 (6–12 May 2024)\n"
                             "3 units need to be urged to rectify (asked to rectify by 20 May):\n"
                             "1. 县水利局: ")
    # A line break in a unit's name cannot start a line of its own in the group.
    assert ("1. 县水利局: overdue columns: 1, 1 week missed this month, broken links: 2\n"
            "2. 县应急管理局 Bcc: evil@example.com: overdue columns: 1\n"
            "3. 县卫生健康委员会: broken links: 1\nDetails: https://jc.example.gov.cn/") in digest
    for text in (slj, wjw, digest):
        assert "This e-mail" not in text and len(text.encode()) <= 2048

    again = monitor("alerts", "weekly", now="2024-05-13T17:00:00+08:00")
    assert again.exit_code == 0
    assert "7 messages for this week: 0 new, 7 already queued before; 0 sent now" in again.stdout
    assert len(robots.robot.taken) == 3 and len(smtp_server.mailbox.received) == 4


@pytest.mark.slow
def test_messages_to_one_group_are_paced(chat_week: Path, robots: WebhookServer,
                                         monitor: Monitor) -> None:
    robots.start()
    assert monitor("alerts", "weekly").exit_code == 0
    first, second = robots.robot.times("dingtalk")
    assert second - first >= 60 / PER_MINUTE


@pytest.mark.slow
def test_a_group_whose_robot_is_down_gets_its_message_once_when_it_is_back(
    chat_week: Path, robots: WebhookServer, smtp_server, monitor: Monitor
) -> None:
    down = monitor("alerts", "weekly")
    assert down.exit_code == 1
    assert down.stderr.startswith("error: 3 message(s) not accepted by the SMTP server or a "
                                  f"chat robot ({DING}: cannot connect (ConnectError")
    assert len(smtp_server.mailbox.received) == 4  # e-mail is not held up by the chat groups
    status = json.loads(monitor("alerts", "status", "--json").stdout)
    assert sorted(m["recipients"][0] for m in status["waiting"]) == [DING, DING, OFFICE_WECOM]
    assert {m["next_attempt_at"] for m in status["waiting"]} == {"2024-05-13T08:35:00+08:00"}

    robots.start()
    retried = monitor("alerts", "send", now="2024-05-13T08:36:00+08:00")
    assert retried.exit_code == 0 and retried.stdout == "3 sent, 0 not accepted\n"
    assert monitor("alerts", "send", now="2024-05-13T09:00:00+08:00").stdout == (
        "0 sent, 0 not accepted\n")
    assert monitor("alerts", "weekly", now="2024-05-13T10:00:00+08:00").exit_code == 0
    assert len(robots.robot.texts("dingtalk")) == 2 and len(robots.robot.texts("wecombot")) == 1
    assert len(smtp_server.mailbox.received) == 4


@pytest.mark.slow
def test_a_robot_answering_with_an_errcode_has_not_taken_the_message(
    chat_week: Path, robots: WebhookServer, monitor: Monitor
) -> None:
    robots.start()
    robots.robot.errcode = 130101  # 钉钉: too many messages this minute
    refused = monitor("alerts", "weekly")
    assert refused.exit_code == 1
    assert f"{DING}: errcode 130101 refused" in refused.stderr
    assert robots.robot.taken == []
    robots.robot.errcode = 0
    assert monitor("alerts", "send", now="2024-05-13T08:36:00+08:00").exit_code == 0
    assert len(robots.robot.taken) == 3


@pytest.mark.slow
def test_a_wrong_signing_secret_is_refused_by_the_robot(
    chat_week: Path, robots: WebhookServer, monitor: Monitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    robots.start()
    monkeypatch.setenv("DING_SECRET", "SECnot-the-robots-secret")
    result = monitor("alerts", "weekly")
    assert result.exit_code == 1
    assert ("dingtalk", 310000) in robots.robot.refusals
    assert robots.robot.texts("dingtalk") == []


@pytest.mark.slow
def test_no_token_reaches_the_logs_the_output_or_the_outbox(
    chat_week: Path, robots: WebhookServer, monitor: Monitor, database_url: str,
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    down = monitor("alerts", "weekly")
    robots.start()
    sent = monitor("alerts", "send", now="2024-05-13T08:36:00+08:00")
    status = monitor("alerts", "status")
    dry = monitor("alerts", "weekly", "--dry-run", "--out", str(tmp_path / "out"), "--json")
    assert sent.exit_code == 0 and len(robots.robot.taken) == 3
    # The HTTP library logged each request, its URL masked.
    assert "access_token=***" in caplog.text and "key=***" in caplog.text
    rows = [repr({column: getattr(row, column) for column in AlertMessage.__table__.columns.keys()})
            for row in outbox_rows(database_url)]
    files = [path.read_text(encoding="utf-8", errors="replace")
             for path in (tmp_path / "out").iterdir()]
    for where in (down.output, sent.output, status.output, dry.output, caplog.text, *rows,
                  *files):
        for secret in SECRETS:
            assert secret not in where


def test_a_dry_run_writes_each_chat_message_as_text_and_posts_nothing(
    chat_week: Path, robots: WebhookServer, monitor: Monitor, tmp_path: Path
) -> None:
    robots.start()
    result = monitor("alerts", "weekly", "--dry-run", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (f"weekly alert: {DING}: [Open Government Weekly Reminder] 县水利局 (6–12 May 2024)"
            in result.stdout)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert "2024-W20_县水利局_dingtalk.txt" in names
    assert "2024-W20_办公室汇总_wecombot.txt" in names
    assert (tmp_path / "2024-W20_县水利局_dingtalk.txt").read_text(encoding="utf-8").startswith(
        "[Open Government Weekly Reminder] 县水利局")
    assert robots.robot.taken == []

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from monitor.alerts.mailer import build_email, message_id, smtp_settings
from monitor.config import EmailConfig
from monitor.errors import AlertError
from monitor.settings import Environment

SENDER = "政务公开办 <gkb@example.gov.cn>"
CREATED = datetime(2024, 5, 13, 0, 30, tzinfo=UTC)


def test_chinese_subject_and_sender_are_encoded_and_decode_back() -> None:
    email = build_email(SENDER, ["slj@example.gov.cn"], "【提醒】县水利局", "正文", "<p>正文</p>",
                        "weekly:2024-05-13:unit:1", CREATED)
    raw = email.as_bytes()
    assert raw.isascii()
    back = message_from_bytes(raw, policy=policy.default)
    assert back["Subject"] == "【提醒】县水利局"
    assert back["From"] == SENDER
    assert back["Date"] == "Mon, 13 May 2024 00:30:00 +0000"
    assert back.get_body(("plain",)).get_content() == "正文\r\n"  # type: ignore[union-attr]


def test_a_subject_with_line_breaks_stays_one_header() -> None:
    email = build_email(SENDER, ["a@example.gov.cn"], "标题\r\nBcc: evil@example.com", "t", "h",
                        "k", CREATED)
    back = message_from_bytes(email.as_bytes(), policy=policy.default)
    assert back["Bcc"] is None
    assert back["Subject"] == "标题 Bcc: evil@example.com"


@pytest.mark.parametrize("recipient", ["a@example.gov.cn\r\nBcc: evil@example.com",
                                       "not an address", ""])
def test_a_malformed_recipient_is_refused(recipient: str) -> None:
    with pytest.raises(AlertError):
        build_email(SENDER, [recipient], "s", "t", "h", "k", CREATED)


def test_the_message_id_is_stable_for_a_message() -> None:
    assert message_id("weekly:2024-05-13:unit:1", SENDER) == message_id(
        "weekly:2024-05-13:unit:1", SENDER)
    assert message_id("weekly:2024-05-13:unit:1", SENDER).endswith("@example.gov.cn>")
    assert message_id("weekly:2024-05-13:unit:1", SENDER) != message_id(
        "weekly:2024-05-13:unit:2", SENDER)


def email_config(**smtp: object) -> EmailConfig:
    return EmailConfig.model_validate({"smtp": {"host": "127.0.0.1", **smtp},
                                       "sender": SENDER, "office": []})


def test_the_password_comes_from_the_variable_the_config_names() -> None:
    config = email_config(user="gkb", password_env="GKB_SMTP_PASSWORD", starttls=True)
    settings = smtp_settings(config, Environment(_secrets={"GKB_SMTP_PASSWORD": "s3cret"}))
    assert (settings.user, settings.password, settings.starttls) == ("gkb", "s3cret", True)


def test_a_login_without_its_password_variable_is_an_error() -> None:
    config = email_config(user="gkb", password_env="GKB_SMTP_PASSWORD")
    with pytest.raises(AlertError, match="密码环境变量 GKB_SMTP_PASSWORD 为空"):
        smtp_settings(config, Environment())

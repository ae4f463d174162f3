"""Chat URLs in the config: tokens only as ${NAME} references, filled in from the
environment when a message is sent, never echoed in an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError, EnvironmentSettingError
from monitor.settings import Environment

CONFIG = """\
site: {{name: 瑞河县人民政府门户网站, url: "http://127.0.0.1:8000/"}}
chat:
{chat}
units:
  - name: 县水利局
    group: 县直单位
    chat: [{unit_chat}]
    columns:
      - {{name: 工作动态, url: "http://127.0.0.1:8000/slj/gzdt/", category: dynamics}}
"""

GOOD_CHAT = """\
  office: ["dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/"]
  link_base: https://jc.example.gov.cn/
  per_minute: 20
  endpoints: {dingtalk: "http://127.0.0.1:9000"}"""


def write(tmp_path: Path, chat: str = GOOD_CHAT,
          unit_chat: str = '"wecombot://${SLJ_WECOM_KEY}"') -> Path:
    path = tmp_path / "portal.yaml"
    path.write_text(CONFIG.format(chat=chat, unit_chat=unit_chat), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return "\n".join(raised.value.problems)


def test_chat_urls_of_the_office_and_a_unit_load_as_written(tmp_path: Path) -> None:
    config = load_config(write(tmp_path))
    assert config.chat.office == ["dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/"]
    assert config.units[0].chat == ["wecombot://${SLJ_WECOM_KEY}"]
    assert (config.chat.max_bytes, config.chat.per_minute) == (2048, 20)
    assert config.chat_urls() == ["dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/",
                                  "wecombot://${SLJ_WECOM_KEY}"]


def test_a_chat_url_with_its_token_written_out_is_refused_without_echoing_it(
        tmp_path: Path) -> None:
    message = error_of(write(tmp_path, unit_chat='"wecombot://d41d8cd98f00b204e980"'))
    assert "units[0].chat[0]: the URL names no environment variable" in message
    assert "d41d8cd98f00b204e980" not in message


def test_a_robot_url_in_a_form_the_monitor_cannot_post_to_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, unit_chat='"dingtalk://${TOKEN}/13800000000"'))
    assert ("units[0].chat[0]: a 钉钉 robot is written dingtalk://${SECRET}@${TOKEN}/ "
            "(or dingtalk://${TOKEN}/ without 加签)") in message
    message = error_of(write(tmp_path, unit_chat='"wecombot://${KEY}/extra"'))
    assert "units[0].chat[0]: a 企业微信 group robot is written wecombot://${KEY}" in message
    for good in ('"dingtalk://${TOKEN}/"', '"dingtalk://${TOKEN}/?secret=${SECRET}"',
                 '"wecombot://${KEY}"', '"wecombot://?key=${KEY}"'):
        assert load_config(write(tmp_path, unit_chat=good)).units[0].chat


def test_a_reference_that_is_not_a_variable_name_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, unit_chat='"wecombot://${wecom-key}"'))
    assert "'${wecom-key}' is not an environment variable name" in message


def test_an_unknown_vendor_endpoint_and_an_unknown_key_are_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, chat='  endpoints: {feishu: "http://127.0.0.1:9000"}\n'
                                            "  pace: 5"))
    assert "chat.endpoints: 'feishu' is not a vendor whose address can be changed" in message
    assert "chat.pace:" in message


def test_the_environment_fills_in_the_references_and_names_only_what_is_missing() -> None:
    environment = Environment.from_environ({"DINGTALK_TOKEN": "tok123", "DINGTALK_SECRET": ""})
    template = "dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/"
    assert environment.missing(template) == ["DINGTALK_SECRET"]
    with pytest.raises(EnvironmentSettingError) as raised:
        environment.expand(template)
    assert str(raised.value) == ("DINGTALK_SECRET: not set in the environment "
                                 "(named by a chat URL of the config)")
    full = Environment.from_environ({"DINGTALK_TOKEN": "tok123", "DINGTALK_SECRET": "SECabc"})
    assert full.expand(template) == "dingtalk://SECabc@tok123/"

"""The chat messages of a week (pure): one per group, keyed like the e-mail, short."""

from __future__ import annotations

from dataclasses import replace

from monitor.alerts.chatcompose import compose_chat_due_soon, compose_chat_weekly
from monitor.alerts.compose import compose_weekly
from monitor.alerts.facts import UnitFacts, WeekFacts
from monitor.config import ChatConfig
from tests.monitor.alerts.test_compose import AS_OF, TEMPLATES, unit

DING = "dingtalk://${DING_TOKEN}/"
WECOM = "wecombot://${KEY}"
CHAT = ChatConfig(office=[WECOM], link_base="https://jc.example.gov.cn/")


def in_groups(facts: UnitFacts, *chat: str) -> UnitFacts:
    return replace(facts, chat=chat)


def test_each_group_of_a_unit_gets_its_alert_under_the_e_mails_key() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", AS_OF, (
        in_groups(unit(1, "县水利局", overdue=2), DING, WECOM), in_groups(unit(2, "青石镇"), DING)))
    chat = compose_chat_weekly(facts, CHAT, TEMPLATES)
    mail = compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES)
    assert [(m.kind, m.channel, m.recipients) for m in chat] == [
        ("weekly", DING, (DING,)), ("weekly", WECOM, (WECOM,)), ("digest", WECOM, (WECOM,))]
    assert [m.dedupe_key for m in chat] == [m.dedupe_key for m in mail[:1]] * 2 + [
        mail[-1].dedupe_key]
    assert all(m.body_html == "" and "本邮件" not in m.body_text for m in chat)
    # A unit reached only in its group is not listed as unreached in the e-mail digest.
    no_mail = replace(facts, units=(replace(facts.units[0], contacts=()),))
    [digest] = compose_weekly(no_mail, ["gkb@example.gov.cn"], TEMPLATES)
    assert "未配置邮箱，本周提醒只发到群" in digest.body_text
    assert "未配置联系人" not in digest.body_text
    assert chat[0].subject == "【政务公开周提醒】县水利局（2024年5月6日—5月12日）"


def test_a_unit_with_many_columns_behind_gets_a_message_cut_to_the_groups_limit() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", AS_OF, (
        in_groups(unit(1, "县水利局", overdue=300), DING, WECOM),))
    [ding, wecom] = compose_chat_weekly(
        facts, ChatConfig(max_bytes=4000, link_base="https://jc.example.gov.cn/"), TEMPLATES)
    assert 3000 < len(ding.body_text.encode()) <= 4000
    assert 1536 < len(wecom.body_text.encode()) <= 2048
    for message in (ding, wecom):
        body, link = message.body_text.rsplit("\n", 1)
        assert link.startswith("详见：https://jc.example.gov.cn/units/")
        # Cut after a whole column's line, not half-way through it.
        assert body.endswith("应更新日期2024年4月28日…")


def test_due_soon_reminders_go_to_the_groups_of_units_with_columns_due() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", AS_OF, (
        in_groups(unit(1, "县水利局", due_soon=1), DING), unit(2, "青石镇", due_soon=1)))
    [message] = compose_chat_due_soon(facts, CHAT, TEMPLATES)
    assert message.kind == "due_soon" and message.dedupe_key == "due_soon:2024-05-13:unit:1"
    assert message.body_text.startswith(
        "【栏目更新提醒】县水利局：1个栏目本周即将到期（2024年5月13日—5月19日）\n"
        "1. d0：最后更新2024年4月19日，到期日2024年4月28日\n请在到期日前发布信息。")


def test_no_digest_in_the_office_group_when_there_is_nothing_to_say() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", AS_OF, (in_groups(unit(1, "县水利局"), DING),))
    assert compose_chat_weekly(facts, CHAT, TEMPLATES) == []

"""A week's facts → the chat messages to post (pure apart from reading the templates).

The same alerts as the e-mails — one per unit behind, one digest for the office — in a
short form, one message per chat URL. Each carries the e-mail's dedupe key: the outbox
keys a delivery by (key, channel), so a unit's alert by e-mail and in its 钉钉 group are
two deliveries, each sent once.
"""

from __future__ import annotations

from monitor.alerts.chattext import dashboard_link, fit, text_limit
from monitor.alerts.compose import (
    DIGEST,
    DUE_SOON,
    WEEKLY,
    ComposedMessage,
    digest_context,
    digest_has_news,
    digest_key,
    one_line,
    unit_context,
    unit_key,
)
from monitor.alerts.facts import UnitFacts, WeekFacts
from monitor.alerts.templates import AlertTemplates
from monitor.config import ChatConfig


def compose_chat_weekly(facts: WeekFacts, chat: ChatConfig,
                        templates: AlertTemplates) -> list[ComposedMessage]:
    """One message per chat group of each unit behind; the digest in the office's."""
    messages = [message for unit in facts.units_behind
                for message in _unit_messages(facts, unit, WEEKLY, chat, templates)]
    if digest_has_news(facts) and chat.office:
        text = templates.render_chat("alert_digest", digest_context(facts))
        link = dashboard_link(chat.link_base)
        messages += [_message(DIGEST, digest_key(facts), None, facts, channel,
                              fit(text, link, text_limit(channel, chat.max_bytes)))
                     for channel in chat.office]
    return messages


def compose_chat_due_soon(facts: WeekFacts, chat: ChatConfig,
                          templates: AlertTemplates) -> list[ComposedMessage]:
    return [message for unit in facts.units if unit.due_soon
            for message in _unit_messages(facts, unit, DUE_SOON, chat, templates)]


def _unit_messages(facts: WeekFacts, unit: UnitFacts, kind: str, chat: ChatConfig,
                   templates: AlertTemplates) -> list[ComposedMessage]:
    if not unit.chat:
        return []
    text = templates.render_chat("alert_unit", unit_context(facts, unit, kind))
    link = dashboard_link(chat.link_base, unit.name)
    return [_message(kind, unit_key(facts, unit, kind), unit, facts, channel,
                     fit(text, link, text_limit(channel, chat.max_bytes)))
            for channel in unit.chat]


def _message(kind: str, key: str, unit: UnitFacts | None, facts: WeekFacts, channel: str,
             text: str) -> ComposedMessage:
    # The heading line stands for a subject in `alerts status` and the dry run.
    heading = one_line(text.partition("\n")[0])
    return ComposedMessage(
        kind, key, unit.unit_id if unit else None, facts.week, (channel,), heading, text, "",
        unit.name if unit else None, channel=channel)

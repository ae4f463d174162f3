"""A week's facts → the messages to send (pure apart from reading the templates).

One message per unit that is behind and has contacts, and one digest to the office
listing every unit behind by severity. Each message has a dedupe key naming its kind,
week and unit: the outbox refuses a second message with the same key, so a rerun of the
same week's job sends nothing new, while next week's reminder is a new message even when
nothing changed (the office wants the weekly reminder regardless).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from monitor.alerts.facts import UnitFacts, WeekFacts
from monitor.alerts.templates import AlertTemplates
from storage.models import EMAIL_CHANNEL

WEEKLY = "weekly"
DIGEST = "digest"
DUE_SOON = "due_soon"

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class ComposedMessage:
    kind: str
    dedupe_key: str
    unit_id: int | None
    week: date
    recipients: tuple[str, ...]
    subject: str
    body_text: str
    body_html: str
    # The unit a unit's message is for (None for the office digest): names its .eml file.
    unit_name: str | None = None
    # `email`, or the chat URL (as the config writes it) the message is for.
    channel: str = EMAIL_CHANNEL


def one_line(text: str) -> str:
    """A header value: control characters (CR, LF …) become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())


def compose_weekly(facts: WeekFacts, office: Sequence[str],
                   templates: AlertTemplates) -> list[ComposedMessage]:
    messages = [_unit_message(facts, unit, WEEKLY, templates)
                for unit in facts.units_behind if unit.contacts]
    if digest_has_news(facts) and office:
        subject, text, html = templates.render("alert_digest", digest_context(facts))
        messages.append(ComposedMessage(
            DIGEST, digest_key(facts), None, facts.week, tuple(office), one_line(subject), text,
            html))
    return messages


def _crawl_failed(facts: WeekFacts) -> bool:
    return facts.last_crawl is not None and facts.last_crawl.failed


def digest_has_news(facts: WeekFacts) -> bool:
    """Whether the office hears anything this week (on any channel)."""
    return bool(facts.units_behind or facts.site_wide or facts.unreachable
                or _crawl_failed(facts) or facts.undelivered or facts.national_alarm)


def digest_key(facts: WeekFacts) -> str:
    return f"{DIGEST}:{facts.week.isoformat()}"


def unit_key(facts: WeekFacts, unit: UnitFacts, kind: str) -> str:
    return f"{kind}:{facts.week.isoformat()}:unit:{unit.unit_id}"


def digest_context(facts: WeekFacts) -> dict[str, object]:
    return {**_context(facts), "units": facts.units_behind, "site_wide": facts.site_wide,
            "unreachable": facts.unreachable, "last_crawl": facts.last_crawl,
            "crawl_failed": _crawl_failed(facts), "undelivered": facts.undelivered,
            "national": facts.national, "national_lines": facts.national_lines,
            "national_alarm": facts.national_alarm}


def compose_due_soon(facts: WeekFacts, templates: AlertTemplates) -> list[ComposedMessage]:
    return [_unit_message(facts, unit, DUE_SOON, templates)
            for unit in facts.units if unit.due_soon and unit.contacts]


def unit_context(facts: WeekFacts, unit: UnitFacts, kind: str) -> dict[str, object]:
    return {**_context(facts), "kind": kind, "unit": unit}


def _context(facts: WeekFacts) -> dict[str, object]:
    # `week` is the week the alert is sent in; `reviewed_week` the last one that has ended,
    # which a weekly alert reports on and names in its subject.
    return {"site_name": facts.site_name, "as_of": facts.as_of, "week": facts.week,
            "reviewed_week": facts.reviewed_week, "rectify_by": facts.rectify_by}


def _unit_message(facts: WeekFacts, unit: UnitFacts, kind: str,
                  templates: AlertTemplates) -> ComposedMessage:
    subject, text, html = templates.render("alert_unit", unit_context(facts, unit, kind))
    return ComposedMessage(
        kind, unit_key(facts, unit, kind), unit.unit_id, facts.week, unit.contacts,
        one_line(subject), text, html, unit.name)

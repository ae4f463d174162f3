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


def one_line(text: str) -> str:
    """A header value: control characters (CR, LF …) become spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())


def compose_weekly(facts: WeekFacts, office: Sequence[str],
                   templates: AlertTemplates) -> list[ComposedMessage]:
    behind = facts.units_behind
    messages = [_unit_message(facts, unit, WEEKLY, templates)
                for unit in behind if unit.contacts]
    crawl_failed = facts.last_crawl is not None and facts.last_crawl.failed
    news = (behind or facts.site_wide or facts.unreachable or crawl_failed or facts.undelivered
            or facts.national_alarm)
    if news and office:
        subject, text, html = templates.render("alert_digest", {
            **_context(facts), "units": behind, "site_wide": facts.site_wide,
            "unreachable": facts.unreachable, "last_crawl": facts.last_crawl,
            "crawl_failed": crawl_failed, "undelivered": facts.undelivered,
            "national": facts.national, "national_lines": facts.national_lines})
        messages.append(ComposedMessage(
            DIGEST, f"{DIGEST}:{facts.week.isoformat()}", None, facts.week, tuple(office),
            one_line(subject), text, html))
    return messages


def compose_due_soon(facts: WeekFacts, templates: AlertTemplates) -> list[ComposedMessage]:
    return [_unit_message(facts, unit, DUE_SOON, templates)
            for unit in facts.units if unit.due_soon and unit.contacts]


def _context(facts: WeekFacts) -> dict[str, object]:
    # `week` is the week the alert is sent in; `reviewed_week` the last one that has ended,
    # which a weekly alert reports on and names in its subject.
    return {"site_name": facts.site_name, "as_of": facts.as_of, "week": facts.week,
            "reviewed_week": facts.reviewed_week, "rectify_by": facts.rectify_by}


def _unit_message(facts: WeekFacts, unit: UnitFacts, kind: str,
                  templates: AlertTemplates) -> ComposedMessage:
    subject, text, html = templates.render("alert_unit", {
        **_context(facts), "kind": kind, "unit": unit})
    return ComposedMessage(
        kind, f"{kind}:{facts.week.isoformat()}:unit:{unit.unit_id}", unit.unit_id, facts.week,
        unit.contacts, one_line(subject), text, html, unit.name)

"""The alert jobs end to end: gather the week's facts, compose, queue, send, or write .eml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from monitor.alerts.compose import DUE_SOON, ComposedMessage, compose_due_soon, compose_weekly
from monitor.alerts.facts import WeekFacts
from monitor.alerts.gather import gather_week
from monitor.alerts.mailer import SmtpMailer, build_email, smtp_settings
from monitor.alerts.outbox import Delivery, Queued, deliver_due, enqueue
from monitor.alerts.templates import AlertTemplates
from monitor.app import App
from monitor.config import EmailConfig
from monitor.errors import AlertError
from monitor.services.facts import portal_site_id
from monitor.services.problems import refresh_rule_problems
from storage import migrations


def email_config(app: App) -> EmailConfig:
    email = app.config.email
    if email is None:
        raise AlertError("e-mail is not configured: add an email: section (smtp, sender, office)")
    return email


def weekly_messages(app: App, templates: AlertTemplates) -> list[ComposedMessage]:
    office = email_config(app).office
    return compose_weekly(_facts(app), office, templates)


def due_soon_messages(app: App, templates: AlertTemplates) -> list[ComposedMessage]:
    email_config(app)
    return compose_due_soon(_facts(app), templates)


def _facts(app: App) -> WeekFacts:
    migrations.require_current(app.engine)
    with app.sessions.begin() as session:
        # An entry point that changes things: contacts and unit names follow the config even
        # when no crawl ran since it changed, and the rule problems are judged now, so the
        # alert is right without a crawl first.
        site_id = portal_site_id(session, app.config)
        refresh_rule_problems(session, app.config, app.clock.now(), site_id)
        return gather_week(session, app.config, site_id, app.clock.today())


@dataclass(frozen=True)
class Outcome:
    composed: int
    queued: Queued
    delivery: Delivery


def queue_and_send(app: App, messages: list[ComposedMessage]) -> Outcome:
    with app.sessions.begin() as session:
        queued = enqueue(session, messages, app.clock.now())
    return Outcome(len(messages), queued, send_due(app))


def send_due(app: App) -> Delivery:
    email = email_config(app)
    migrations.require_current(app.engine)
    with SmtpMailer(smtp_settings(email, app.environment)) as mailer:
        return deliver_due(app.sessions, mailer, email.sender, app.clock.now())


def write_eml(app: App, messages: list[ComposedMessage], directory: Path) -> list[Path]:
    """The messages as .eml files, exactly as they would be sent; nothing is queued."""
    sender = email_config(app).sender
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AlertError(f"cannot create {directory}: {err.strerror}") from None
    paths = []
    now = app.clock.now()
    for message in messages:
        email = build_email(sender, message.recipients, message.subject, message.body_text,
                            message.body_html, message.dedupe_key, now)
        path = directory / eml_file_name(message)
        path.write_bytes(email.as_bytes())
        paths.append(path)
    return paths


# Characters a file name cannot hold on Windows or Unix, and white space, become `_`.
_UNSAFE_IN_FILE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
DIGEST_FILE_LABEL = "办公室汇总"
DUE_SOON_FILE_LABEL = "即将逾期提醒"


def eml_file_name(message: ComposedMessage) -> str:
    """`2024-W20_县水利局.eml`: the ISO week and whom it is for, as the office files them
    (`2024-W20_办公室汇总.eml` for the digest)."""
    year, week, _ = message.week.isocalendar()
    parts = [f"{year}-W{week:02d}", message.unit_name or DIGEST_FILE_LABEL]
    if message.kind == DUE_SOON:
        parts.append(DUE_SOON_FILE_LABEL)
    name = _UNSAFE_IN_FILE_NAME.sub("_", "_".join(parts)).lstrip(".")
    return f"{name}.eml"

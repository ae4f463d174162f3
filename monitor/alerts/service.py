"""The alert jobs end to end: gather the week's facts, compose, queue, send, or write .eml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor.alerts.chatcompose import compose_chat_due_soon, compose_chat_weekly
from monitor.alerts.chatoutbox import deliver_chat_due
from monitor.alerts.chatpost import ChatPoster
from monitor.alerts.chatsupport import require_apprise
from monitor.alerts.chattext import vendor_of
from monitor.alerts.compose import DUE_SOON, ComposedMessage, compose_due_soon, compose_weekly
from monitor.alerts.facts import WeekFacts
from monitor.alerts.gather import gather_week
from monitor.alerts.mailer import SmtpMailer, build_email, smtp_settings
from monitor.alerts.outbox import Delivery, Queued, deliver_due, due_ids, enqueue
from monitor.alerts.templates import AlertTemplates
from monitor.app import App
from monitor.config import EmailConfig
from monitor.errors import AlertError
from monitor.i18n import _
from monitor.services.facts import portal_site_id
from monitor.services.problems import refresh_rule_problems
from storage import migrations
from storage.models import EMAIL_CHANNEL
from storage.queries import site_id_of


def email_config(app: App) -> EmailConfig:
    email = app.config.email
    if email is None:
        raise AlertError(
            _("e-mail is not configured: add an email: section (smtp, sender, office)"))
    return email


def _require_a_channel(app: App) -> None:
    if app.config.email is None and not app.config.chat_urls():
        raise AlertError(_("alerts are not configured: add an email: section (smtp, sender, "
                           "office) or chat URLs (chat: office, a unit's chat)"))
    require_apprise(app.config)


def weekly_messages(app: App, templates: AlertTemplates) -> list[ComposedMessage]:
    """The week's e-mails (when e-mail is configured), then its chat messages."""
    _require_a_channel(app)
    facts = _facts(app)
    email = app.config.email
    messages = compose_weekly(facts, email.office, templates) if email is not None else []
    return messages + compose_chat_weekly(facts, app.config.chat, templates)


def due_soon_messages(app: App, templates: AlertTemplates) -> list[ComposedMessage]:
    _require_a_channel(app)
    facts = _facts(app)
    messages = compose_due_soon(facts, templates) if app.config.email is not None else []
    return messages + compose_chat_due_soon(facts, app.config.chat, templates)


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
        queued = enqueue(session, portal_site_id(session, app.config), messages,
                         app.clock.now())
    return Outcome(len(messages), queued, send_due(app))


def send_due(app: App) -> Delivery:
    """Send the portal's e-mails, then post its chat messages, whose retry time has come;
    a portal never recorded has nothing queued."""
    migrations.require_current(app.engine)
    now = app.clock.now()
    with app.sessions() as session:
        site_id = site_id_of(session, app.config.site.url)
    if site_id is None:
        return Delivery(0, 0, ())
    email = app.config.email
    if email is not None:
        with SmtpMailer(smtp_settings(email, app.environment)) as mailer:
            mail = deliver_due(app.sessions, site_id, mailer, email.sender, now)
    else:
        mail = _unsendable_mail(app, site_id, now)
    if not due_ids(app.sessions, site_id, now, chat=True):
        return mail
    require_apprise(app.config)
    with ChatPoster(app.config.chat, app.environment) as poster:
        return combined(mail, deliver_chat_due(app.sessions, site_id, poster, now))


def _unsendable_mail(app: App, site_id: int, now: datetime) -> Delivery:
    """E-mails queued while e-mail was configured wait; the office is told why."""
    waiting = len(due_ids(app.sessions, site_id, now, chat=False))
    if not waiting:
        return Delivery(0, 0, ())
    return Delivery(0, waiting, ("e-mail is not configured: add an email: section (smtp, "
                                 "sender, office)",))


def combined(first: Delivery, second: Delivery) -> Delivery:
    return Delivery(first.sent + second.sent, first.failed + second.failed,
                    tuple(dict.fromkeys(first.errors + second.errors)),
                    first.undelivered + second.undelivered)


def write_eml(app: App, messages: list[ComposedMessage], directory: Path) -> list[Path]:
    """The e-mails as .eml files, exactly as they would be sent, and each chat message as
    a .txt file of the text that would be posted; nothing is queued."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise AlertError(_("cannot create {path}: {reason}").format(
            path=directory, reason=err.strerror)) from None
    paths: list[Path] = []
    now = app.clock.now()
    for message in messages:
        if message.channel != EMAIL_CHANNEL:
            path = directory / chat_file_name(message, {path.name for path in paths})
            path.write_text(message.body_text, encoding="utf-8")
            paths.append(path)
            continue
        email = build_email(email_config(app).sender, message.recipients, message.subject,
                            message.body_text, message.body_html, message.dedupe_key, now)
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
    return f"{_file_stem(message)}.eml"


def chat_file_name(message: ComposedMessage, taken: set[str]) -> str:
    """`2024-W20_县水利局_dingtalk.txt`, numbered when a unit has two groups of a kind."""
    stem = f"{_file_stem(message)}_{_UNSAFE_IN_FILE_NAME.sub('_', vendor_of(message.channel))}"
    name, number = f"{stem}.txt", 1
    while name in taken:
        number += 1
        name = f"{stem}-{number}.txt"
    return name


def _file_stem(message: ComposedMessage) -> str:
    year, week, _weekday = message.week.isocalendar()
    parts = [f"{year}-W{week:02d}", message.unit_name or DIGEST_FILE_LABEL]
    if message.kind == DUE_SOON:
        parts.append(DUE_SOON_FILE_LABEL)
    return _UNSAFE_IN_FILE_NAME.sub("_", "_".join(parts)).lstrip(".")

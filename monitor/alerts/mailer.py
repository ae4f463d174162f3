"""Building alert e-mails and handing them to the SMTP server.

Headers are built from `email.headerregistry` objects: addresses are parsed (a malformed
one is refused, never pasted), the subject passes `one_line` and the SMTP policy refuses
any header value with a line break. So a unit name or a crawled title can never add a
header (header injection), nor carry a bidi override or a terminal control into it.
Non-ASCII subjects and names are RFC 2047-encoded; both body
parts are UTF-8 in base64, which every server relays unchanged.
"""

from __future__ import annotations

import hashlib
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from monitor.config import EmailConfig
from monitor.errors import AlertError
from monitor.i18n import _
from monitor.safetext import one_line
from monitor.settings import Environment

SMTP_TIMEOUT_SECONDS = 30


class DeliveryError(Exception):
    """The SMTP server could not be reached or did not accept a message (retried later).

    `unreachable`: no connection could be made, so the other messages need not try now.
    """

    def __init__(self, message: str, unreachable: bool) -> None:
        super().__init__(message)
        self.unreachable = unreachable


def address(text: str) -> Address:
    """An address from the config or the database, parsed; never pasted into a header."""
    name, addr_spec = parseaddr(text)
    if not addr_spec or _has_break(text):
        raise AlertError(_("'{text}' is not an e-mail address").format(text=one_line(text)))
    try:
        return Address(display_name=one_line(name), addr_spec=addr_spec)
    except (ValueError, IndexError) as err:
        raise AlertError(_("'{text}' is not an e-mail address: {reason}").format(
            text=one_line(text), reason=err)) from None


def _has_break(text: str) -> bool:
    return any(character in text for character in "\r\n")


def message_id(dedupe_key: str, sender: str) -> str:
    """The same message always has the same Message-ID, so a resend after a crash between
    the server's acceptance and our bookkeeping can be recognised by the recipient."""
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{address(sender).domain}>"


def build_email(sender: str, recipients: Sequence[str], subject: str, text: str, html: str,
                dedupe_key: str, created_at: datetime) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = address(sender)
    message["To"] = [address(recipient) for recipient in recipients]
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(created_at)
    message["Message-ID"] = message_id(dedupe_key, sender)
    message.set_content(text, charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return message


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str | None
    password: str | None = None
    starttls: bool = False
    ssl: bool = False
    timeout: float = SMTP_TIMEOUT_SECONDS


def smtp_settings(email: EmailConfig, environment: Environment) -> SmtpSettings:
    smtp = email.smtp
    password = environment.secret(smtp.password_env) if smtp.password_env else None
    if smtp.user and not password:
        variable = smtp.password_env or _("(none named: set email.smtp.password_env)")
        raise AlertError(_("email.smtp.user is set but the password variable {variable} is "
                           "empty").format(variable=variable))
    return SmtpSettings(smtp.host, smtp.port, smtp.user, password, smtp.starttls, smtp.ssl)


@dataclass(frozen=True)
class Transaction:
    """What the server said to one message, recipient by recipient.

    `deferred`: refused for now (4xx), tried again later. `refused`: refused for good (5xx).
    `uncertain`: the content was sent but no final reply came (a timeout after DATA): the
    server may have taken it. It is not sent again (at most once: a slow server must not
    receive the same message twice), and the office is told.
    """

    accepted: tuple[str, ...] = ()
    deferred: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    uncertain: tuple[str, ...] = ()


class SmtpMailer:
    """One SMTP connection for a batch of messages, opened on the first send."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings
        self._connection: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, sender: str, recipients: Sequence[str]) -> Transaction:
        """Send to `recipients` (the envelope; the To header may name more). Raises
        DeliveryError when nothing could be handed over (retried later as a whole)."""
        try:
            connection = self._connect()
        except (smtplib.SMTPException, OSError) as err:
            self.close()
            raise DeliveryError(_describe(err), unreachable=True) from None
        try:
            return _transaction(connection, message, address(sender).addr_spec,
                                [address(recipient).addr_spec for recipient in recipients])
        except (smtplib.SMTPException, OSError) as err:
            self.close()
            raise DeliveryError(_describe(err), unreachable=False) from None

    def close(self) -> None:
        if self._connection is None:
            return
        connection, self._connection = self._connection, None
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        settings = self._settings
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if settings.ssl:
            connection = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                          context=context)
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.starttls:
                connection.starttls(context=context)
        if settings.user:
            connection.login(settings.user, settings.password or "")
        self._connection = connection
        return connection


def _describe(err: Exception) -> str:
    if isinstance(err, smtplib.SMTPResponseException):
        reply = err.smtp_error.decode("utf-8", "replace") if isinstance(
            err.smtp_error, bytes) else str(err.smtp_error)
        return f"SMTP {err.smtp_code}: {one_line(reply)}"[:500]
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "all recipients refused: " + ", ".join(sorted(err.recipients))[:450]
    return f"{type(err).__name__}: {one_line(str(err))}"[:500]


def _transaction(connection: smtplib.SMTP, message: EmailMessage, sender: str,
                 recipients: list[str]) -> Transaction:
    """MAIL, RCPT for each recipient, DATA, step by step, so that each recipient's reply is
    kept and a silence after the content was sent is told apart from one before it."""
    connection.ehlo_or_helo_if_needed()
    code, reply = connection.mail(sender)
    if code != 250:
        connection.rset()
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    accepted: list[str] = []
    deferred: dict[str, str] = {}
    refused: dict[str, str] = {}
    for recipient in recipients:
        code, reply = connection.rcpt(recipient)
        if code in (250, 251):
            accepted.append(recipient)
        else:
            (deferred if 400 <= code < 500 else refused)[recipient] = _reply(code, reply)
    if not accepted:
        connection.rset()
        return Transaction((), deferred, refused)
    code, reply = connection.docmd("DATA")
    if code != 354:
        connection.rset()
        raise smtplib.SMTPDataError(code, reply)
    connection.send(_dot_stuffed(message.as_bytes()))
    try:
        code, reply = connection.getreply()
    except smtplib.SMTPServerDisconnected:
        # The content is out: the server may have queued it before going silent.
        return Transaction((), deferred, refused, tuple(accepted))
    if code == 250:
        return Transaction(tuple(accepted), deferred, refused)
    outcome = {recipient: _reply(code, reply) for recipient in accepted}
    if 400 <= code < 500:
        return Transaction((), deferred | outcome, refused)
    return Transaction((), deferred, refused | outcome)


def _dot_stuffed(content: bytes) -> bytes:
    """The message as DATA carries it: CRLF line ends, a leading dot doubled, the final dot."""
    lines = re.sub(rb"\r\n|\r|\n", b"\r\n", content)
    stuffed = re.sub(rb"(?m)^\.", b"..", lines)
    if not stuffed.endswith(b"\r\n"):
        stuffed += b"\r\n"
    return stuffed + b".\r\n"


def _reply(code: int, reply: bytes) -> str:
    return f"SMTP {code}: {one_line(reply.decode('utf-8', 'replace'))}"[:300]

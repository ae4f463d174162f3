"""STARTTLS and implicit TLS against a real loopback server with a certificate for 127.0.0.1.

The client verifies the certificate as in service; the test's certificate is made trusted
the standard OpenSSL way (SSL_CERT_FILE), as an office would trust its own mail relay's CA.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from monitor.alerts.mailer import DeliveryError, SmtpMailer, SmtpSettings, build_email

SENDER = "政务公开办 <gkb@example.gov.cn>"


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "relay.pem", directory / "relay.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Relay:
    logins: list[tuple[bytes, bytes]] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)

    def authenticate(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                     auth_data: LoginPassword) -> AuthResult:
        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        self.received.append(bytes(envelope.original_content or b""))
        return "250 OK"


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ssl.SSLContext]:
    cert_path, key_path = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_path, key_path)
    yield server_context


def send_one(settings: SmtpSettings) -> None:
    email = build_email(SENDER, ["slj@example.gov.cn"], "【提醒】县水利局", "正文", "<p>正文</p>",
                        "weekly:2024-05-13:unit:1", datetime(2024, 5, 13, tzinfo=UTC))
    with SmtpMailer(settings) as mailer:
        mailer.send(email, SENDER, ["slj@example.gov.cn"])


def test_starttls_with_login_delivers(certificate: ssl.SSLContext, smtp_server) -> None:
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=smtp_server.port, tls_context=certificate,
                            require_starttls=True, authenticator=relay.authenticate,
                            auth_require_tls=True)
    controller.start()
    try:
        port = smtp_server.port
        send_one(SmtpSettings("127.0.0.1", port, "gkb", "s3cret", starttls=True))
    finally:
        controller.stop()
    assert relay.logins == [(b"gkb", b"s3cret")]
    assert len(relay.received) == 1
    assert message_from_bytes(relay.received[0], policy=policy.default)["Subject"] == (
        "【提醒】县水利局")


def test_implicit_tls_delivers(certificate: ssl.SSLContext, smtp_server) -> None:
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=smtp_server.port, ssl_context=certificate)
    controller.start()
    try:
        port = smtp_server.port
        send_one(SmtpSettings("127.0.0.1", port, None, ssl=True))
    finally:
        controller.stop()
    assert len(relay.received) == 1


def test_a_server_without_starttls_is_not_used_in_clear_when_starttls_is_required(
    smtp_server,
) -> None:
    relay = Relay()
    controller = Controller(relay, hostname="127.0.0.1", port=smtp_server.port)
    controller.start()
    try:
        port = smtp_server.port
        with pytest.raises(DeliveryError, match="STARTTLS"):
            send_one(SmtpSettings("127.0.0.1", port, None, starttls=True))
    finally:
        controller.stop()
    assert relay.received == []

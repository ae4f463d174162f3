"""X-Forwarded-For is believed only from the proxies in web.trusted_proxies."""

from __future__ import annotations

from pathlib import Path

import yaml
from starlette.testclient import TestClient

from monitor.app import App
from monitor.settings import Environment
from monitor.web.app import create_app

from .conftest import OFFICE, PASSWORD, csrf_of

PROXY = ("10.1.2.3", 5000)


def _client(dashboard, tmp_path: Path, wall_clock, trusted: list[str]) -> TestClient:
    document = yaml.safe_load(dashboard.config.read_text(encoding="utf-8"))
    document["web"] = {"trusted_proxies": trusted, "login_failures": 2}
    config = tmp_path / f"portal-{len(trusted)}.yaml"
    config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    application = App(environment=Environment.from_environ(
        dashboard.environ(MONITOR_CONFIG=str(config))))
    return TestClient(create_app(application, clock=wall_clock), follow_redirects=False,
                      client=PROXY)


def _login(client: TestClient, name: str, password: str, forwarded_for: str) -> int:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", headers={"X-Forwarded-For": forwarded_for},
                       data={"username": name, "password": password,
                             "csrf_token": token}).status_code


def test_a_trusted_proxy_names_the_client(dashboard, tmp_path, wall_clock) -> None:
    client = _client(dashboard, tmp_path, wall_clock, ["10.1.2.0/24"])
    for name in ("a1", "a2"):
        _login(client, name, "guess", "198.51.100.1")
    # The guessing client is locked out; another client behind the same proxy is not.
    assert _login(client, OFFICE, PASSWORD, "198.51.100.1") == 429
    assert _login(client, OFFICE, PASSWORD, "198.51.100.2") == 303


def test_an_untrusted_sender_cannot_pick_its_address(dashboard, tmp_path, wall_clock) -> None:
    client = _client(dashboard, tmp_path, wall_clock, [])
    for number, name in enumerate(("a1", "a2")):
        _login(client, name, "guess", f"198.51.100.{number}")
    # Every attempt came from the sender itself, whatever the header said.
    assert _login(client, OFFICE, PASSWORD, "198.51.100.9") == 429

"""Security headers on every page: a CSP without inline script, no framing, no caching."""

from __future__ import annotations

import re

import pytest

PRIVATE = ["/", "/units/县水利局", "/problems", "/reports", "/runs", "/api/stats", "/login"]


@pytest.mark.parametrize("path", PRIVATE)
def test_every_page_forbids_inline_script_framing_and_caching(office_client, path) -> None:
    response = office_client.get(path, follow_redirects=False)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/units/县水利局", "/problems", "/reports", "/runs"])
def test_no_page_carries_inline_script(office_client, path) -> None:
    html = office_client.get(path).text
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    assert all(' src="/static/' in tag for tag in scripts), scripts
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_static_files_are_served_with_their_own_caching(make_client) -> None:
    response = make_client().get("/static/htmx.min.js")
    assert response.status_code == 200
    assert response.headers.get("cache-control") != "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_session_cookie_is_http_only_and_same_site_strict(make_client) -> None:
    response = make_client().get("/login")
    cookie = response.headers["set-cookie"]
    assert "httponly" in cookie.lower()
    assert "samesite=strict" in cookie.lower()

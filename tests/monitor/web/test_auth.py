"""Logging in and out, sessions that expire, CSRF tokens, the login throttle (SPEC §8)."""

from __future__ import annotations

import pytest

from monitor.services.users import remove_user

from .conftest import OFFICE, PASSWORD, csrf_of, log_in

PAGES = ["/", "/units/县水利局", "/problems", "/reports", "/runs"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_the_browser_to_the_login(make_client, path) -> None:
    response = make_client().get(path)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("path", ["/api/stats", "/api/units/县水利局"])
def test_the_api_without_a_session_answers_401(make_client, path) -> None:
    response = make_client().get(path)
    assert response.status_code == 401
    assert response.json() == {"error": "未登录或登录已过期"}


def test_the_login_form_posts_username_password_and_a_csrf_token(make_client) -> None:
    html = make_client().get("/login").text
    assert '<form method="post" action="/login">' in html
    for field in ('name="username"', 'name="password"', 'name="csrf_token"'):
        assert field in html


def test_the_right_password_logs_in_and_the_overview_opens(make_client) -> None:
    client = make_client()
    log_in(client)
    page = client.get("/")
    assert page.status_code == 200
    assert "各单位完成情况" in page.text


def test_a_wrong_password_is_refused_with_401_and_no_session(make_client) -> None:
    client = make_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": OFFICE, "password": "wrong password",
                                           "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert client.get("/").status_code == 303


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(make_client) -> None:
    client = make_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "nobody", "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_a_login_without_its_csrf_token_is_refused(make_client) -> None:
    client = make_client()
    client.get("/login")
    response = client.post("/login", data={"username": OFFICE, "password": PASSWORD})
    assert response.status_code == 403
    assert "校验码" in response.text
    assert client.get("/").status_code == 303


def test_a_login_with_another_sessions_csrf_token_is_refused(make_client) -> None:
    stranger, victim = make_client(), make_client()
    token = csrf_of(stranger.get("/login").text)
    victim.get("/login")
    response = victim.post("/login", data={"username": OFFICE, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 403


def test_logging_in_gives_a_new_csrf_token(make_client) -> None:
    client = make_client()
    before = csrf_of(client.get("/login").text)
    log_in(client)
    after = csrf_of(client.get("/").text)
    assert before != after


def test_logout_needs_the_csrf_token_and_then_ends_the_session(office_client) -> None:
    assert office_client.post("/logout", data={}).status_code == 403
    assert office_client.get("/").status_code == 200
    token = csrf_of(office_client.get("/").text)
    assert office_client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert office_client.get("/").status_code == 303


def test_a_session_expires_after_the_configured_minutes(office_client, wall_clock) -> None:
    wall_clock.now += 480 * 60 - 5
    assert office_client.get("/").status_code == 200
    wall_clock.now += 10
    response = office_client.get("/problems")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?expired=1&next=/problems"
    assert office_client.get("/api/stats").status_code == 401
    assert "登录已过期" in office_client.get("/login?expired=1").text


def test_an_expired_session_stays_expired_when_the_clock_is_moved_back(
        office_client, wall_clock) -> None:
    wall_clock.now += 480 * 60 + 1
    assert office_client.get("/").status_code == 303
    wall_clock.now -= 480 * 60 + 1
    assert office_client.get("/").status_code == 303


def test_a_removed_user_is_out_at_the_next_request(office_client, dashboard) -> None:
    assert office_client.get("/").status_code == 200
    application = dashboard.application()
    with application.sessions.begin() as session:
        remove_user(session, OFFICE)
    application.engine.dispose()
    assert office_client.get("/").status_code == 303


def _attempt(client, name: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": name, "password": password,
                                       "csrf_token": token}).status_code


def test_five_wrong_passwords_lock_the_name_even_for_the_right_password(
        make_client, wall_clock) -> None:
    client = make_client()
    assert [_attempt(client, OFFICE, f"guess {n}") for n in range(5)] == [401] * 5
    response_code = _attempt(client, OFFICE, PASSWORD)
    assert response_code == 429
    token = csrf_of(client.get("/login").text)
    page = client.post("/login", data={"username": OFFICE, "password": PASSWORD,
                                       "csrf_token": token})
    assert "登录失败次数过多，请 15 分钟后再试" in page.text
    wall_clock.now += 15 * 60 + 1
    assert _attempt(client, OFFICE, PASSWORD) == 303


@pytest.mark.slow
def test_a_lockout_holds_for_the_name_from_another_client_too(make_client) -> None:
    guesser = make_client(client=("192.0.2.10", 4000))
    for n in range(5):
        _attempt(guesser, OFFICE, f"guess {n}")
    elsewhere = make_client(client=("192.0.2.20", 4000))
    assert _attempt(elsewhere, OFFICE, PASSWORD) == 429


@pytest.mark.slow
def test_a_client_guessing_many_names_is_locked_out(make_client) -> None:
    guesser = make_client(client=("192.0.2.30", 4000))
    for n in range(5):
        _attempt(guesser, f"name{n}", "guess")
    assert _attempt(guesser, "slj", PASSWORD) == 429
    assert _attempt(make_client(client=("192.0.2.31", 4000)), "slj", PASSWORD) == 303


@pytest.mark.slow
def test_a_successful_login_clears_the_earlier_failures_of_the_name(make_client) -> None:
    client = make_client()
    for n in range(4):
        _attempt(client, OFFICE, f"guess {n}")
    assert _attempt(client, OFFICE, PASSWORD) == 303
    other = make_client(client=("192.0.2.40", 4000))
    assert _attempt(other, OFFICE, "one more guess") == 401
    assert _attempt(other, OFFICE, PASSWORD) == 303


@pytest.mark.parametrize("target", ["//evil.example/", "http://evil.example/", "/\\evil"])
def test_the_login_never_redirects_off_the_site(make_client, target) -> None:
    client = make_client()
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": OFFICE, "password": PASSWORD,
                                           "csrf_token": token, "next": target})
    assert response.headers["location"] == "/"


def test_the_login_returns_to_the_page_asked_for(make_client) -> None:
    client = make_client()
    location = client.get("/runs").headers["location"]
    assert location == "/login?next=/runs"
    token = csrf_of(client.get(location).text)
    response = client.post("/login", data={"username": OFFICE, "password": PASSWORD,
                                           "csrf_token": token, "next": "/runs"})
    assert response.headers["location"] == "/runs"

"""Who is asking: the signed session, its expiry, CSRF tokens and the login throttle.

The session is Starlette's signed cookie (itsdangerous). It carries the user's name, when
they logged in and their CSRF token; the user is looked up again on every request, so a
removed user is out at once. A login lasts `web.session_minutes` from the moment it was
made, measured on the wall clock (never MONITOR_NOW, which replays and demos freeze).
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import Request

from monitor.services.users import User, find_user

WallClock = Callable[[], float]


class LoginRequired(Exception):
    """No valid session: pages send the browser to /login, the API answers 401."""

    def __init__(self, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired


class Forbidden(Exception):
    """Logged in, but this user may not do this (a unit user on an office page)."""


class NotFound(Exception):
    """No such page for this user: an unknown unit, or another unit's page for a unit user."""


class CsrfRejected(Exception):
    """A form came without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (the login form gets one too)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def check_csrf(request: Request, submitted: object) -> None:
    expected = request.session.get("csrf")
    if not (isinstance(submitted, str) and isinstance(expected, str) and submitted
            and hmac.compare_digest(submitted, expected)):
        raise CsrfRejected


def start_session(request: Request, user: User, now: float) -> None:
    """A fresh session for `user`: a new CSRF token, nothing kept from before the login."""
    request.session.clear()
    request.session.update(user=user.name, issued=now, csrf=secrets.token_urlsafe(32))


def current_user(request: Request, lifetime_seconds: float, now: float) -> User:
    session = request.session
    name, issued = session.get("user"), session.get("issued")
    if not isinstance(name, str) or not isinstance(issued, int | float):
        raise LoginRequired
    if now - issued > lifetime_seconds or issued > now + 60:
        session.clear()
        raise LoginRequired(expired=True)
    with request.app.state.web.application.sessions() as db:
        user = find_user(db, name)
    if user is None:
        session.clear()
        raise LoginRequired
    return user


@dataclass
class LoginThrottle:
    """Refuses logins for a while after repeated failures, per user name and per client.

    Kept in the server's memory: `monitor serve` is one process. A lockout is refused even
    with the right password, so guessing on cannot tell when it would have succeeded.
    """

    max_failures: int
    lockout_seconds: float
    clock: WallClock = time.time
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)

    def locked(self, keys: list[str]) -> float:
        """Seconds until the longest lockout among `keys` ends; 0 when none is locked."""
        now = self.clock()
        return max([0.0, *(self._locked_until.get(key, 0) - now for key in keys)])

    def failed(self, keys: list[str]) -> None:
        now = self.clock()
        self._forget_old(now)
        for key in keys:
            recent = [t for t in self._failures.get(key, []) if now - t < self.lockout_seconds]
            recent.append(now)
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout_seconds
                recent = []
            self._failures[key] = recent

    def succeeded(self, keys: list[str]) -> None:
        for key in keys:
            self._failures.pop(key, None)

    def _forget_old(self, now: float) -> None:
        # Bounded memory whatever names a scanner tries.
        for key in [k for k, until in self._locked_until.items() if until <= now]:
            del self._locked_until[key]
        for key in [k for k, times in self._failures.items()
                    if not times or now - times[-1] >= self.lockout_seconds]:
            del self._failures[key]


def throttle_keys(name: str, client: str | None) -> list[str]:
    return [f"user:{name.strip().lower()}", f"client:{client or '?'}"]

"""What every page does: find its user, open a database session, render a template."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from monitor.config import PortalConfig, UnitConfig
from monitor.errors import UnknownUnitError
from monitor.services.users import User
from monitor.units import find_unit
from monitor.web.auth import Forbidden, NotFound, csrf_token, current_user
from storage.queries import site_id_of

if TYPE_CHECKING:
    from monitor.web.app import WebContext

T = TypeVar("T")


def context(request: Request) -> WebContext:
    return request.app.state.web


def config(request: Request) -> PortalConfig:
    return context(request).application.config


def today(request: Request) -> date:
    """The as-of day of every judgement shown: today in Asia/Shanghai (or MONITOR_NOW's)."""
    return context(request).application.clock.today()


def user(request: Request) -> User:
    web = context(request)
    return current_user(request, web.session_seconds, web.clock())


def office_user(request: Request) -> User:
    found = user(request)
    if not found.is_office:
        raise Forbidden
    return found


def visible_unit(request: Request, found: User, name: str) -> UnitConfig:
    """The unit `name` names, if this user may see it; otherwise the same 404 as for a unit
    that does not exist, so a unit user learns nothing of the others."""
    try:
        unit = find_unit(config(request), name)
    except UnknownUnitError:
        raise NotFound from None
    if not found.may_see_unit(unit.name):
        raise NotFound
    return unit


def judged(request: Request, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """A service's result for `key`, from the page cache while the data and the day stay
    the same (see `monitor.web.cache`)."""
    cache = context(request).cache
    return cache.get(cache.version(session, today(request)), key, compute)


def site_id(request: Request, session: Session) -> int | None:
    """The portal's site row, or None before anything was recorded."""
    return site_id_of(session, config(request).site.url)


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    """A session for reading; whatever the services flush is rolled back at the end."""
    with context(request).application.sessions() as session:
        yield session


@contextmanager
def writing(request: Request) -> Iterator[Session]:
    with context(request).application.sessions.begin() as session:
        yield session


def take_flash(request: Request) -> list[str]:
    return list(request.session.pop("flash", []))


def flash(request: Request, message: str) -> None:
    request.session["flash"] = [*request.session.get("flash", []), message]


def render(request: Request, template: str, values: dict[str, Any],
           status_code: int = 200, current: User | None = None) -> Response:
    web = context(request)
    page = {
        "request": request,
        "user": current,
        "csrf_token": csrf_token(request),
        "site_name": web.application.config.site.name,
        "flashes": take_flash(request),
        **values,
    }
    return web.templates.TemplateResponse(request, template, page, status_code=status_code)

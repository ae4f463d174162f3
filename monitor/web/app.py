"""The dashboard's Starlette application: routes, middleware, error pages.

Middleware, outermost first: the proxy headers (believed only from `web.trusted_proxies`),
the security headers, the signed session. Endpoints are plain functions, run in
Starlette's thread pool, because the services and storage below them are synchronous.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from monitor.app import App
from monitor.config.models import WebConfig
from monitor.errors import ConfigError
from monitor.resources import package_dir
from monitor.web import filters, labels
from monitor.web.auth import (
    CsrfRejected,
    Forbidden,
    LoginRequired,
    LoginThrottle,
    NotFound,
    WallClock,
)
from monitor.web.cache import JudgementCache
from monitor.web.pages import api, evidence, login, overview, problems, reports, runs, unit
from monitor.web.pages.common import render
from monitor.web.security import SecurityHeaders

TEMPLATES = package_dir("monitor.web", "templates")
STATIC = package_dir("monitor.web", "static")
SESSION_COOKIE = "monitor_session"


@dataclass
class WebContext:
    """What every endpoint reaches through `request.app.state.web`."""

    application: App
    settings: WebConfig
    templates: Jinja2Templates
    throttle: LoginThrottle
    clock: WallClock
    cache: JudgementCache

    @property
    def session_seconds(self) -> float:
        return self.settings.session_minutes * 60


def session_secret(application: App) -> str:
    variable = application.config.web.session_secret_env
    if variable is None:
        return secrets.token_urlsafe(48)
    value = application.environment.secret(variable)
    if not value:
        raise ConfigError([f"web.session_secret_env: the environment variable {variable} "
                           "is not set (or empty)"])
    return value


def templates() -> Jinja2Templates:
    found = Jinja2Templates(directory=str(TEMPLATES))
    found.env.globals.update(labels=labels)
    found.env.filters.update(local_day=filters.local_day, local_time=filters.local_time,
                             duration=filters.duration, http_only=filters.http_only)
    return found


def routes() -> list[Route | Mount]:
    return [
        Route("/login", login.login_form, methods=["GET"]),
        Route("/login", login.login, methods=["POST"]),
        Route("/logout", login.logout, methods=["POST"]),
        Route("/", overview.overview_page, methods=["GET"]),
        Route("/units/{name:path}", unit.unit_page, methods=["GET"]),
        Route("/problems", problems.problems_page, methods=["GET"]),
        Route("/problems/{problem_id:int}/evidence/{name}", evidence.evidence_download,
              methods=["GET"]),
        Route("/problems/{problem_id:int}/{action}", problems.problem_action,
              methods=["POST"]),
        Route("/reports", reports.reports_page, methods=["GET"]),
        Route("/reports", reports.generate, methods=["POST"]),
        Route("/reports/files/{name}", reports.download, methods=["GET"]),
        Route("/runs", runs.runs_page, methods=["GET"]),
        Route("/api/units/{name:path}", api.unit_document, methods=["GET"]),
        Route("/api/stats", api.stats_document_view, methods=["GET"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _login_required(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    if _is_api(request):
        return JSONResponse({"error": "未登录或登录已过期"}, status_code=401)
    target = "/login?expired=1" if error.expired else "/login"
    if request.method == "GET" and request.url.path != "/":
        separator = "&" if "?" in target else "?"
        target += f"{separator}next={request.url.path}"
    return RedirectResponse(target, status_code=303)


def _error_page(status: int, message: str) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, error: Exception) -> Response:
        if _is_api(request):
            return JSONResponse({"error": message}, status_code=status)
        return render(request, "error.html", {"message": message}, status_code=status)
    return handle


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    message = {404: "页面不存在", 405: "不支持的请求方法"}.get(error.status_code, "请求无效")
    return _error_page(error.status_code, message)(request, error)


def warm_up(web: Starlette) -> threading.Thread:
    """Compute the overview's judgements in the background, so the first visitor after
    the start does not wait for them."""
    context: WebContext = web.state.web

    def work() -> None:
        application = context.application
        with application.sessions() as session:
            overview.overview_judgements(context, session, application.clock.today())

    thread = threading.Thread(target=work, name="dashboard-warm-up", daemon=True)
    thread.start()
    return thread


def create_app(application: App, clock: WallClock = time.time) -> Starlette:
    """The dashboard over `application`'s config and database."""
    settings = application.config.web
    middleware = [
        Middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies)),
        Middleware(SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=session_secret(application),
                   session_cookie=SESSION_COOKIE, max_age=settings.session_minutes * 60,
                   same_site="strict", https_only=settings.secure_cookies),
    ]
    web = Starlette(
        routes=routes(),
        middleware=middleware,
        exception_handlers={
            LoginRequired: _login_required,
            Forbidden: _error_page(403, "无权访问此页面"),
            NotFound: _error_page(404, "页面不存在"),
            CsrfRejected: _error_page(403, "表单已失效（缺少或错误的校验码），请刷新页面后重试"),
            HTTPException: _http_error,
        },
    )
    web.state.web = WebContext(
        application=application,
        settings=settings,
        templates=templates(),
        throttle=LoginThrottle(settings.login_failures, settings.lockout_minutes * 60, clock),
        clock=clock,
        cache=JudgementCache(),
    )
    return web

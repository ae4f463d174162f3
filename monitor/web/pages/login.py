"""/login and /logout: the form posts `username`, `password` and `csrf_token` (SPEC §8)."""

from __future__ import annotations

import math

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from monitor.services.users import User, authenticate
from monitor.web.auth import LoginRequired, check_csrf, start_session, throttle_keys
from monitor.web.pages.common import context, render, user, writing


def _safe_next(target: object) -> str:
    # Only a path of this site: never //host or a full URL (an open redirect).
    if isinstance(target, str) and target.startswith("/") and not target.startswith("//") \
            and "\\" not in target:
        return target
    return "/"


def login_form(request: Request) -> Response:
    try:
        user(request)
    except LoginRequired:
        pass
    else:
        return RedirectResponse("/", status_code=303)
    message = "登录已过期，请重新登录" if request.query_params.get("expired") else None
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next")),
                                          "error": message})


async def login(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    name = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = _safe_next(form.get("next"))
    web = context(request)
    keys = throttle_keys(name, request.client.host if request.client else None)
    wait = web.throttle.locked(keys)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        return render(request, "login.html",
                      {"next": target, "error": f"登录失败次数过多，请 {minutes} 分钟后再试"},
                      status_code=429)
    found = await _authenticate(request, name, password)
    if found is None:
        web.throttle.failed(keys)
        return render(request, "login.html", {"next": target, "error": "用户名或密码错误"},
                      status_code=401)
    web.throttle.succeeded(keys)
    start_session(request, found, web.clock())
    return RedirectResponse(target, status_code=303)


async def _authenticate(request: Request, name: str, password: str) -> User | None:
    def check() -> User | None:
        with writing(request) as session:
            return authenticate(session, name, password)

    # Argon2 takes tens of milliseconds: off the event loop.
    return await run_in_threadpool(check)


async def logout(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get("csrf_token"))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
